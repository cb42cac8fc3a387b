package org.spindle.hyper.xen.internal;

import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.attach.AttachProperties;
import org.spindle.storage.api.attach.HypervisorLimit;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.Limit;
import org.spindle.storage.api.qos.QosPlan;
import org.spindle.storage.api.qos.QosSpec;
import org.spindle.storage.api.qos.StorageQos;
import org.spindle.storage.core.internal.qos.HypervisorSide;
import org.spindle.storage.core.internal.qos.LimitCapabilities;
import org.spindle.storage.core.internal.qos.QosPlanner;
import org.spindle.storage.core.internal.qos.StorageCapabilities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the core's planner makes of the limits this service registers (only {@code WEIGHT}): caps a VBD cannot
 * enforce are refused before anything is made, a weight goes through to the VBD.
 */
class QosOnXenTest {
    private final QosPlanner planner = new QosPlanner();
    private final StorageCapabilities solidFire = new StorageCapabilities(true, Set.of("min-iops", "max-iops", "burst-iops"),
            50, 15000, 200000);

    private HypervisorSide xen() {
        PoolSettings s = PoolSettings.of(Configs.config(Configs.valid()));
        Map<String, Object> component = new HashMap<>();
        component.put(AttachProperties.LIMITS, new String[] {HypervisorLimit.WEIGHT.name()});
        Dictionary<String, Object> d = XenAttachService.serviceProperties(s, List.of(new PoolHosts.XenHost("xen1", "u", "iqn.x:1")), component);
        Map<String, Object> props = new HashMap<>();
        for (String k : List.of(AttachProperties.LIMITS)) {
            props.put(k, d.get(k));
        }
        return HypervisorSide.of(LimitCapabilities.fromServiceProperties(props, unknown -> {
            throw new AssertionError("unknown limit token " + unknown);
        }));
    }

    @Test
    void readAndWriteIopsCapsAreRefusedWithAReason() {
        IoLimits rw = new IoLimits(Limit.of(400), Limit.of(200), Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE);
        StorageException e = assertThrows(StorageException.class,
                () -> planner.plan(new QosSpec(new StorageQos(500, 1000, 1500), rw), solidFire, xen()));
        assertEquals(StorageException.Reason.QOS_REFUSED, e.reason());
        assertTrue(e.getMessage().contains("read-iops 400, write-iops 200 cannot be enforced"), e.getMessage());
        assertTrue(e.getMessage().contains("[weight]"), e.getMessage());
    }

    @Test
    void bandwidthCapsAreRefusedToo() {
        IoLimits bps = new IoLimits(Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE, Limit.of(20L << 20));
        StorageException e = assertThrows(StorageException.class,
                () -> planner.plan(new QosSpec(new StorageQos(500, 1000, 1500), bps), solidFire, xen()));
        assertEquals(StorageException.Reason.QOS_REFUSED, e.reason());
        assertTrue(e.getMessage().contains("total-bps 20971520 cannot be enforced"), e.getMessage());
    }

    @Test
    void aWeightReachesTheVbdAndStorageQosStaysOnTheSan() {
        QosPlan plan = planner.plan(new QosSpec(new StorageQos(500, 1000, 1500), IoLimits.NONE.withWeight(800)), solidFire, xen());
        assertEquals(800, plan.hypervisor().weight());
        assertTrue(!plan.hypervisor().hasCaps());
        assertEquals(new StorageQos(500, 1000, 1500), plan.storage());
        assertEquals("ionice", VbdDisks.qosType(plan.hypervisor()));
        assertEquals(Map.of("sched", "best-effort", "class", "1"), VbdDisks.qosParams(plan.hypervisor()));
    }
}
