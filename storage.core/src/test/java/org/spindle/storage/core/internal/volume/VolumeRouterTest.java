package org.spindle.storage.core.internal.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgi.framework.FrameworkUtil;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;
import org.spindle.storage.api.PoolCapacity;
import org.spindle.storage.api.qos.QosSpec;
import org.spindle.storage.api.volume.Offering;
import org.spindle.storage.core.internal.db.PoolRecord;
import org.spindle.storage.core.internal.qos.StorageCapabilities;
import org.spindle.storage.core.internal.registry.BoundPool;

class VolumeRouterTest {
    static final long G = 1L << 30;
    final VolumeRouter router = new VolumeRouter();
    final Offering gold = new Offering("gold", "", List.of("gold"), QosSpec.NONE, false);

    static BoundPool pool(String name, List<String> tags, PoolCapacity c) {
        return new BoundPool(new PoolRecord(name, "z1", tags, "iscsi", true, "test", c), new FakeSan(), StorageCapabilities.NONE, null, name);
    }

    @Test
    void picksTheTaggedPoolWithMostFreeBytes() {
        BoundPool small = pool("a", List.of("gold"), new PoolCapacity(100 * G, 90 * G, 0, 0));
        BoundPool big = pool("b", List.of("gold", "ssd"), new PoolCapacity(100 * G, 10 * G, 0, 0));
        BoundPool untagged = pool("c", List.of("silver"), new PoolCapacity(1000 * G, 0, 0, 0));
        List<BoundPool> all = List.of(small, big, untagged);
        BoundPool chosen = router.choosePool(gold, 5 * G, 0, all.stream().map(BoundPool::record).toList(), all, BoundPool::capacityOf);
        assertEquals("b", chosen.record().name());
    }

    @Test
    void capacityWhenNoTaggedPoolHasRoomForBytesOrGuaranteedIops() {
        BoundPool p = pool("a", List.of("gold"), new PoolCapacity(100 * G, 90 * G, 10_000, 9_800));
        List<BoundPool> all = List.of(p);
        StorageException bytes = assertThrows(StorageException.class,
                () -> router.choosePool(gold, 20 * G, 0, List.of(p.record()), all, BoundPool::capacityOf));
        assertEquals(Reason.CAPACITY, bytes.reason());
        StorageException iops = assertThrows(StorageException.class,
                () -> router.choosePool(gold, G, 500, List.of(p.record()), all, BoundPool::capacityOf));
        assertTrue(iops.getMessage().contains("500 guaranteed IOPS"), iops.getMessage());
        assertEquals(Reason.CAPACITY, iops.reason());
    }

    @Test
    void distinguishesNoTaggedPoolFromAnUnavailableOne() {
        BoundPool p = pool("a", List.of("gold"), PoolCapacity.UNKNOWN);
        assertEquals(Reason.NO_ROUTE, assertThrows(StorageException.class,
                () -> router.choosePool(gold, G, 0, List.of(), List.of(), BoundPool::capacityOf)).reason());
        StorageException down = assertThrows(StorageException.class,
                () -> router.choosePool(gold, G, 0, List.of(p.record()), List.of(), BoundPool::capacityOf));
        assertEquals(Reason.UNAVAILABLE, down.reason());
        assertTrue(down.getMessage().contains("pool a"), down.getMessage());
    }

    @Test
    void sizeBelowEveryPoolsMinimum_isAnInvalidSizeNamingThePool_whileALargerPoolIsSkippedOnlyForThat() {
        BoundPool big = new BoundPool(new PoolRecord("a", "z1", List.of("gold"), "iscsi", true, "test", PoolCapacity.UNKNOWN),
                new FakeSan(), new StorageCapabilities(true, java.util.Set.of(), 0, 0, 0, 0, 10 * G), null, "a");
        StorageException e = assertThrows(StorageException.class,
                () -> router.choosePool(gold, G, 0, List.of(big.record()), List.of(big), BoundPool::capacityOf));
        assertEquals(Reason.INVALID_ARGUMENT, e.reason());
        assertEquals("size", e.field());
        assertTrue(e.getMessage().contains("pool a") && e.getMessage().contains(String.valueOf(10 * G)), e.getMessage());
        BoundPool small = pool("b", List.of("gold"), PoolCapacity.UNKNOWN);
        assertEquals("b", router.choosePool(gold, G, 0, List.of(big.record(), small.record()), List.of(big, small),
                BoundPool::capacityOf).record().name());
    }

    @Test
    void attachFilterSelectsByProtocolZoneHostAndStructure() throws Exception {
        PoolRecord r = new PoolRecord("a", "z1", List.of(), "iscsi", true, "test", PoolCapacity.UNKNOWN);
        var f = FrameworkUtil.createFilter(router.attachFilter(r, "h(1)", null));
        assertTrue(f.matches(Map.of("storage.protocols", new String[] {"nfs", "iscsi"}, "storage.zone", "z1",
                "hypervisor.hosts", new String[] {"h0", "h(1)"})), "a host of a cluster service");
        assertTrue(f.matches(Map.of("storage.protocols", "iscsi", "storage.zone", "z1", "hypervisor.service", "h(1)",
                "hypervisor.hosts", new String[] {"h7"})), "the service by its identity");
        assertTrue(!f.matches(Map.of("storage.protocols", "iscsi", "storage.zone", "z1", "hypervisor.hosts", new String[] {"h7"})));
        assertTrue(!f.matches(Map.of("storage.protocols", new String[] {"nfs"}, "storage.zone", "z1", "hypervisor.hosts", "h(1)")));
        assertTrue(!f.matches(Map.of("storage.protocols", "iscsi", "storage.zone", "z2", "hypervisor.hosts", "h(1)")));
        var s = FrameworkUtil.createFilter(router.attachFilter(r, null, "images"));
        assertTrue(s.matches(Map.of("storage.protocols", "iscsi", "storage.zone", "z1", "hypervisor.structures", new String[] {"images"})));
        assertTrue(!s.matches(Map.of("storage.protocols", "iscsi", "storage.zone", "z1")));
    }
}
