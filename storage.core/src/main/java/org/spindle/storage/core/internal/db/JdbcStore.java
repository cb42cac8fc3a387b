package org.spindle.storage.core.internal.db;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.jdbc.DataSourceFactory;
import org.osgi.service.metatype.annotations.Designate;
import org.spindle.storage.api.PoolCapacity;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;
import org.spindle.storage.api.volume.Offering;
import org.spindle.storage.api.volume.VolumeState;

import com.zaxxer.hikari.HikariDataSource;

/**
 * The database: pools, offerings and volumes over JDBC, schema migrated by Flyway at activation. Every
 * change of a volume is a compare-and-set on its row version; losing one is {@link Reason#BUSY}. An
 * operation in flight is owned by the node that stored its intent, under a lease it renews while it runs
 * ({@link #renewLeases}); {@link #recoverable(boolean)} lists those whose owner is gone.
 */
@Component(service = JdbcStore.class, configurationPid = DatabaseConfig.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = DatabaseConfig.class)
public class JdbcStore {
    private static final String VOLUME_COLUMNS = String.join(", ", VolumeColumns.NAMES);
    /** Now, in seconds since the epoch, by the database's clock: leases never depend on the nodes' clocks. */
    private static final String DB_NOW = "CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP) AS BIGINT)";
    private static final int DEFAULT_LEASE_SECONDS = 60;
    private static final int DEFAULT_STATEMENT_TIMEOUT = 10;

    private final Jdbc jdbc;
    private final PoolRows pools;
    private final OfferingRows offerings;
    private final String nodeId;
    private final String owner;
    private final int leaseSeconds;
    /** The pool this store made (closed with it), else {@code null}. */
    private final HikariDataSource pool;
    /**
     * Held open for the store's life when the database is embedded (H2): it closes its files when its last
     * connection closes, and reopening them for every operation cost ~200 ms per write. Else {@code null}.
     */
    private final Connection keepOpen;
    private Schema schema;

    @Activate
    public JdbcStore(@Reference(name = "dataSourceFactory", cardinality = ReferenceCardinality.AT_LEAST_ONE,
            policyOption = ReferencePolicyOption.GREEDY) List<DataSourceFactory> factories, DatabaseConfig config, BundleContext context)
            throws SQLException {
        this(open(factories, config, context), nodeId(config, context), config.lease_seconds(), config.statement_timeout_seconds());
    }

    private JdbcStore(Opened opened, String nodeId, int leaseSeconds, int statementTimeoutSeconds) {
        this(opened.pool(), opened.pool(), opened.embedded() ? opened.raw() : null, nodeId, leaseSeconds, statementTimeoutSeconds);
    }

    /**
     * For a {@link DataSource} made elsewhere (tests, embedding platforms), as node {@code nodeId}. Migrates the
     * schema. (Four arguments: Declarative Services must not mistake it for the activation constructor.)
     */
    public JdbcStore(DataSource dataSource, String nodeId, int leaseSeconds, int statementTimeoutSeconds) {
        this(dataSource, null, dataSource, nodeId, leaseSeconds, statementTimeoutSeconds);
    }

    /** For a {@link DataSource} made elsewhere, as a node of its own with the default lease. Migrates the schema. */
    public JdbcStore(DataSource dataSource) {
        this(dataSource, UUID.randomUUID().toString(), DEFAULT_LEASE_SECONDS, DEFAULT_STATEMENT_TIMEOUT);
    }

