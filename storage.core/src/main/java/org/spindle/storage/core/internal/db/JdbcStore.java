package org.spindle.storage.core.internal.db;

import java.io.File;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jdbc.DataSourceFactory;
import org.osgi.service.metatype.annotations.Designate;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;
import org.spindle.storage.api.PoolCapacity;
import org.spindle.storage.api.volume.Offering;
import org.spindle.storage.api.volume.VolumeState;

/**
 * The database: pools, offerings and volumes over JDBC, schema migrated by Flyway at activation. Every
 * change of a volume is a compare-and-set on its row version; losing one is {@link Reason#BUSY}.
 */
@Component(service = JdbcStore.class, configurationPid = DatabaseConfig.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = DatabaseConfig.class)
public class JdbcStore {
    private static final QosColumns REQUESTED = new QosColumns("q_");
    private static final String VOLUME_COLUMNS = String.join(", ", VolumeColumns.NAMES);

    private final DataSource dataSource;
    /**
     * Held open for the store's life: an embedded database (H2) closes its files when its last connection
     * closes, and reopening them for every operation cost ~200 ms per write. Closed in {@link #close()}.
     */
    private final Connection keepOpen;

    @Activate
    public JdbcStore(@Reference(name = "dataSourceFactory", target = "(osgi.jdbc.driver.class=org.h2.Driver)") DataSourceFactory factory, DatabaseConfig config, BundleContext context)
            throws SQLException {
        this(factory.createDataSource(properties(config, context)));
    }

