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
import org.spindle.storage.api.driver.PoolCapacity;
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
    void refusesWhenNoPoolHasRoomForBytesOrGuaranteedIops() {
        BoundPool p = pool("a", List.of("gold"), new PoolCapacity(100 * G, 90 * G, 10_000, 9_800));
        List<BoundPool> all = List.of(p);
        StorageException bytes = assertThrows(StorageException.class,
                () -> router.choosePool(gold, 20 * G, 0, List.of(p.record()), all, BoundPool::capacityOf));
        assertEquals(Reason.NO_ROUTE, bytes.reason());
        StorageException iops = assertThrows(StorageException.class,
                () -> router.choosePool(gold, G, 500, List.of(p.record()), all, BoundPool::capacityOf));
        assertTrue(iops.getMessage().contains("500 guaranteed IOPS"), iops.getMessage());
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
    void attachFilterSelectsByProtocolZoneHostAndStructure() throws Exception {
        PoolRecord r = new PoolRecord("a", "z1", List.of(), "iscsi", true, "test", PoolCapacity.UNKNOWN);
        var f = FrameworkUtil.createFilter(router.attachFilter(r, "h(1)", null));
        assertTrue(f.matches(Map.of("storage.protocols", new String[] {"nfs", "iscsi"}, "storage.zone", "z1", "hypervisor.host", "h(1)")));
        assertTrue(!f.matches(Map.of("storage.protocols", new String[] {"nfs"}, "storage.zone", "z1", "hypervisor.host", "h(1)")));
        assertTrue(!f.matches(Map.of("storage.protocols", "iscsi", "storage.zone", "z2", "hypervisor.host", "h(1)")));
        var s = FrameworkUtil.createFilter(router.attachFilter(r, null, "images"));
        assertTrue(s.matches(Map.of("storage.protocols", "iscsi", "storage.zone", "z1", "hypervisor.structures", new String[] {"images"})));
        assertTrue(!s.matches(Map.of("storage.protocols", "iscsi", "storage.zone", "z1")));
    }
}
