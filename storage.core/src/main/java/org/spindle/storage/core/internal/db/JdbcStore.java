package org.spindle.storage.core.internal.db;

import java.sql.Connection;
import java.sql.SQLException;
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
    /** Now, in seconds since the epoch, by the database's clock: leases never depend on the nodes' clocks. */
    static final String DB_NOW = "CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP) AS BIGINT)";
    private static final int DEFAULT_LEASE_SECONDS = 60;
    private static final int DEFAULT_STATEMENT_TIMEOUT = 10;

    private final Jdbc jdbc;
    private final PoolRows pools;
    private final OfferingRows offerings;
    private final VolumeWrites writes;
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
        this(open(factories, config, context), NodeIdentity.nodeId(config.node_id(), NodeIdentity.dataDir(context).toPath()),
                config.lease_seconds(), config.statement_timeout_seconds());
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
        NodeIdentity.check(nodeId);
        if (leaseSeconds < 10) {
            throw StorageException.invalid("lease.seconds", "must be at least 10 (was " + leaseSeconds + ")");
        }
        this.pool = pool;
        Connection held = null;
        boolean embedded = false;
        try {
            held = keepOpenFrom == null ? null : keepOpenFrom.getConnection();
            embedded = held != null && DataSources.embedded(held.getMetaData().getURL());
        } catch (SQLException e) {
            if (!Jdbc.isUnavailable(e)) {
                closePool();
                throw Jdbc.translate(e);
            }
        }
        this.keepOpen = held;
        // a database only this process writes: its commits are grouped (CommitGroups says why and when that pays)
        this.jdbc = new Jdbc(dataSource, statementTimeoutSeconds, embedded);
        this.pools = new PoolRows(jdbc);
        this.offerings = new OfferingRows(jdbc);
        this.nodeId = nodeId;
        this.owner = nodeId + "@" + UUID.randomUUID().toString().substring(0, 8);
        this.leaseSeconds = leaseSeconds;
        this.writes = new VolumeWrites(jdbc, pools, owner, leaseSeconds);
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
        String url = DataSources.url(config.url(), NodeIdentity.dataDir(context));
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

    /** Whether this store's transactions share commits (on a database only this process writes). */
    boolean groupsCommits() {
        return jdbc.groupsCommits();
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

    /** Inserts a new volume; its name must be free among live volumes. */
    public void insertVolume(VolumeRecord v) {
        writes.insert(v);
    }

    /** {@link VolumeWrites#insert(VolumeRecord, PoolCapacity, boolean, InSave)}, neither storing {@code san} nor writing more. */
    public void insertVolume(VolumeRecord v, PoolCapacity san) {
        writes.insert(v, san, false, null);
    }

    /** {@link VolumeWrites#insert(VolumeRecord, PoolCapacity, boolean, InSave)}. */
    public void insertVolume(VolumeRecord v, PoolCapacity san, boolean sanJustRead, InSave also) {
        writes.insert(v, san, sanJustRead, also);
    }

    /** {@link VolumeWrites#update(VolumeRecord, VolumeRecord, boolean, InSave)}, not a change a user asked for, nothing more written. */
    public VolumeRecord update(VolumeRecord current, VolumeRecord next) {
        return writes.update(current, next, false, null);
    }

    /** {@link VolumeWrites#update(VolumeRecord, VolumeRecord, boolean, InSave)}, nothing more written. */
    public VolumeRecord update(VolumeRecord current, VolumeRecord next, boolean withinPool) {
        return writes.update(current, next, withinPool, null);
    }

    /** {@link VolumeWrites#update(VolumeRecord, VolumeRecord, boolean, InSave)}. */
    public VolumeRecord update(VolumeRecord current, VolumeRecord next, boolean withinPool, InSave also) {
        return writes.update(current, next, withinPool, also);
    }

    /** The stable state the volume's in-flight operation started from, or {@code null}. */
    public String previousState(UUID id) {
        return writes.previousState(id);
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
