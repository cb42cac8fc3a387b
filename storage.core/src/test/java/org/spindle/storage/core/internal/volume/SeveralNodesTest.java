package org.spindle.storage.core.internal.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.spindle.storage.api.PoolCapacity;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;
import org.spindle.storage.api.attach.AttachRequest;
import org.spindle.storage.api.attach.VmInfo;
import org.spindle.storage.api.driver.SanVolumeRequest;
import org.spindle.storage.api.qos.StorageQos;
import org.spindle.storage.api.runtime.Orphan;
import org.spindle.storage.api.runtime.ReconcileReport;
import org.spindle.storage.api.volume.Volume;
import org.spindle.storage.api.volume.VolumeSpec;
import org.spindle.storage.api.volume.VolumeState;
import org.spindle.storage.core.internal.db.JdbcStore;
import org.spindle.storage.core.internal.db.PoolRecord;
import org.spindle.storage.core.internal.db.VolumeRecord;
import org.spindle.storage.core.internal.registry.AttachRegistry;
import org.spindle.storage.core.internal.registry.DriverRegistry;
import org.spindle.storage.core.internal.registry.Rejections;

/**
 * Several runtimes on one database (node-a is the fixture's, node-b is made here over the same database and peers):
 * leases keep a node's live operation its own, the row version fences a node whose lease passed, orphans are
 * found and removed only when certain, capacity is reserved atomically, pools are written race-free. On H2 here;
 * on PostgreSQL in {@link PostgresSeveralNodesTest}.
 */
class SeveralNodesTest extends LifecycleFixture {

    /** Node node-b over the same database and peers, with orphans removed at once. */
    private VolumeManager nodeB(FakeHypervisor... more) {
        JdbcStore b = new JdbcStore(db, "node-b", 60, 10);
        Rejections r = new Rejections();
        DriverRegistry p = new DriverRegistry(b, r);
        AttachRegistry a = new AttachRegistry(r);
        p.add(1, "test.driver", san, driverProps("sf1", "gold", "min-iops", "max-iops", "burst-iops"));
        a.add(2, "test.attach", h1, attachProps("h1", "iscsi", ALL_LIMITS));
        for (FakeHypervisor h : more) {
            a.add(10 + List.of(more).indexOf(h), "test.attach", h, attachProps(h.host, "iscsi", ALL_LIMITS));
        }
        return new VolumeManager(b, p, a, new org.spindle.storage.core.internal.registry.LimitDefaults(), Runnable::run,
                new Reconciler.ReconcileSettings(0, 0, true), null);
    }

