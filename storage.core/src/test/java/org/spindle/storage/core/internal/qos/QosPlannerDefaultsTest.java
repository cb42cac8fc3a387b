package org.spindle.storage.core.internal.qos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.spindle.storage.core.internal.qos.Fixtures.FULL_POOL;
import static org.spindle.storage.core.internal.qos.Fixtures.KVM;
import static org.spindle.storage.core.internal.qos.Fixtures.NO;
import static org.spindle.storage.core.internal.qos.Fixtures.TOTAL_ONLY;
import static org.spindle.storage.core.internal.qos.Fixtures.assertRefused;
import static org.spindle.storage.core.internal.qos.Fixtures.bps;
import static org.spindle.storage.core.internal.qos.Fixtures.iops;
import static org.spindle.storage.core.internal.qos.Fixtures.l;
import static org.spindle.storage.core.internal.qos.Fixtures.s;
import static org.spindle.storage.core.internal.qos.Fixtures.spec;

import java.util.Set;

import org.junit.jupiter.api.Test;
import org.spindle.storage.api.attach.HypervisorLimit;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.QosPlan;

/** Defaults of the hypervisor type, the weight, and the pool's max IOPS floor, at plan time. */
class QosPlannerDefaultsTest {
    static final IoLimits DEFAULTS = iops(l(2000), l(1000), NO);
    static final LimitCapabilities KVM_WEIGHT = new LimitCapabilities(Set.of(HypervisorLimit.IOPS, HypervisorLimit.BPS,
            HypervisorLimit.READ_WRITE, HypervisorLimit.TOTAL, HypervisorLimit.BURST, HypervisorLimit.WEIGHT));
    final QosPlanner planner = new QosPlanner();

    static HypervisorSide side(LimitCapabilities limits, IoLimits defaults) {
        return new HypervisorSide("kvm-h1", "kvm", limits, defaults);
    }

    @Test
    void defaultsApplyWhenTheVolumeAsksForNoLimit() {
        QosPlan plan = planner.plan(spec(s(0, 5000, 0)), FULL_POOL, side(KVM, DEFAULTS));
        assertEquals(DEFAULTS, plan.hypervisor());
        assertEquals(3000, plan.effective().maxIops());
    }

    @Test
    void defaultsAreReplacedAsAWholeByTheVolumesOwnLimits() {
        // the volume sets only total bps: default read/write IOPS must not be mixed in
        QosPlan plan = planner.plan(spec(bps(NO, NO, l(50_000_000))), FULL_POOL, side(KVM, DEFAULTS));
        assertEquals(bps(NO, NO, l(50_000_000)), plan.hypervisor());
    }

    @Test
    void defaultsTakeTheFormOfTheHypervisor() {
        assertEquals(iops(NO, NO, l(3000)), planner.plan(spec(s(0, 0, 0)), FULL_POOL, side(TOTAL_ONLY, DEFAULTS)).hypervisor());
    }

    @Test
    void weightGoesToAHypervisorThatDeclaresIt_andNeverCountsInTheEffectiveQos() {
        QosPlan plan = planner.plan(spec(iops(l(400), l(200), NO).withWeight(700)), FULL_POOL, side(KVM_WEIGHT, IoLimits.NONE));
        assertEquals(700, plan.hypervisor().weight());
        assertEquals(400, plan.hypervisor().readIops().rate());
        QosPlan without = planner.plan(spec(iops(l(400), l(200), NO)), FULL_POOL, side(KVM_WEIGHT, IoLimits.NONE));
        assertEquals(without.effective(), plan.effective());
    }

    @Test
    void weightIsRefusedWhereNobodyWouldEnforceIt() {
        assertRefused(() -> planner.plan(spec(IoLimits.NONE.withWeight(300)), FULL_POOL, side(KVM, IoLimits.NONE)), "weight",
                "weight 300", "attach service kvm-h1", "not 'weight'");
        assertRefused(() -> planner.plan(spec(s(0, 0, 0)), FULL_POOL, side(KVM, DEFAULTS.withWeight(50))), "weight",
                "weight 50 (the default of hypervisor type kvm)", "attach service kvm-h1");
    }

    @Test
    void weightSurvivesAMergeThatDoesNotSetOne() {
        assertEquals(700, planner.merge(spec(IoLimits.NONE.withWeight(700)), spec(iops(l(10), NO, NO))).limits().weight());
        assertEquals(20, planner.merge(spec(IoLimits.NONE.withWeight(700)), spec(IoLimits.NONE.withWeight(20))).limits().weight());
    }

    @Test
    void maxIopsBelowThePoolsFloorIsRefused() {
        StorageCapabilities floored = new StorageCapabilities(true, Set.of(org.spindle.storage.api.driver.StorageQosCapability.MAX_IOPS,
                org.spindle.storage.api.driver.StorageQosCapability.BURST_IOPS), 0, 0, 100, 0, 0);
        assertRefused(() -> planner.planStorage(spec(s(0, 50, 0)), floored), "max-iops", "max-iops 50", "at least 100");
        assertRefused(() -> planner.planStorage(spec(s(0, 0, 60)), floored), "burst-iops", "burst-iops 60", "at least 100");
        assertEquals(s(0, 100, 200), planner.planStorage(spec(s(0, 100, 200)), floored));
    }
}