    /** {@code keepOpenFrom}: where the connection that keeps an embedded database open comes from, {@code null} if none is needed. */
    private JdbcStore(DataSource dataSource, HikariDataSource pool, DataSource keepOpenFrom, String nodeId, int leaseSeconds,
                      int statementTimeoutSeconds) {
        checkNodeId(nodeId);
        if (leaseSeconds < 10) {
            throw StorageException.invalid("lease.seconds", "must be at least 10 (was " + leaseSeconds + ")");
        }
        this.jdbc = new Jdbc(dataSource, statementTimeoutSeconds);
        this.pools = new PoolRows(jdbc);
        this.offerings = new OfferingRows(jdbc);
        this.pool = pool;
        this.nodeId = nodeId;
        this.owner = nodeId + "@" + UUID.randomUUID().toString().substring(0, 8);
        this.leaseSeconds = leaseSeconds;
        Connection held = null;
        try {
            held = keepOpenFrom == null ? null : keepOpenFrom.getConnection();
        } catch (SQLException e) {
            if (!Jdbc.isUnavailable(e)) {
                closePool();
                throw Jdbc.translate(e);
            }
        }
        this.keepOpen = held;
        this.schema = new Schema(dataSource, jdbc);
        try {
            schema.migrateOrWait();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Runs {@code task} once the database is reachable and its schema migrated: at once on a node that started
     * with its database there, later on one that started while it was away.
     */
    public void whenReady(Runnable task) {
        schema.whenReady(task);
    }

    private record Opened(HikariDataSource pool, DataSource raw, boolean embedded) {
    }

    private static Opened open(List<DataSourceFactory> factories, DatabaseConfig config, BundleContext context) throws SQLException {
        String url = DataSources.url(config.url(), dataDir(context));
        DataSourceFactory factory = DataSources.factoryFor(url, factories);
        DataSource raw = factory.createDataSource(DataSources.properties(url, config));
        return new Opened(DataSources.pooled(raw, config.pool_size(), config.connect_timeout_seconds()), raw, DataSources.embedded(url));
    }

    /** Releases the connections: the one that keeps an embedded database open, and the pool. */
    @Deactivate
    public void close() {
        if (schema != null) {
            schema.close();
        }
        try {
            if (keepOpen != null) {
                keepOpen.close();
            }
        } catch (SQLException e) {
            // closing: nothing left to do with a failure
        }
        closePool();
    }

    private void closePool() {
        if (pool != null) {
            pool.close();
        }
    }

    /** Where the embedded database and the node id live: spindle.data, else karaf.data/spindle, else the bundle's data area. */
    private static File dataDir(BundleContext context) {
        String dir = context.getProperty("spindle.data");
        if (dir == null && context.getProperty("karaf.data") != null) {
            dir = context.getProperty("karaf.data") + File.separator + "spindle";
        }
        return dir != null ? new File(dir) : context.getDataFile("db");
    }

    /** The configured node id, else the one kept in the data directory (made at the first start). */
    private static String nodeId(DatabaseConfig config, BundleContext context) {
        if (!config.node_id().isBlank()) {
            return config.node_id().trim();
        }
        Path file = dataDir(context).toPath().resolve("node-id");
        try {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).trim();
            }
            Files.createDirectories(file.getParent());
            String id = UUID.randomUUID().toString();
            Files.writeString(file, id + "\n", StandardCharsets.UTF_8);
            return id;
        } catch (IOException e) {
            throw new StorageException(Reason.BACKEND_FAILURE, "node.id", "node.id: not configured, and " + file
                    + " cannot be read or written (" + e.getMessage() + ")", e);
        }
    }

    private static void checkNodeId(String id) {
        if (id == null || id.isBlank() || id.length() > 64 || id.contains("@") || id.chars().anyMatch(Character::isISOControl)) {
            throw StorageException.invalid("node.id", "must be 1 to 64 characters, without '@' or control characters");
        }
    }

    /** This node's id (shared by its runs). */
    public String nodeId() {
        return nodeId;
    }

    /** This run of this node: the owner written on the operations it starts. */
    public String owner() {
        return owner;
    }

    // ---- pools ------------------------------------------------------------------------------------------

    /** Inserts the pool, or updates its description (zone, tags, protocol, driver type) if it exists; safe from several nodes at once. */
    public void upsertPool(PoolRecord pool) {
        pools.upsert(pool);
    }

    public void updateCapacity(String pool, PoolCapacity capacity) {
        pools.updateCapacity(pool, capacity);
    }

    public List<PoolRecord> pools() {
        return pools.all();
    }

    public Optional<PoolRecord> pool(String name) {
        return pools.byName(name);
    }

    /** Number of volumes in {@code pool} that are not destroyed. */
    public long liveVolumes(String pool) {
        return pools.liveVolumes(pool);
    }

    /** Bytes ({@code provisionedBytes}) and guaranteed IOPS ({@code provisionedIops}) promised to the pool's volumes not on the SAN yet. */
    public PoolCapacity pending(String pool) {
        return pools.pending(pool);
    }

    // ---- offerings --------------------------------------------------------------------------------------

    /** Stores a new offering; {@link Reason#ALREADY_EXISTS} when its name is taken. */
    public void insertOffering(Offering o) {
        offerings.insert(o);
    }

