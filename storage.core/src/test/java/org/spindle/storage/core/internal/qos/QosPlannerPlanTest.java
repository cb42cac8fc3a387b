package org.spindle.storage.core.internal.qos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.spindle.storage.core.internal.qos.Fixtures.BARE_POOL;
import static org.spindle.storage.core.internal.qos.Fixtures.FULL_POOL;
import static org.spindle.storage.core.internal.qos.Fixtures.KVM;
import static org.spindle.storage.core.internal.qos.Fixtures.NO;
import static org.spindle.storage.core.internal.qos.Fixtures.SPLIT_ONLY;
import static org.spindle.storage.core.internal.qos.Fixtures.TOTAL_ONLY;
import static org.spindle.storage.core.internal.qos.Fixtures.bps;
import static org.spindle.storage.core.internal.qos.Fixtures.iops;
import static org.spindle.storage.core.internal.qos.Fixtures.l;
import static org.spindle.storage.core.internal.qos.Fixtures.pool;
import static org.spindle.storage.core.internal.qos.Fixtures.s;
import static org.spindle.storage.core.internal.qos.Fixtures.spec;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.spindle.storage.api.qos.EffectiveQos;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.Limit;
import org.spindle.storage.api.qos.QosPlan;
import org.spindle.storage.api.qos.QosSpec;
import org.spindle.storage.api.qos.StorageQos;

/** What {@link QosPlanner#plan} accepts, and in which form. */
class QosPlannerPlanTest {
    final QosPlanner planner = new QosPlanner();

    @Test
    void nothingRequestedNothingPlanned() {
        assertEquals(new QosPlan(StorageQos.NONE, IoLimits.NONE, EffectiveQos.UNLIMITED),
                planner.plan(QosSpec.NONE, StorageCapabilities.NONE, LimitCapabilities.NONE));
    }

    @Test
    void splitHypervisorKeepsReadWrite() {
        IoLimits limits = new IoLimits(l(500, 800, 10), l(300), NO, l(1_000_000), l(2_000_000, 3_000_000), NO);
        QosPlan plan = planner.plan(spec(s(100, 1000, 2000), limits), FULL_POOL, KVM);
        assertEquals(new QosPlan(s(100, 1000, 2000), limits, new EffectiveQos(100, 800, 1100, 3_000_000)), plan);
    }

    @Test
    void totalGoesToATotalHypervisor() {
        IoLimits limits = new IoLimits(NO, NO, l(1000, 1500, 20), NO, NO, l(9_000_000));
        assertEquals(limits, planner.plan(spec(limits), FULL_POOL, KVM).hypervisor());
        assertEquals(limits, planner.plan(spec(limits), FULL_POOL, TOTAL_ONLY).hypervisor());
    }

