package org.spindle.storage.core.internal.db;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;
import org.spindle.storage.api.volume.Offering;

/** The offering table: an offering's name, tags, whether it allows custom IOPS, and its requested QoS. */
final class OfferingRows {
    private static final QosColumns REQUESTED = new QosColumns("q_");
    private static final String INSERT = "INSERT INTO offering (name, description, tags, custom_iops, "
            + String.join(", ", REQUESTED.names()) + ", created) VALUES (" + "?,".repeat(4 + REQUESTED.names().size()) + "?)";

    private final Jdbc jdbc;

    OfferingRows(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** @throws StorageException {@link Reason#ALREADY_EXISTS} when an offering of that name exists */
    void insert(Offering o) {
        jdbc.write(c -> {
            try {
                return jdbc.update(c, INSERT, st -> {
                    st.setString(1, o.name());
                    st.setString(2, o.description());
                    st.setString(3, String.join(",", o.tags()));
                    st.setBoolean(4, o.customIops());
                    int i = REQUESTED.bind(st, 5, o.qos().storage(), o.qos().limits());
                    st.setTimestamp(i, Timestamp.from(Instant.now()));
                });
            } catch (SQLException e) {
                if (Jdbc.isDuplicate(e)) {
                    throw new StorageException(Reason.ALREADY_EXISTS, "name", "offering " + o.name() + " already exists", null);
                }
                throw e;
            }
        });
    }

    List<Offering> all() {
        return jdbc.query("SELECT * FROM offering ORDER BY name", st -> { }, OfferingRows::read);
    }

    Optional<Offering> byName(String name) {
        return jdbc.query("SELECT * FROM offering WHERE name=?", st -> st.setString(1, name), OfferingRows::read).stream().findFirst();
    }

    boolean delete(String name) {
        return jdbc.update("DELETE FROM offering WHERE name=?", st -> st.setString(1, name)) == 1;
    }

    private static Offering read(ResultSet rs) throws SQLException {
        return new Offering(rs.getString("name"), rs.getString("description"), VolumeColumns.split(rs.getString("tags")),
                REQUESTED.spec(rs), rs.getBoolean("custom_iops"));
    }
}