    public List<Offering> offerings() {
        return offerings.all();
    }

    public Optional<Offering> offering(String name) {
        return offerings.byName(name);
    }

    public boolean deleteOffering(String name) {
        return offerings.delete(name);
    }

    // ---- volumes ----------------------------------------------------------------------------------------

    private static final String INSERT_VOLUME = "INSERT INTO volume (" + VOLUME_COLUMNS + ") VALUES ("
            + "?,".repeat(VolumeColumns.NAMES.size() - 1) + "?)";

    /** Inserts a new volume; its name must be free among live volumes. */
    public void insertVolume(VolumeRecord v) {
        jdbc.transaction(c -> insertVolume(c, v));
    }

    /**
     * Inserts a new volume if it still fits in its pool beside what the SAN reports ({@code san}) and the volumes
     * not on the SAN yet, checked and inserted atomically (several nodes may create in one pool at once).
     *
     * @throws StorageException {@link Reason#CAPACITY} when the pool has no room left
     */
    public void insertVolume(VolumeRecord v, PoolCapacity san) {
        insertVolume(v, san, false, null);
    }

    /**
     * {@link #insertVolume(VolumeRecord, PoolCapacity)}; {@code sanJustRead}: {@code san} was just read from the SAN and
     * is stored as the pool's capacity in the same transaction; {@code also} (when not {@code null}) is written there too.
     */
    public void insertVolume(VolumeRecord v, PoolCapacity san, boolean sanJustRead, InSave also) {
        pools.reserve(v.volume().pool(), v.volume().sizeBytes(), v.volume().plan().storage().minIops(), san, sanJustRead, c -> {
            insertVolume(c, v);
            if (also != null) {
                also.write(c);
            }
            return null;
        });
    }

    private Void insertVolume(Connection c, VolumeRecord v) throws SQLException {
        try {
            jdbc.update(c, INSERT_VOLUME, st -> VolumeColumns.bind(st, v, null));
            pools.count(c, PoolRows.Counted.NONE, PoolRows.Counted.of(v));
            return null;
        } catch (SQLException e) {
            if (Jdbc.isDuplicate(e)) {
                throw new StorageException(Reason.ALREADY_EXISTS, "name", "a volume named " + v.name() + " exists already", null);
            }
            throw e;
        }
    }

    /**
     * Moves {@code current} to {@code next} if nobody changed it since it was read: a compare-and-set on the
     * row version, which is also the fencing token of operations (a node that lost its lease finds the version
     * moved on). {@code next.version()} must be {@code current.version() + 1}. When {@code next} is a
     * transitional state, this run becomes the operation's owner under a fresh lease, and the stable state it
     * started from is kept (or, when {@code next}'s operation names one, that one: an operation begun in the save that
     * ends another).
     *
     * @throws StorageException {@link Reason#BUSY} if the row changed in between
     */
    public VolumeRecord update(VolumeRecord current, VolumeRecord next) {
        return update(current, next, false);
    }

    /**
     * {@link #update(VolumeRecord, VolumeRecord)}; {@code withinPool} for a change a user asked for: when it grows what a
     * volume not on the SAN yet promises its pool, the growth must fit beside the pool's stored SAN capacity and the
     * other volumes not on the SAN yet, checked under the pool row's lock in the transaction that writes the row
     * (recovery's writes are not checked: they only record what happened).
     *
     * @throws StorageException {@link Reason#CAPACITY} when the pool has no room left; {@link Reason#BUSY} as above
     */
    public VolumeRecord update(VolumeRecord current, VolumeRecord next, boolean withinPool) {
        return update(current, next, withinPool, null);
    }

