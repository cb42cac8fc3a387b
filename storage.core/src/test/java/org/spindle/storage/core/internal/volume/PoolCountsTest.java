package org.spindle.storage.core.internal.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.spindle.storage.api.PoolCapacity;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.Limit;
import org.spindle.storage.api.qos.QosSpec;
import org.spindle.storage.api.qos.StorageQos;
import org.spindle.storage.api.volume.Offering;
import org.spindle.storage.api.volume.VolumeSpec;
import org.spindle.storage.api.volume.VolumeState;
import org.spindle.storage.core.internal.db.JdbcStore;
import org.spindle.storage.core.internal.db.PoolRecord;
import org.spindle.storage.core.internal.registry.AttachRegistry;
import org.spindle.storage.core.internal.registry.DriverRegistry;
import org.spindle.storage.core.internal.registry.LimitDefaults;
import org.spindle.storage.core.internal.registry.Rejections;

/**
 * The counts a pool row keeps (bytes and guaranteed IOPS promised to volumes not on the SAN yet, live volumes) equal a
 * recount of the volume table after a random mix of creates (some refused for capacity or a taken name), attaches,
 * detaches, resizes and QoS changes (of volumes on the SAN and not), deletes, failed and lost SAN replies, crashes
 * followed by a restart and a reconciliation pass, and two nodes working at once. On H2 here; on PostgreSQL in
 * {@link PostgresPoolCountsTest}.
 */
class PoolCountsTest extends LifecycleFixture {
    private static final int STEPS = 160;