    /** For a {@link DataSource} made elsewhere (tests, embedding platforms). Migrates the schema. */
    public JdbcStore(DataSource dataSource) {
        this.dataSource = dataSource;
        try {
            this.keepOpen = dataSource.getConnection();
        } catch (SQLException e) {
            throw new StorageException(Reason.UNAVAILABLE, null, "database: cannot connect: " + e.getMessage(), e);
        }
        Flyway.configure(JdbcStore.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .table("spindle_schema_history")
                .load()
                .migrate();
    }

    /** Releases the connection that keeps the database open. */
    @Deactivate
    public void close() {
        try {
            keepOpen.close();
        } catch (SQLException e) {
            // closing: nothing left to do with a failure
        }
    }

    private static Properties properties(DatabaseConfig config, BundleContext context) {
        Properties p = new Properties();
        String url = config.url().isBlank() ? defaultUrl(context) : config.url();
        p.setProperty(DataSourceFactory.JDBC_URL, url);
        if (!config.user().isBlank()) {
            p.setProperty(DataSourceFactory.JDBC_USER, config.user());
        }
        if (!config._password().isEmpty()) {
            p.setProperty(DataSourceFactory.JDBC_PASSWORD, config._password());
        }
        return p;
    }

    private static String defaultUrl(BundleContext context) {
        String dir = context.getProperty("spindle.data");
        if (dir == null && context.getProperty("karaf.data") != null) {
            dir = context.getProperty("karaf.data") + File.separator + "spindle";
        }
        File base = dir != null ? new File(dir) : context.getDataFile("db");
        return "jdbc:h2:file:" + new File(base, "spindle").getAbsolutePath();
    }

    // ---- pools ------------------------------------------------------------------------------------------

    /** Inserts the pool, or updates its description (zone, tags, protocol, driver type) if it exists. */
    public void upsertPool(PoolRecord pool) {
        Instant now = Instant.now();
        run(c -> {
            try (PreparedStatement up = c.prepareStatement("UPDATE pool SET zone=?, tags=?, protocol=?, managed=?, driver_type=?, updated=? WHERE name=?")) {
                up.setString(1, pool.zone());
                up.setString(2, String.join(",", pool.tags()));
                up.setString(3, pool.protocol());
                up.setBoolean(4, pool.managed());
                up.setString(5, pool.driverType());
                up.setTimestamp(6, Timestamp.from(now));
                up.setString(7, pool.name());
                if (up.executeUpdate() == 1) {
                    return null;
                }
            }
            try (PreparedStatement in = c.prepareStatement("INSERT INTO pool (name, zone, tags, protocol, managed, driver_type, "
                    + "capacity_bytes, provisioned_bytes, capacity_iops, provisioned_iops, created, updated) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)")) {
                in.setString(1, pool.name());
                in.setString(2, pool.zone());
                in.setString(3, String.join(",", pool.tags()));
                in.setString(4, pool.protocol());
                in.setBoolean(5, pool.managed());
                in.setString(6, pool.driverType());
                in.setLong(7, pool.capacity().totalBytes());
                in.setLong(8, pool.capacity().provisionedBytes());
                in.setLong(9, pool.capacity().totalIops());
                in.setLong(10, pool.capacity().provisionedIops());
                in.setTimestamp(11, Timestamp.from(now));
                in.setTimestamp(12, Timestamp.from(now));
                in.executeUpdate();
            }
            return null;
        });
    }

    public void updateCapacity(String pool, PoolCapacity capacity) {
        run(c -> {
            try (PreparedStatement st = c.prepareStatement("UPDATE pool SET capacity_bytes=?, provisioned_bytes=?, capacity_iops=?, provisioned_iops=?, updated=? WHERE name=?")) {
                st.setLong(1, capacity.totalBytes());
                st.setLong(2, capacity.provisionedBytes());
                st.setLong(3, capacity.totalIops());
                st.setLong(4, capacity.provisionedIops());
                st.setTimestamp(5, Timestamp.from(Instant.now()));
                st.setString(6, pool);
                return st.executeUpdate();
            }
        });
    }

    public List<PoolRecord> pools() {
        return query("SELECT * FROM pool ORDER BY name", st -> { }, JdbcStore::pool);
    }

    public Optional<PoolRecord> pool(String name) {
        return query("SELECT * FROM pool WHERE name=?", st -> st.setString(1, name), JdbcStore::pool).stream().findFirst();
    }

    private static PoolRecord pool(ResultSet rs) throws SQLException {
        return new PoolRecord(rs.getString("name"), rs.getString("zone"), VolumeColumns.split(rs.getString("tags")), rs.getString("protocol"),
                rs.getBoolean("managed"), rs.getString("driver_type"), new PoolCapacity(rs.getLong("capacity_bytes"),
                rs.getLong("provisioned_bytes"), rs.getLong("capacity_iops"), rs.getLong("provisioned_iops")));
    }

    /** Number of volumes in {@code pool} that are not destroyed. */
    public long liveVolumes(String pool) {
        return query("SELECT COUNT(*) FROM volume WHERE pool=? AND live_name IS NOT NULL", st -> st.setString(1, pool),
                rs -> rs.getLong(1)).get(0);
    }

    // ---- offerings --------------------------------------------------------------------------------------

    public void insertOffering(Offering o) {
        List<String> cols = REQUESTED.names();
        String sql = "INSERT INTO offering (name, description, tags, custom_iops, " + String.join(", ", cols) + ", created) VALUES ("
                + "?,".repeat(4 + cols.size()) + "?)";
        run(c -> {
            try (PreparedStatement st = c.prepareStatement(sql)) {
                st.setString(1, o.name());
                st.setString(2, o.description());
                st.setString(3, String.join(",", o.tags()));
                st.setBoolean(4, o.customIops());
                int i = REQUESTED.bind(st, 5, o.qos().storage(), o.qos().limits());
                st.setTimestamp(i, Timestamp.from(Instant.now()));
                return st.executeUpdate();
            } catch (SQLException e) {
                if (isDuplicate(e)) {
                    throw new StorageException(Reason.ALREADY_EXISTS, "name", "offering " + o.name() + " already exists", null);
                }
                throw e;
            }
        });
    }

    public List<Offering> offerings() {
        return query("SELECT * FROM offering ORDER BY name", st -> { }, JdbcStore::offering);
    }

    public Optional<Offering> offering(String name) {
        return query("SELECT * FROM offering WHERE name=?", st -> st.setString(1, name), JdbcStore::offering).stream().findFirst();
    }

    public boolean deleteOffering(String name) {
        return run(c -> {
            try (PreparedStatement st = c.prepareStatement("DELETE FROM offering WHERE name=?")) {
                st.setString(1, name);
                return st.executeUpdate() == 1;
            }
        });
    }

    private static Offering offering(ResultSet rs) throws SQLException {
        return new Offering(rs.getString("name"), rs.getString("description"), VolumeColumns.split(rs.getString("tags")),
                REQUESTED.spec(rs), rs.getBoolean("custom_iops"));
    }

    // ---- volumes ----------------------------------------------------------------------------------------

    /** Inserts a new volume; its name must be free among live volumes. */
    public void insertVolume(VolumeRecord v) {
        String sql = "INSERT INTO volume (" + VOLUME_COLUMNS + ") VALUES (" + "?,".repeat(VOLUME_COLUMNS.split(",").length - 1) + "?)";
        run(c -> {
            try (PreparedStatement st = c.prepareStatement(sql)) {
                VolumeColumns.bind(st, v, null);
                return st.executeUpdate();
            } catch (SQLException e) {
                if (isDuplicate(e)) {
                    throw new StorageException(Reason.ALREADY_EXISTS, "name", "a volume named " + v.name() + " exists already", null);
                }
                throw e;
            }
        });
    }

    /**
     * Moves {@code current} to {@code next} if nobody changed it since it was read: a compare-and-set on the
     * row version. {@code next.version()} must be {@code current.version() + 1}. When {@code next} is a
     * transitional state, the state it started from is kept so that a restart can roll back to it.
     *
     * @throws StorageException {@link Reason#BUSY} if the row changed in between
     */
    public VolumeRecord update(VolumeRecord current, VolumeRecord next) {
        if (next.version() != current.version() + 1) {
            throw new IllegalArgumentException("next version must be " + (current.version() + 1));
        }
        String previous = next.state().isTransitional() ? (current.state().isTransitional() ? previousState(current.id())
                : current.state().name()) : null;
        String set = String.join(", ", Arrays.stream(VOLUME_COLUMNS.split(", ")).map(col -> col + "=?").toList());
        String sql = "UPDATE volume SET " + set + " WHERE id=? AND version=?";
        int updated = run(c -> {
            try (PreparedStatement st = c.prepareStatement(sql)) {
                int i = VolumeColumns.bind(st, next, previous);
                st.setString(i++, current.id().toString());
                st.setLong(i, current.version());
                return st.executeUpdate();
            } catch (SQLException e) {
                if (isDuplicate(e)) {
                    throw new StorageException(Reason.ALREADY_EXISTS, "name", "a volume named " + next.name() + " exists already", null);
                }
                throw e;
            }
        });
        if (updated != 1) {
            throw new StorageException(Reason.BUSY, "volume", "volume " + current.name() + " was changed by another operation "
                    + "(expected version " + current.version() + "); nothing was done, try again", null);
        }
        return next;
    }

    /** The stable state the volume's in-flight operation started from, or {@code null}. */
    public String previousState(UUID id) {
        return query("SELECT previous_state FROM volume WHERE id=?", st -> st.setString(1, id.toString()),
                rs -> rs.getString(1)).stream().findFirst().orElse(null);
    }

    public Optional<VolumeRecord> volume(UUID id) {
        return query("SELECT * FROM volume WHERE id=?", st -> st.setString(1, id.toString()), VolumeColumns::read).stream().findFirst();
    }

    /** The live volume named {@code name}, else the newest destroyed one of that name. */
    public Optional<VolumeRecord> volumeByName(String name) {
        return query("SELECT * FROM volume WHERE name=? ORDER BY CASE WHEN live_name IS NULL THEN 1 ELSE 0 END, created DESC",
                st -> st.setString(1, name), VolumeColumns::read).stream().findFirst();
    }

    public List<VolumeRecord> volumes(boolean includeDestroyed) {
        return query("SELECT * FROM volume" + (includeDestroyed ? "" : " WHERE live_name IS NOT NULL") + " ORDER BY created, name",
                st -> { }, VolumeColumns::read);
    }

    /** Volumes attached through the attach service {@code service} ({@code hypervisor.service}). */
    public List<VolumeRecord> attachedThrough(String service) {
        return query("SELECT * FROM volume WHERE state=? AND attach_service=? ORDER BY created, name", st -> {
            st.setString(1, VolumeState.ATTACHED.name());
            st.setString(2, service);
        }, VolumeColumns::read);
    }

    /** Volumes whose operation was in flight (transitional state). */
    public List<VolumeRecord> inFlight() {
        List<String> states = Arrays.stream(VolumeState.values()).filter(VolumeState::isTransitional).map(Enum::name).toList();
        return query("SELECT * FROM volume WHERE state IN (" + "?,".repeat(states.size() - 1) + "?) ORDER BY created",
                st -> {
                    for (int i = 0; i < states.size(); i++) {
                        st.setString(i + 1, states.get(i));
                    }
                }, VolumeColumns::read);
    }

    // ---- plumbing ---------------------------------------------------------------------------------------

    private static boolean isDuplicate(SQLException e) {
        // 23505: unique violation, in H2 and PostgreSQL alike
        return e instanceof SQLIntegrityConstraintViolationException || "23505".equals(e.getSQLState());
    }

    @FunctionalInterface
    private interface Work<T> {
        T apply(Connection c) throws SQLException;
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement st) throws SQLException;
    }

    @FunctionalInterface
    private interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private <T> T run(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.apply(c);
        } catch (SQLException e) {
            throw new StorageException(Reason.BACKEND_FAILURE, null, "database: " + e.getMessage(), e);
        }
    }

    private <T> List<T> query(String sql, Binder binder, RowMapper<T> mapper) {
        return run(c -> {
            try (PreparedStatement st = c.prepareStatement(sql)) {
                binder.bind(st);
                try (ResultSet rs = st.executeQuery()) {
                    List<T> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(mapper.map(rs));
                    }
                    return out;
                }
            }
        });
    }
}