    /**
     * {@link #update(VolumeRecord, VolumeRecord, boolean)}, with {@code also} (when not {@code null}) written in the same
     * transaction once the row is: both are committed, or neither.
     */
    public VolumeRecord update(VolumeRecord current, VolumeRecord next, boolean withinPool, InSave also) {
        if (next.version() != current.version() + 1) {
            throw new IllegalArgumentException("next version must be " + (current.version() + 1));
        }
        boolean inFlight = next.state().isTransitional();
        String previous = !inFlight ? null : next.op() != null && next.op().previous() != null ? next.op().previous().name()
                : startedFrom(current);
        PoolRows.Counted before = PoolRows.Counted.of(current);
        PoolRows.Counted after = PoolRows.Counted.of(next);
        boolean grows = withinPool && java.util.Objects.equals(before.pool(), after.pool())
                && (after.pendingBytes() > before.pendingBytes() || after.pendingIops() > before.pendingIops());
        Jdbc.Work<Integer> write = c -> {
            if (grows) {
                pools.checkGrowth(c, after.pool(), after.pendingBytes() - before.pendingBytes(),
                        after.pendingIops() - before.pendingIops());
            }
            // the pool's counts first (the lock order of a create: pool row, then volume row; of a release: its stripe row,
            // then the volume row), then the row; the
            // compare-and-set also checks what the counts were taken from, so they move by exactly what the row did
            pools.count(c, before, after, current.id().hashCode());
            try {
                int n = jdbc.update(c, UPDATE_VOLUME, st -> {
                    int i = VolumeColumns.bind(st, next, previous);
                    if (inFlight) {
                        st.setString(i++, owner);
                        st.setLong(i++, leaseSeconds);
                        st.setLong(i++, next.pendingSize());
                    } else {
                        st.setNull(i++, Types.VARCHAR);
                        st.setNull(i++, Types.BIGINT);
                        st.setNull(i++, Types.BIGINT);
                    }
                    st.setString(i++, current.id().toString());
                    st.setLong(i++, current.version());
                    st.setString(i++, current.volume().pool());
                    st.setString(i++, current.state().name());
                    st.setLong(i++, current.volume().sizeBytes());
                    st.setLong(i, current.volume().plan().storage().minIops());
                });
                if (n == 1 && next.state() == VolumeState.DESTROYED) {
                    usage().forget(c, next.id());    // its last reading goes with it (its periods stay)
                }
                if (n == 1 && also != null) {
                    also.write(c);
                }
                return n;
            } catch (SQLException e) {
                if (Jdbc.isDuplicate(e)) {
                    throw new StorageException(Reason.ALREADY_EXISTS, "name", "a volume named " + next.name() + " exists already", null);
                }
                throw e;
            }
        };
        int updated = before.sameAs(after) && also == null && next.state() != VolumeState.DESTROYED ? jdbc.run(write) : jdbc.transaction(c -> {
            int n = write.apply(c);
            if (n != 1) {
                c.rollback();    // the counts (and what goes with the save) move only with the row
            }
            return n;
        });
        if (updated != 1) {
            throw new StorageException(Reason.BUSY, "volume", "volume " + current.name() + " was changed by another operation "
                    + "(expected version " + current.version() + "); nothing was done, try again", null);
        }
        return inFlight ? new VolumeRecord(next.volume(), next.attachment(), next.granted(), new Operation(owner, 0,
                VolumeState.valueOf(previous), next.pendingSize())) : next;
    }

    private static final String UPDATE_VOLUME = "UPDATE volume SET "
            + String.join(", ", VolumeColumns.NAMES.stream().map(col -> col + "=?").toList())
            + ", op_node=?, op_lease_until=" + DB_NOW + "+?, op_size=? WHERE id=? AND version=? AND pool=? AND state=? AND size_bytes=? AND p_min_iops=?";

    private String startedFrom(VolumeRecord current) {
        if (!current.state().isTransitional()) {
            return current.state().name();
        }
        if (current.op() != null && current.op().previous() != null) {
            return current.op().previous().name();
        }
        return previousState(current.id());
    }

    /** The stable state the volume's in-flight operation started from, or {@code null}. */
    public String previousState(UUID id) {
        return jdbc.query("SELECT previous_state FROM volume WHERE id=?", st -> st.setString(1, id.toString()),
                rs -> rs.getString(1)).stream().findFirst().orElse(null);
    }

    public Optional<VolumeRecord> volume(UUID id) {
        return jdbc.query("SELECT * FROM volume WHERE id=?", st -> st.setString(1, id.toString()), VolumeColumns::read).stream().findFirst();
    }

    /** The volume whose id or name is {@code nameOrId} (by name: the live one, else the newest destroyed one). */
    public Optional<VolumeRecord> volume(String nameOrId) {
        return looksLikeId(nameOrId) ? volume(UUID.fromString(nameOrId)) : volumeByName(nameOrId);
    }