    /** Pool name → {pending bytes, pending IOPS, live volumes}, counted from the volume rows themselves. */
    private Map<String, List<Long>> recount() throws Exception {
        Map<String, List<Long>> out = new TreeMap<>();
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement("SELECT p.name, "
                + "(SELECT COALESCE(SUM(v.size_bytes), 0) FROM volume v WHERE v.pool = p.name AND v.state IN ('ALLOCATED', 'CREATING')), "
                + "(SELECT COALESCE(SUM(v.p_min_iops), 0) FROM volume v WHERE v.pool = p.name AND v.state IN ('ALLOCATED', 'CREATING')), "
                + "(SELECT COUNT(*) FROM volume v WHERE v.pool = p.name AND v.state <> 'DESTROYED') FROM pool p");
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), List.of(rs.getLong(2), rs.getLong(3), rs.getLong(4)));
            }
        }
        return out;
    }

    private Map<String, List<Long>> kept() {
        Map<String, List<Long>> out = new TreeMap<>();
        for (PoolRecord p : store.pools()) {
            out.put(p.name(), List.of(p.pending().provisionedBytes(), p.pending().provisionedIops(), p.liveVolumes()));
        }
        return out;
    }

    private void assertCountsTrue(String when) throws Exception {
        assertEquals(recount(), kept(), "pool counts against a recount, " + when);
    }

    @Test
    void countsEqualARecount_afterARandomMixOfOperationsFailuresCrashesAndRecovery() throws Exception {
        san.capacity = new PoolCapacity(300 * G, 0, 0, 0);
        offerings.create(new Offering("flex", "", List.of("gold"), new QosSpec(new StorageQos(100, 5000, 5000),
                new IoLimits(Limit.of(400), Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE)), true));
        Random random = new Random(8);
        Map<String, Integer> outcomes = new TreeMap<>();
        for (int step = 0; step < STEPS; step++) {
            String name = "v" + random.nextInt(12);
            String what = step(random, name);
            outcomes.merge(what, 1, Integer::sum);
            if (step % 20 == 19) {
                assertCountsTrue("after step " + step + " (" + outcomes + ")");
            }
        }
        restart();
        volumes.reconcile();
        assertCountsTrue("at the end (" + outcomes + ")");
        for (String kind : List.of("create ok", "create refused", "attach ok", "attach failed", "crash", "delete ok",
                "resize ok", "qos ok", "detach ok")) {
            assertTrue(outcomes.containsKey(kind), "the mix did " + kind + ": " + outcomes);
        }
        assertTrue(kept().get("sf1").get(0) > 0 && kept().get("sf1").get(1) > 0, "something is still promised: " + kept());
    }

    /** One random operation on {@code name}; returns what happened. */
    private String step(Random random, String name) {
        int dice = random.nextInt(100);
        try {
            if (dice < 30) {
                long size = (1 + random.nextInt(40)) * G;
                StorageQos custom = new StorageQos(100 * (1 + random.nextInt(10)), 4000, 5000);
                volumes.create(new VolumeSpec(name, "flex", size, "admin", custom));
                return "create ok";
            }
            if (dice < 50) {
                switch (random.nextInt(4)) {
                    case 0 -> san.loseReplyOf = "create";
                    case 1 -> san.failNextGrant = new StorageException(StorageException.Reason.BACKEND_FAILURE, "grant refused");
                    default -> { }
                }
                volumes.attach(name, "vm1", null);
                return "attach ok";
            }
            if (dice < 58) {
                return crash(random, name);
            }
            if (dice < 68) {
                volumes.detach(name);
                return "detach ok";
            }
            if (dice < 78) {
                volumes.resize(name, volumes.get(name).map(v -> v.sizeBytes()).orElse(0L) + G);
                return "resize ok";
            }
            if (dice < 88) {
                volumes.changeQos(name, new QosSpec(new StorageQos(100 * (1 + random.nextInt(10)), 4000, 5000), IoLimits.NONE));
                return "qos ok";
            }
            volumes.delete(name);
            return "delete ok";
        } catch (StorageException refused) {
            String op = dice < 30 ? "create" : dice < 50 ? "attach" : dice < 68 ? "detach" : dice < 78 ? "resize" : dice < 88 ? "qos" : "delete";
            return op + (refused.reason() == StorageException.Reason.BACKEND_FAILURE ? " failed" : " refused");
        } finally {
            san.loseReplyOf = null;
            san.failNextGrant = null;
        }
    }

    /** A kill -9 in the middle of the first SAN create, a delete or a resize (as the volume's state allows), then a restart and a pass. */
    private String crash(Random random, String name) {
        VolumeState state = volumes.get(name).map(v -> v.state()).orElse(VolumeState.DESTROYED);
        try {
            if (state == VolumeState.ALLOCATED) {
                san.crashAfter = "create";
                volumes.attach(name, "vm1", null);
            } else if (state == VolumeState.READY && random.nextBoolean()) {
                san.crashAfter = "delete";
                volumes.delete(name);
            } else if (state == VolumeState.READY || state == VolumeState.ATTACHED) {
                san.crashAfter = "resize";
                volumes.resize(name, volumes.get(name).orElseThrow().sizeBytes() + G);
            } else {
                return "crash refused";
            }
            return "no crash";
        } catch (Crash expected) {
            restart();
            volumes.reconcile();
            return "crash";
        } finally {
            san.crashAfter = null;
        }
    }

    @Test
    void countsEqualARecount_afterTwoNodesCreatedAttachedAndDeletedAtOnce() throws Exception {
        san.capacity = new PoolCapacity(150 * G, 0, 0, 0);
        JdbcStore storeB = new JdbcStore(db, "node-b", 60, 10);
        Rejections r = new Rejections();
        DriverRegistry poolsB = new DriverRegistry(storeB, r);
        AttachRegistry attachersB = new AttachRegistry(r);
        poolsB.add(1, "test.driver", san, driverProps("sf1", "gold", "min-iops", "max-iops", "burst-iops"));
        attachersB.add(2, "test.attach", h1, attachProps("h1", "iscsi", ALL_LIMITS));
        VolumeManager b = new VolumeManager(storeB, poolsB, attachersB, new LimitDefaults(), Runnable::run);
        ExecutorService workers = Executors.newFixedThreadPool(4);
        List<Future<?>> all = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            VolumeManager node = i % 2 == 0 ? volumes : b;
            String name = "c" + (i % 20);
            int kind = i / 20;
            all.add(workers.submit(() -> {
                try {
                    if (kind == 0) {
                        node.create(new VolumeSpec(name, "gold", 10 * G, "admin", StorageQos.NONE));
                        node.attach(name, "vm1", null);
                    } else if (node.get(name).filter(v -> v.state() == VolumeState.ATTACHED).isPresent()) {
                        node.detach(name);
                        node.delete(name);
                    } else {
                        node.delete(name);
                    }
                } catch (StorageException refusedOrBusy) {
                    // capacity, a name taken, another operation in flight: the counts must hold all the same
                }
            }));
        }
        for (Future<?> f : all) {
            f.get(120, TimeUnit.SECONDS);
        }
        workers.shutdown();
        storeB.close();
        assertCountsTrue("after two nodes worked at once");
    }
}
