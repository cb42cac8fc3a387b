package org.spindle.storage.core.internal.volume;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.h2.jdbcx.JdbcDataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.spindle.storage.api.PoolCapacity;
import org.spindle.storage.api.attach.HypervisorAttachService;
import org.spindle.storage.api.driver.StorageDriver;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.QosSpec;
import org.spindle.storage.api.qos.StorageQos;
import org.spindle.storage.api.volume.Offering;
import org.spindle.storage.core.internal.db.JdbcStore;
import org.spindle.storage.core.internal.db.PoolRecord;
import org.spindle.storage.core.internal.registry.AttachRegistry;
import org.spindle.storage.core.internal.registry.BoundAttach;
import org.spindle.storage.core.internal.registry.BoundPool;
import org.spindle.storage.core.internal.registry.DriverRegistry;
import org.spindle.storage.core.internal.registry.Rejections;

/**
 * Routing in a zone of 20 pools (4 storage tags) and 50 attach services (KVM hosts): the pool for a new volume, and
 * the attach services able to attach one of its volumes (LDAP filter over their service properties).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RoutingBench {
    private static final int POOLS = 20;
    private static final int HOSTS = 50;
    private final VolumeRouter router = new VolumeRouter();
    private final Offering offering = new Offering("gold", "", List.of("gold"), new QosSpec(new StorageQos(500, 1000, 1500), IoLimits.NONE), false);
    private final PoolCapacity capacity = new PoolCapacity(1L << 50, 1L << 40, 1_000_000, 1_000);
    private JdbcStore store;
    private DriverRegistry pools;
    private AttachRegistry attachers;
    private List<PoolRecord> known;
    private List<BoundPool> available;
    private PoolRecord pool;

    @Setup(Level.Trial)
    public void setUp() {
        JdbcDataSource db = new JdbcDataSource();
        db.setURL("jdbc:h2:mem:routing-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        store = new JdbcStore(db, "bench", 60, 10);
        Rejections rejections = new Rejections();
        pools = new DriverRegistry(store, rejections);
        attachers = new AttachRegistry(rejections);
        String[] tags = {"gold", "silver", "bronze", "fast"};
        for (int i = 0; i < POOLS; i++) {
            Map<String, Object> p = new HashMap<>();
            p.put("storage.pool", "pool" + i);
            p.put("storage.driver.type", "test");
            p.put("storage.zone", "z1");
            p.put("storage.tags", new String[] {tags[i % tags.length]});
            p.put("storage.protocols", new String[] {"iscsi"});
            p.put("storage.qos", new String[] {"min-iops", "max-iops", "burst-iops"});
            pools.add(100 + i, "bench", none(StorageDriver.class), p);
        }
        for (int i = 0; i < HOSTS; i++) {
            Map<String, Object> p = new HashMap<>();
            p.put("hypervisor.type", "kvm");
            p.put("hypervisor.hosts", new String[] {"h" + i});
            p.put("storage.zone", "z1");
            p.put("storage.protocols", new String[] {i % 5 == 0 ? "nfs" : "iscsi"});
            p.put("hypervisor.limits", new String[] {"iops", "bps", "read-write", "total", "burst", "burst-length"});
            p.put("hypervisor.initiators", new String[] {"iqn.2026-11.org.spindle.bench:h" + i});
            attachers.add(1000 + i, "bench", none(HypervisorAttachService.class), p);
        }
        known = store.pools();
        available = pools.available();
        pool = known.get(0);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        store.close();
    }

    @Benchmark
    public BoundPool choosePool() {
        return router.choosePool(offering, 1L << 30, 500, known, available, b -> capacity);
    }

    @Benchmark
    public List<BoundAttach> attachServicesForAVolume() {
        return attachers.matching(router.attachFilter(pool, null, null));
    }

    @Benchmark
    public List<BoundAttach> attachServicesOnAHost() {
        return attachers.matching(router.attachFilter(pool, "h17", null));
    }

    /** A driver or attach service that is never called (routing reads only the service properties). */
    @SuppressWarnings("unchecked")
    private static <T> T none(Class<T> type) {
        return (T) Proxy.newProxyInstance(RoutingBench.class.getClassLoader(), new Class<?>[] {type}, (p, m, a) -> {
            if (m.getName().equals("capacity")) {
                return new PoolCapacity(1L << 50, 0, 1_000_000, 0);
            }
            if (m.getName().equals("toString")) {
                return type.getSimpleName();
            }
            throw new UnsupportedOperationException(m.getName());
        });
    }
}
