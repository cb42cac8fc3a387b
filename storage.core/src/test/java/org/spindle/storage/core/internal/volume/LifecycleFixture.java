package org.spindle.storage.core.internal.volume;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.Limit;
import org.spindle.storage.api.qos.QosSpec;
import org.spindle.storage.api.qos.StorageQos;
import org.spindle.storage.api.volume.Offering;
import org.spindle.storage.api.volume.Volume;
import org.spindle.storage.api.volume.VolumeSpec;
import org.spindle.storage.core.internal.db.JdbcStore;
import org.spindle.storage.core.internal.db.VolumeRecord;
import org.spindle.storage.core.internal.registry.AttachRegistry;
import org.spindle.storage.core.internal.registry.DriverRegistry;
import org.spindle.storage.core.internal.registry.LimitDefaults;
import org.spindle.storage.core.internal.registry.Rejections;

/**
 * The core over a real database (in-memory H2 here; PostgreSQL in the {@code Postgres*} subclasses), a fake
 * SAN serving pool sf1 (tag gold, every storage QoS) and a fake host h1 running vm1. Host changes are
 * reconciled synchronously.
 */
abstract class LifecycleFixture {
    static final long G = 1L << 30;
    static final List<String> ALL_LIMITS = List.of("iops", "bps", "read-write", "total", "burst", "burst-length");

    DataSource db;
    JdbcStore store;
    Rejections rejections;
    DriverRegistry pools;
    AttachRegistry attachers;
    LimitDefaults defaults;
    VolumeManager volumes;
    OfferingManager offerings;
    FakeSan san = new FakeSan();
    FakeHypervisor h1 = new FakeHypervisor("h1", "vm1");

    /** A fresh, empty database for one test. */
    protected DataSource dataSource() throws Exception {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        return ds;
    }

    @BeforeEach
    void setUp() throws Exception {
        db = dataSource();
        start();
        offerings.create(new Offering("gold", "", List.of("gold"), new QosSpec(new StorageQos(500, 1000, 1500),
                new IoLimits(Limit.of(400), Limit.of(200), Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE)), false));
    }

    /** Node node-a starts over the test's database and peers: the store, the registries and the lifecycle. */
    void start() {
        store = new JdbcStore(db, "node-a", 60, 10);
        rejections = new Rejections();
        pools = new DriverRegistry(store, rejections);
        attachers = new AttachRegistry(rejections);
        defaults = new LimitDefaults();
        volumes = newManager();
        offerings = new OfferingManager(store);
        pools.add(1, "test.driver", san, driverProps("sf1", "gold", "min-iops", "max-iops", "burst-iops"));
        attachers.add(2, "test.attach", h1, attachProps("h1", "iscsi", ALL_LIMITS));
    }

    /** As after a kill -9 and a start of the same node: a new run of node-a (the old one is gone, its leases with it). */
    void restart() {
        store.close();      // its connections go with the process
        start();
    }

    @AfterEach
    void closeStore() throws Exception {
        store.close();
        if (db instanceof AutoCloseable pooled) {
            pooled.close();
        }
    }

    /** Every event the volume managers of this test posted or sent, in order. */
    final List<Event> posted = new CopyOnWriteArrayList<>();

    /** A volume manager over this fixture, as after a restart, posting its events into {@link #posted}. */
    VolumeManager newManager() {
        VolumeManager m = new VolumeManager(store, pools, attachers, defaults, Runnable::run, Reconciler.ReconcileSettings.DEFAULT,
                VolumeManager.QosSettings.DEFAULT, usageClock(), null);
        m.setEventAdmin(new EventAdmin() {
            @Override
            public void postEvent(Event event) {
                posted.add(event);
            }

            @Override
            public void sendEvent(Event event) {
                posted.add(event);
            }
        });
        return m;
    }

    /** The clock usage readings take their time from: the system's, unless a test needs readings it can predict. */
    java.time.Clock usageClock() {
        return java.time.Clock.systemUTC();
    }

    /** The events posted so far whose topic starts with {@code prefix}. */
    List<Event> posted(String prefix) {
        return posted.stream().filter(e -> e.getTopic().startsWith(prefix)).toList();
    }

    static Map<String, Object> driverProps(String pool, String tag, String... qos) {
        Map<String, Object> p = new HashMap<>();
        p.put("storage.pool", pool);
        p.put("storage.driver.type", "test");
        p.put("storage.zone", "z1");
        p.put("storage.tags", new String[] {tag});
        p.put("storage.protocols", new String[] {"iscsi"});
        p.put("storage.qos", qos);
        return p;
    }

    /** A single-host KVM service: no hypervisor.service, so its identity is its host. */
    static Map<String, Object> attachProps(String host, String protocol, List<String> limits) {
        Map<String, Object> p = new HashMap<>();
        p.put("hypervisor.type", "kvm");
        p.put("hypervisor.hosts", new String[] {host});
        p.put("storage.zone", "z1");
        p.put("storage.protocols", new String[] {protocol});
        p.put("hypervisor.limits", limits.toArray(String[]::new));
        p.put("hypervisor.initiators", new String[] {iqn(host)});
        return p;
    }

    static String iqn(String host) {
        return "iqn.2026-11.org.example:" + host;
    }

    /** A volume of offering flex: gold's hypervisor limits, custom IOPS allowed up to max 5000 and burst 5000. */
    Volume createCustom(String name) {
        if (store.offering("flex").isEmpty()) {
            offerings.create(new Offering("flex", "", List.of("gold"), new QosSpec(new StorageQos(500, 5000, 5000),
                    new IoLimits(Limit.of(400), Limit.of(200), Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE)), true));
        }
        return volumes.create(new VolumeSpec(name, "flex", 10 * G, "admin", StorageQos.NONE));
    }

    Volume create(String name) {
        return volumes.create(new VolumeSpec(name, "gold", 10 * G, "admin", StorageQos.NONE));
    }

    /** The stored row of a volume. */
    VolumeRecord row(String name) {
        return store.volumeByName(name).orElseThrow();
    }
}