    /**
     * An id in its canonical form (8-4-4-4-12 hexadecimal digits): looked up by id; anything else is a name (also one
     * that {@link UUID#fromString} would take, such as {@code 1-2-3-4-5}). Checked without an exception: a name is the
     * common case of every operation.
     */
    static boolean looksLikeId(String s) {
        if (s == null || s.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char ch = s.charAt(i);
            boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
            if (dash ? ch != '-' : Character.digit(ch, 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /** The live volume named {@code name}, else the newest destroyed one of that name. */
    public Optional<VolumeRecord> volumeByName(String name) {
        return jdbc.query("SELECT * FROM volume WHERE name=? ORDER BY CASE WHEN live_name IS NULL THEN 1 ELSE 0 END, created DESC",
                st -> st.setString(1, name), VolumeColumns::read).stream().findFirst();
    }

    public List<VolumeRecord> volumes(boolean includeDestroyed) {
        return jdbc.query("SELECT * FROM volume" + (includeDestroyed ? "" : " WHERE live_name IS NOT NULL") + " ORDER BY created, name",
                st -> { }, VolumeColumns::read);
    }

    /** Volumes attached through the attach service {@code service} ({@code hypervisor.service}). */
    public List<VolumeRecord> attachedThrough(String service) {
        return jdbc.query("SELECT * FROM volume WHERE state=? AND attach_service=? ORDER BY created, name", st -> {
            st.setString(1, VolumeState.ATTACHED.name());
            st.setString(2, service);
        }, VolumeColumns::read);
    }

    /** Volumes whose operation is in flight (transitional state), whoever runs it. */
    public List<VolumeRecord> inFlight() {
        List<String> states = Arrays.stream(VolumeState.values()).filter(VolumeState::isTransitional).map(Enum::name).toList();
        return jdbc.query("SELECT * FROM volume WHERE state IN (" + "?,".repeat(states.size() - 1) + "?) ORDER BY created",
                st -> {
                    for (int i = 0; i < states.size(); i++) {
                        st.setString(i + 1, states.get(i));
                    }
                }, VolumeColumns::read);
    }

    // ---- operations and leases --------------------------------------------------------------------------

    /** Now by the database's clock, in seconds since the epoch. */
    public long now() {
        return jdbc.query("SELECT " + DB_NOW, st -> { }, rs -> rs.getLong(1)).get(0);
    }

    /**
     * Operations in flight nobody runs any more: their lease has passed (or they predate leases), or, with
     * {@code ownEarlierRuns}, they were started by an earlier run of this node (which a restart ended).
     */
    public List<VolumeRecord> recoverable(boolean ownEarlierRuns) {
        long now = now();
        String mine = nodeId + "@";
        return inFlight().stream().filter(v -> {
            Operation op = v.op();
            if (op == null || op.node() == null || op.leaseUntil() < now) {
                return true;
            }
            return ownEarlierRuns && op.node().startsWith(mine) && !op.node().equals(owner);
        }).toList();
    }

    /**
     * Extends the lease of the operations of {@code volumes} that this run owns (those it is executing now);
     * returns how many. An operation this run owns but no longer executes (its outcome could not be stored) is
     * left to expire, so that a pass recovers it.
     */
    public int renewLeases(java.util.Collection<UUID> volumes) {
        if (volumes.isEmpty()) {
            return 0;
        }
        List<UUID> ids = List.copyOf(volumes);
        return jdbc.update("UPDATE volume SET op_lease_until=" + DB_NOW + "+? WHERE op_node=? AND id IN ("
                + "?,".repeat(ids.size() - 1) + "?)", st -> {
            st.setLong(1, leaseSeconds);
            st.setString(2, owner);
            for (int i = 0; i < ids.size(); i++) {
                st.setString(3 + i, ids.get(i).toString());
            }
        });
    }

    /** The lease an operation gets, in seconds. */
    public int leaseSeconds() {
        return leaseSeconds;
    }

    /** Pages of volumes, filtered. */
    public VolumePages pages() {
        return new VolumePages(jdbc, this);
    }

    /** The audit trail. */
    public AuditRows audit() {
        return new AuditRows(jdbc);
    }

    /** The usage tables. */
    public UsageRows usage() {
        return new UsageRows(jdbc);
    }

    /** The orphan table. */
    public OrphanRows orphans() {
        return new OrphanRows(jdbc);
    }
}