    private void expireLeases() throws Exception {
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE volume SET op_lease_until = 0 WHERE op_node IS NOT NULL");
        }
    }

    @Test
    void anotherNodesLiveOperationIsLeftAlone_untilItsLeaseHasPassed() throws Exception {
        create("v1");
        h1.crashAfterAttach = true;
        assertThrows(Crash.class, () -> volumes.attach("v1", "vm1", null));
        VolumeManager b = nodeB();

        ReconcileReport early = b.reconcile();
        assertTrue(early.recovered().isEmpty(), early.toString());
        assertEquals(VolumeState.ATTACHING, volumes.get("v1").orElseThrow().state(), "node-a's lease still runs");

        expireLeases();
        ReconcileReport late = b.reconcile();
        assertEquals(1, late.recovered().size(), late.toString());
        assertEquals(VolumeState.ATTACHED, volumes.get("v1").orElseThrow().state());
    }

    @Test
    void renewedLeasesRunOnWhileTheOperationDoes() throws Exception {
        create("v1");
        h1.crashBeforeAttach = true;
        assertThrows(Crash.class, () -> volumes.attach("v1", "vm1", null));
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE volume SET op_lease_until = 1");
        }
        assertEquals(0, store.renewLeases(volumes.executing()), "the crashed attach is no operation this run executes");
        assertEquals(1, store.renewLeases(java.util.Set.of(row("v1").id())));
        long until = store.volumeByName("v1").orElseThrow().op().leaseUntil();
        assertTrue(until >= store.now() + 50, "renewed to now + 60 s, was " + until + " at " + store.now());
        assertTrue(store.volumeByName("v1").orElseThrow().op().node().startsWith("node-a@"));
    }

    @Test
    void aNodeWhoseLeasePassedCannotRecordItsLateOutcome_andTheDiskItLeftIsRemoved() throws Exception {
        create("v1");
        CountDownLatch inAttach = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        h1.onAttach = () -> {
            inAttach.countDown();
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> slow = pool.submit(() -> volumes.attach("v1", "vm1", null));
            assertTrue(inAttach.await(20, TimeUnit.SECONDS));
            expireLeases();
            VolumeManager b = nodeB();
            ReconcileReport taken = b.reconcile();
            assertEquals(VolumeState.READY, taken.recovered().get(0).outcome(), "no disk yet: rolled back by node-b");
            h1.onAttach = () -> { };
            release.countDown();
            Exception late = assertThrows(Exception.class, () -> slow.get(20, TimeUnit.SECONDS));
            StorageException refused = (StorageException) late.getCause();
            assertEquals(Reason.BUSY, refused.reason(), "fenced by the row version");
            assertEquals(VolumeState.READY, volumes.get("v1").orElseThrow().state());
            assertEquals(1, h1.attached.size(), "node-a's attach reached the hypervisor after all");

            ReconcileReport swept = b.reconcile();
            Orphan disk = swept.orphans().stream().filter(o -> o.kind().equals(Orphan.DISK)).findFirst().orElseThrow();
            assertTrue(disk.removed(), swept.toString());
            assertTrue(h1.attached.isEmpty(), "the disk no volume accounts for is gone");
            assertTrue(san.access(volumes.get("v1").orElseThrow().id()).isEmpty(), "and so is its access");
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void anAttachWhoseOutcomeCouldNotBeStored_isRecoveredOnceItsLeasePasses_notRenewedForEver() throws Exception {
        create("v1");
        Outage outage = new Outage(db);
        JdbcStore c = new JdbcStore(outage, "node-c", 60, 10);
        Rejections r = new Rejections();
        DriverRegistry p = new DriverRegistry(c, r);
        AttachRegistry a = new AttachRegistry(r);
        p.add(1, "test.driver", san, driverProps("sf1", "gold", "min-iops", "max-iops", "burst-iops"));
        a.add(2, "test.attach", h1, attachProps("h1", "iscsi", ALL_LIMITS));
        VolumeManager nodeC = new VolumeManager(c, p, a, new org.spindle.storage.core.internal.registry.LimitDefaults(), Runnable::run,
                new Reconciler.ReconcileSettings(0, 0, true), null);
        h1.onAttach = () -> outage.down = true; // the database goes away while the hypervisor attaches
        StorageException away = assertThrows(StorageException.class, () -> nodeC.attach("v1", "vm1", null));
        assertEquals(Reason.UNAVAILABLE, away.reason(), away.getMessage());
        assertTrue(away.getMessage().contains("database: unavailable"), away.getMessage());
        outage.down = false;
        h1.onAttach = () -> { };
        assertEquals(VolumeState.ATTACHING, volumes.get("v1").orElseThrow().state());
        assertTrue(nodeC.executing().isEmpty(), "not renewed: its lease runs out");
        assertEquals(Reason.BUSY, assertThrows(StorageException.class, () -> nodeC.detach("v1")).reason());

        expireLeases();
        ReconcileReport r2 = nodeC.reconcile();
        assertEquals(VolumeState.ATTACHED, volumes.get("v1").orElseThrow().state(), r2.toString());
        assertEquals(VolumeState.READY, nodeC.detach("v1").state());
    }

    @Test
    void aSanVolumeOfADestroyedVolume_isReportedDuringItsGracePeriod_thenRemoved() {
        Volume v = create("v1");
        volumes.attach("v1", "vm1", null);
        volumes.detach("v1");
        VolumeRecord r = row("v1");
        store.update(r, VolumeChange.of(r).state(VolumeState.DESTROYED).next()); // destroyed, the SAN never told
        ReconcileReport reported = volumes.reconcile();
        Orphan o = reported.orphans().get(0);
        assertEquals(Orphan.SAN_VOLUME, o.kind());
        assertEquals(v.id(), o.volumeId());
        assertTrue(o.detail().contains("is destroyed"), o.detail());
        assertFalse(o.removed(), "the fixture's node waits an hour");
        assertTrue(san.volumes.containsKey(v.id()));
        assertEquals(1, volumes.orphans().size());

        ReconcileReport removed = nodeB().reconcile();
        assertTrue(removed.orphans().get(0).removed(), removed.toString());
        assertFalse(san.volumes.containsKey(v.id()));
        assertTrue(volumes.orphans().isEmpty());
    }

    @Test
    void aSanVolumeOrDiskWithAnIdThisDatabaseNeverHad_isReportedButNeverRemoved() {
        UUID stray = UUID.randomUUID();
        san.createVolume(new SanVolumeRequest(stray, "stray", "admin", G, StorageQos.NONE));
        create("v1");
        volumes.attach("v1", "vm1", null);
        AttachRequest onVm1 = h1.attached.values().iterator().next();
        h1.attached.put(stray, new AttachRequest(stray, "stray", G, onVm1.vm(), onVm1.target(), true, onVm1.limits()));
        ReconcileReport r = nodeB().reconcile();
        assertEquals(2, r.orphans().size(), r.toString());
        for (Orphan o : r.orphans()) {
            assertEquals(stray, o.volumeId());
            assertFalse(o.removed(), o.kind() + " of another installation is never removed");
            assertTrue(o.detail().contains("never had"), o.detail());
        }
        assertTrue(san.volumes.containsKey(stray));
        assertTrue(h1.attached.containsKey(stray));
    }

    @Test
    void aVolumesSanVolume_isNoOrphan_whileItsRowIsAllocatedAfterALostCreateReply() {
        create("v1");
        san.loseReplyOf = "create";
        assertThrows(StorageException.class, () -> volumes.attach("v1", "vm1", null));
        assertTrue(nodeB().reconcile().orphans().isEmpty(), "a retry of the attach adopts it");
        assertEquals(1, san.volumes.size());
        volumes.attach("v1", "vm1", null);
        assertEquals(1, san.creates.get());
    }

    @Test
    void aDiskAlsoOnAnotherVm_isReportedButNeverDetachedByTheSweep() {
        create("v1");
        volumes.attach("v1", "vm1", null);
        FakeHypervisor h2 = new FakeHypervisor("h2", "vm2");
        AttachRequest onVm1 = h1.attached.values().iterator().next();
        h2.attached.put(onVm1.volumeId(), new AttachRequest(onVm1.volumeId(), onVm1.volumeName(), onVm1.sizeBytes(),
                new VmInfo(FakeHypervisor.id("vm2"), "vm2", "h2", true), onVm1.target(), onVm1.managed(), onVm1.limits()));
        ReconcileReport r = nodeB(h2).reconcile();
        Orphan twice = r.orphans().stream().filter(o -> o.place().equals("h2")).findFirst().orElseThrow();
        assertTrue(twice.detail().contains("also on VM vm2"), twice.detail());
        assertFalse(twice.removed());
        assertEquals(1, h2.attached.size(), "left to the operator: detaching could take the LUN from vm1");
        assertEquals(1, h1.attached.size());
        assertEquals(VolumeState.ATTACHED, volumes.get("v1").orElseThrow().state());
    }

    @Test
    void capacityCountsVolumesNotOnTheSanYet() {
        san.capacity = new PoolCapacity(100 * G, 0, 0, 0);
        for (int i = 0; i < 10; i++) {
            create("v" + i);
        }
        StorageException full = assertThrows(StorageException.class, () -> create("v10"));
        assertEquals(Reason.CAPACITY, full.reason(), full.getMessage());
    }

    @Test
    void growingAVolumeNotOnTheSanYetIsPromisedOnlyWhatThePoolHas() {
        san.capacity = new PoolCapacity(100 * G, 0, 0, 0);
        for (int i = 0; i < 9; i++) {
            create("v" + i);
        }
        StorageException full = assertThrows(StorageException.class, () -> volumes.resize("v0", 30 * G));
        assertEquals(Reason.CAPACITY, full.reason(), full.getMessage());
        assertEquals("size", full.field());
        assertEquals(10 * G, volumes.get("v0").orElseThrow().sizeBytes(), "nothing changed");
        assertEquals(90 * G, store.pool("sf1").orElseThrow().pending().provisionedBytes(), "nothing promised");
        volumes.resize("v0", 20 * G);     // exactly what is left
        assertEquals(100 * G, store.pool("sf1").orElseThrow().pending().provisionedBytes());
        assertEquals(Reason.CAPACITY, assertThrows(StorageException.class, () -> create("v9")).reason());
        assertEquals(Reason.CAPACITY, assertThrows(StorageException.class, () -> nodeB().resize("v1", 11 * G)).reason(),
                "another node sees the same promise");
    }

    @Test
    void twoNodesCreatingAtOnce_neverPromiseMoreThanThePoolHas() throws Exception {
        san.capacity = new PoolCapacity(100 * G, 0, 0, 0);
        VolumeManager b = nodeB();
        AtomicInteger made = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> all = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            VolumeManager node = i % 2 == 0 ? volumes : b;
            String name = "c" + i;
            all.add(pool.submit(() -> {
                try {
                    node.create(new VolumeSpec(name, "gold", 10 * G, "admin", StorageQos.NONE));
                    made.incrementAndGet();
                } catch (StorageException e) {
                    if (e.reason() != Reason.CAPACITY && e.reason() != Reason.BUSY) {
                        throw e;
                    }
                    refused.incrementAndGet();
                }
            }));
        }
        for (Future<?> f : all) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertEquals(10, made.get(), "exactly what fits");
        assertEquals(14, refused.get());
        assertEquals(100 * G, store.pending("sf1").provisionedBytes());
    }

    @Test
    void poolsAreWrittenRaceFreeFromSeveralNodes() throws Exception {
        JdbcStore b = new JdbcStore(db, "node-b", 60, 10);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<?>> all = new ArrayList<>();
        for (int round = 0; round < 20; round++) {
            PoolRecord p = new PoolRecord("race" + round, "z1", List.of("t"), "iscsi", true, "test", PoolCapacity.UNKNOWN);
            for (int i = 0; i < 6; i++) {
                JdbcStore s = i % 2 == 0 ? store : b;
                all.add(pool.submit(() -> s.upsertPool(p)));
            }
        }
        for (Future<?> f : all) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertEquals(20, store.pools().stream().filter(p -> p.name().startsWith("race")).count());
    }
}
