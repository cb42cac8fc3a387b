package org.spindle.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.spindle.itest.attach.internal.BenchHypervisors;
import org.spindle.itest.driver.internal.BenchSans;
import org.spindle.itest.driver.internal.TestStorageDriver;
import org.spindle.storage.api.attach.HypervisorAttachService;
import org.spindle.storage.api.driver.StorageDriver;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.Limit;
import org.spindle.storage.api.qos.QosSpec;
import org.spindle.storage.api.qos.StorageQos;
import org.spindle.storage.api.volume.Offering;
import org.spindle.storage.api.volume.Volume;
import org.spindle.storage.api.volume.VolumeSpec;
import org.spindle.storage.core.internal.db.JdbcStore;
import org.spindle.storage.core.internal.registry.AttachRegistry;
import org.spindle.storage.core.internal.registry.DriverRegistry;
import org.spindle.storage.core.internal.registry.LimitDefaults;
import org.spindle.storage.core.internal.registry.Rejections;
import org.spindle.storage.core.internal.volume.BenchCores;
import org.spindle.storage.core.internal.volume.RuntimeService;
import org.spindle.storage.core.internal.volume.VolumeManager;

import com.zaxxer.hikari.HikariDataSource;

/**
 * One node of the core over a database, with a SAN (pool sf1, tag gold: the test SAN, or the SolidFire driver over the
 * simulator) and a test host h1 (100 VMs) in zone z1,
 * both behind {@link Timed} wrappers. The peers ({@link Peers}) outlive the node: {@link #close} and {@link #start} again
 * is a restart of the core against the same SAN, hypervisor and database.
 */
final class Rig implements AutoCloseable {
    static final String POOL = "sf1";
    static final String ZONE = "z1";
    static final String HOST = "h1";
    static final String OFFERING = "gold";
    static final int VMS = 100;
    static final long GIB = 1L << 30;

    /**
     * The SAN and the hypervisor: external to the core, so they survive its restarts. {@code driver} is the pool's driver
     * (of type {@code driverType}); {@code san} is the test SAN when that is the driver, else null.
     */
    record Peers(StorageDriver driver, String driverType, TestStorageDriver san, BenchHypervisors.Registered host, Timed sanTime,
                 Timed hostTime) {
        static Peers make(long latencyMillis) {
            TestStorageDriver san = BenchSans.san(POOL, latencyMillis);
            return new Peers(san, "test", san, host(latencyMillis), new Timed(), new Timed());
        }

        /** A pool of another driver ({@code solidfire} over the simulator) with the test host. */
        static Peers over(StorageDriver driver, String driverType, long hostLatencyMillis) {
            return new Peers(driver, driverType, null, host(hostLatencyMillis), new Timed(), new Timed());
        }

        private static BenchHypervisors.Registered host(long latencyMillis) {
            List<String> vms = IntStream.range(0, VMS).mapToObj(Rig::vm).toList();
            return BenchHypervisors.host(HOST, ZONE, vms, latencyMillis);
        }

        long externalNanos() {
            return sanTime.nanos() + hostTime.nanos();
        }

        long externalCalls() {
            return sanTime.total() + hostTime.total();
        }

        void resetTimes() {
            sanTime.reset();
            hostTime.reset();
        }
    }

    final Peers peers;
    final Databases.Db where;
    final HikariDataSource db;
    final JdbcStore store;
    final VolumeManager volumes;
    /** What storage:pool-list and the other introspection commands read. */
    final RuntimeService runtime;
    private final boolean activated;

    private Rig(Peers peers, Databases.Db where, HikariDataSource db, JdbcStore store, VolumeManager volumes, RuntimeService runtime, boolean activated) {
        this.peers = peers;
        this.where = where;
        this.db = db;
        this.store = store;
        this.volumes = volumes;
        this.runtime = runtime;
        this.activated = activated;
    }

    /**
     * Starts a node: the store (schema migrated), the registries with the SAN's driver and the host's attach service, and
     * the lifecycle; {@code activated}: as Declarative Services activates it (a reconciliation pass at start, in the
     * background), else as the core's tests make it.
     */
    static Rig start(Databases.Db where, Peers peers, boolean activated) {
        HikariDataSource db = where.open();
        JdbcStore store = new JdbcStore(db, "bench", 60, 10);
        Rejections rejections = new Rejections();
        DriverRegistry pools = new DriverRegistry(store, rejections);
        AttachRegistry attachers = new AttachRegistry(rejections);
        LimitDefaults defaults = new LimitDefaults();
        pools.add(1, peers.san() != null ? "org.spindle.itest.driver" : "org.spindle.driver." + peers.driverType(), peers.sanTime().wrap(StorageDriver.class, peers.driver()),
                driverProps(peers.driverType()));
        attachers.add(2, "org.spindle.itest.attach", peers.hostTime().wrap(HypervisorAttachService.class, peers.host().service()),
                peers.host().properties());
        VolumeManager volumes = activated ? BenchCores.activated(store, pools, attachers, defaults)
                : BenchCores.manager(store, pools, attachers, defaults);
        if (store.offering(OFFERING).isEmpty()) {
            store.insertOffering(offering());
        }
        return new Rig(peers, where, db, store, volumes, new RuntimeService(store, pools, attachers), activated);
    }

    static Offering offering() {
        return new Offering(OFFERING, "", List.of(OFFERING), new QosSpec(new StorageQos(500, 1000, 1500),
                new IoLimits(Limit.of(400), Limit.of(200), Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE)), false);
    }

    private static Map<String, Object> driverProps(String type) {
        Map<String, Object> p = new HashMap<>();
        p.put("storage.pool", POOL);
        p.put("storage.driver.type", type);
        p.put("storage.zone", ZONE);
        p.put("storage.tags", new String[] {OFFERING});
        p.put("storage.protocols", new String[] {"iscsi"});
        p.put("storage.qos", new String[] {"min-iops", "max-iops", "burst-iops"});
        return p;
    }

    static String vm(int i) {
        return "vm" + i;
    }

    Volume create(String name) {
        return volumes.create(new VolumeSpec(name, OFFERING, GIB, "admin", StorageQos.NONE));
    }

    /** Stops the node: its threads, its store and its connections. */
    @Override
    public void close() {
        if (activated) {
            BenchCores.deactivate(volumes);
        }
        store.close();
        where.shutdown(db);
        db.close();
    }
}
