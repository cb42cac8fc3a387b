package org.spindle.storage.core.internal.db;

import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.spindle.storage.api.runtime.Orphan;

/**
 * The orphan table: what reconciliation passes found that no volume accounts for, and since when, shared by
 * every node so that the grace period counts from the first sighting whoever made it.
 */
public final class OrphanRows {
    private final Jdbc jdbc;

    OrphanRows(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Records a sighting and returns when it was first seen (now, the first time). */
    public Instant seen(String kind, String place, String ref, UUID volumeId, String detail) {
        Instant now = Instant.now();
        return jdbc.write(c -> {
            for (int attempt = 0; ; attempt++) {
                int updated = jdbc.update(c, "UPDATE orphan SET last_seen=?, detail=?, volume_id=? WHERE kind=? AND place=? AND ref=?", st -> {
                    st.setTimestamp(1, Timestamp.from(now));
                    st.setString(2, clip(detail));
                    st.setString(3, volumeId.toString());
                    st.setString(4, kind);
                    st.setString(5, place);
                    st.setString(6, ref);
                });
                if (updated == 1) {
                    return jdbc.query(c, "SELECT first_seen FROM orphan WHERE kind=? AND place=? AND ref=?", st -> {
                        st.setString(1, kind);
                        st.setString(2, place);
                        st.setString(3, ref);
                    }, rs -> rs.getTimestamp(1).toInstant()).get(0);
                }
                try {
                    jdbc.update(c, "INSERT INTO orphan (kind, place, ref, volume_id, detail, first_seen, last_seen) VALUES (?,?,?,?,?,?,?)", st -> {
                        st.setString(1, kind);
                        st.setString(2, place);
                        st.setString(3, ref);
                        st.setString(4, volumeId.toString());
                        st.setString(5, clip(detail));
                        st.setTimestamp(6, Timestamp.from(now));
                        st.setTimestamp(7, Timestamp.from(now));
                    });
                    return now;
                } catch (SQLException e) {
                    if (!Jdbc.isDuplicate(e) || attempt > 0) {
                        throw e;
                    }
                }
            }
        });
    }

    /** Forgets an orphan (removed, or no longer there). */
    public void forget(String kind, String place, String ref) {
        jdbc.update("DELETE FROM orphan WHERE kind=? AND place=? AND ref=?", st -> {
            st.setString(1, kind);
            st.setString(2, place);
            st.setString(3, ref);
        });
    }

    /** Forgets the orphans of {@code kind} at {@code place} that a pass over that place did not see again. */
    public void keepOnly(String kind, String place, Set<String> refs) {
        for (Orphan o : all()) {
            if (o.kind().equals(kind) && o.place().equals(place) && !refs.contains(o.ref())) {
                forget(kind, place, o.ref());
            }
        }
    }

    public List<Orphan> all() {
        return jdbc.query("SELECT * FROM orphan ORDER BY first_seen, kind, place, ref", st -> { },
                rs -> new Orphan(rs.getString("kind"), rs.getString("place"), rs.getString("ref"), UUID.fromString(rs.getString("volume_id")),
                        rs.getString("detail"), rs.getTimestamp("first_seen").toInstant(), false));
    }

    private static String clip(String s) {
        return s.length() <= 1024 ? s : s.substring(0, 1021) + "...";
    }
}