    /** read + write become one total on a hypervisor that cannot split: rates, bursts and lengths. */
    static Stream<Arguments> folding() {
        return Stream.of(
                Arguments.of("IOPS rates", iops(l(500), l(300), NO), iops(NO, NO, l(800))),
                Arguments.of("IOPS bursts and lengths", iops(l(500, 800, 10), l(300, 600, 20), NO),
                        iops(NO, NO, l(800, 1400, 20))),
                Arguments.of("IOPS burst on one side peaks at the other's rate", iops(l(500, 800, 10), l(300), NO),
                        iops(NO, NO, l(800, 1100, 10))),
                Arguments.of("bps rates", bps(l(1_000_000), l(2_000_000), NO), bps(NO, NO, l(3_000_000))),
                Arguments.of("bps bursts and lengths", bps(l(1_000_000, 4_000_000, 60), l(2_000_000, 3_000_000, 5), NO),
                        bps(NO, NO, l(3_000_000, 7_000_000, 60))),
                Arguments.of("both units", new IoLimits(l(10), l(20), NO, l(100), l(200), NO),
                        new IoLimits(NO, NO, l(30), NO, NO, l(300))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void folding(String what, IoLimits requested, IoLimits expected) {
        assertEquals(expected, planner.plan(spec(requested), FULL_POOL, TOTAL_ONLY).hypervisor());
        assertEquals(expected, HypervisorPlacement.overlay(expected, IoLimits.NONE)); // sanity: expected is valid
    }

    @Test
    void foldedTotalMayEqualMinIops() {
        QosPlan plan = planner.plan(spec(s(800, 0, 0), iops(l(500), l(300), NO)), FULL_POOL, TOTAL_ONLY);
        assertEquals(new EffectiveQos(800, 800, 0, 0), plan.effective());
    }

    @Test
    void storageMaxTheDriverCannotEnforceBecomesTotalIops() {
        QosPlan plan = planner.plan(spec(s(0, 1000, 0)), BARE_POOL, TOTAL_ONLY);
        assertEquals(new QosPlan(StorageQos.NONE, iops(NO, NO, l(1000)), new EffectiveQos(0, 1000, 0, 0)), plan);
    }

    @Test
    void storageMaxAndBurstBecomeTotalIopsWithBurst() {
        QosPlan plan = planner.plan(spec(s(200, 1000, 1500)), pool("min-iops"), KVM);
        assertEquals(new QosPlan(s(200, 0, 0), iops(NO, NO, l(1000, 1500)), new EffectiveQos(200, 1000, 1500, 0)), plan);
    }

    @Test
    void storageBurstTheDriverCannotEnforceTakesTheMaxAlong() {
        QosPlan plan = planner.plan(spec(s(100, 1000, 1500)), pool("min-iops", "max-iops"), TOTAL_ONLY);
        assertEquals(s(100, 0, 0), plan.storage());
        assertEquals(iops(NO, NO, l(1000, 1500)), plan.hypervisor());
        assertEquals(new EffectiveQos(100, 1000, 1500, 0), plan.effective());
    }

    @Test
    void staticPoolCapsGoToTheHypervisor() {
        QosPlan plan = planner.plan(spec(s(0, 0, 1500)), StorageCapabilities.NONE, TOTAL_ONLY);
        assertEquals(iops(NO, NO, Limit.of(1500)), plan.hypervisor());
        assertEquals(new EffectiveQos(0, 1500, 0, 0), plan.effective());
    }

    @Test
    void leftOverCapCombinesWithTheOfferingTotalStricterWins() {
        QosPlan lower = planner.plan(spec(s(0, 1000, 0), iops(NO, NO, l(2000, 3000, 10))), BARE_POOL, KVM);
        assertEquals(iops(NO, NO, l(1000)), lower.hypervisor());
        QosPlan mixed = planner.plan(spec(s(0, 1000, 1500), iops(NO, NO, l(800, 3000, 10))), BARE_POOL, KVM);
        assertEquals(iops(NO, NO, l(800, 1500, 10)), mixed.hypervisor());
        assertEquals(new EffectiveQos(0, 800, 1500, 0), mixed.effective());
    }

    @Test
    void leftOverCapCombinesWithAFoldedTotal() {
        QosPlan plan = planner.plan(spec(s(0, 1000, 0), iops(l(400), l(400), NO)), BARE_POOL, TOTAL_ONLY);
        assertEquals(iops(NO, NO, l(800)), plan.hypervisor());
    }

    @Test
    void leftOverCapImpliedByReadPlusWrite() {
        IoLimits split = iops(l(400, 500), l(400, 500), NO);
        QosPlan plan = planner.plan(spec(s(0, 1000, 1000), split), BARE_POOL, SPLIT_ONLY);
        assertEquals(split, plan.hypervisor());
        assertEquals(new EffectiveQos(0, 800, 1000, 0), plan.effective());
    }

    @Test
    void leftOverBurstBeyondTheSplitPeaksRefused() {
        // rates fit (800 <= 1000), peaks do not (600 + 600 > 1000)
        Fixtures.assertRefused(() -> planner.plan(spec(s(0, 1000, 0), iops(l(400, 600), l(400, 600), NO)),
                BARE_POOL, KVM), "max-iops", "read-iops 400 (read-iops-max 600)");
    }

    @Test
    void hypervisorOnlyGetsWhatItDeclared() {
        // bytes on a hypervisor that limits bytes only: no IOPS form leaks into the result
        IoLimits limits = bps(l(5_000_000), l(5_000_000), NO);
        QosPlan plan = planner.plan(spec(s(100, 1000, 0), limits), FULL_POOL, LimitCapabilities.of("bps", "total"));
        assertEquals(bps(NO, NO, l(10_000_000)), plan.hypervisor());
        assertEquals(new EffectiveQos(100, 1000, 0, 10_000_000), plan.effective());
    }

    @Test
    void planStorageAgreesWithPlan() {
        QosSpec requested = spec(s(200, 1000, 1500), iops(NO, NO, l(5000)));
        StorageCapabilities pool = pool("min-iops", "max-iops");
        assertEquals(planner.planStorage(requested, pool), planner.plan(requested, pool, KVM).storage());
    }
}
