package org.spindle.storage.core.internal.qos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.spindle.storage.core.internal.qos.Fixtures.NO;
import static org.spindle.storage.core.internal.qos.Fixtures.assertRefused;
import static org.spindle.storage.core.internal.qos.Fixtures.bps;
import static org.spindle.storage.core.internal.qos.Fixtures.iops;
import static org.spindle.storage.core.internal.qos.Fixtures.l;
import static org.spindle.storage.core.internal.qos.Fixtures.offering;
import static org.spindle.storage.core.internal.qos.Fixtures.s;
import static org.spindle.storage.core.internal.qos.Fixtures.spec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.spindle.storage.api.qos.QosSpec;
import org.spindle.storage.api.qos.StorageQos;
import org.spindle.storage.api.volume.Offering;

class QosPlannerRequestedTest {
    final QosPlanner planner = new QosPlanner();

    /** Bounds: custom min at least 100, max at most 1000, burst at most 2000. */
    final Offering gold = offering("gold", spec(s(100, 1000, 2000), bps(NO, NO, l(50_000_000))), true);

    @Test
    void offeringQosWithoutCustom() {
        assertEquals(spec(s(100, 1000, 2000), bps(NO, NO, l(50_000_000))), planner.requested(gold, StorageQos.NONE));
    }

    @Test
    void noDefaultsAtCreation_theyComeWithTheHypervisorAtAttach() {
        Offering plain = offering("plain", spec(s(0, 500, 0)), false);
        assertEquals(spec(s(0, 500, 0)), planner.requested(plain, StorageQos.NONE));
        assertEquals(QosSpec.NONE, planner.requested(offering("empty", spec(StorageQos.NONE), false), StorageQos.NONE));
    }

    @Test
    void offeringLimitsAreTakenAsAWhole() {
        assertEquals(bps(NO, NO, l(50_000_000)), planner.requested(gold, StorageQos.NONE).limits());
    }

    @Test
    void customRefusedWhenOfferingDoesNotAllowIt() {
        Offering silver = offering("silver", spec(s(100, 1000, 0)), false);
        assertRefused(() -> planner.requested(silver, s(500, 800, 0)), "custom-iops",
                "offering silver does not allow custom IOPS", "min-iops 500", "max-iops 800");
    }

    @Test
    void customWithinBoundsFallsBackPerField() {
        assertEquals(s(300, 1000, 2000), planner.requested(gold, s(300, 0, 0)).storage());
        assertEquals(s(100, 700, 2000), planner.requested(gold, s(0, 700, 0)).storage());
        assertEquals(s(100, 1000, 1500), planner.requested(gold, s(0, 0, 1500)).storage());
        assertEquals(s(1000, 1000, 2000), planner.requested(gold, s(1000, 1000, 2000)).storage()); // at the bounds
    }

    @ParameterizedTest(name = "custom {0}/{1}/{2} refused on {3}")
    @CsvSource({
            "99,   0,    0,    min-iops,   custom min-iops 99,     min-iops 100",
            "0,    1001, 0,    max-iops,   custom max-iops 1001,   max-iops 1000",
            "0,    0,    2001, burst-iops, custom burst-iops 2001, burst-iops 2000",
            "1500, 0,    0,    min-iops,   custom min-iops 1500,   offering gold's max-iops 1000",
            "0,    50,   0,    max-iops,   custom max-iops 50,     offering gold's min-iops 100",
    })
    void customOutsideOfferingBounds(long min, long max, long burst, String field, String value, String bound) {
        assertRefused(() -> planner.requested(gold, s(min, max, burst)), field, value, bound);
    }

    @Test
    void customWithoutOfferingBoundsIsFree() {
        Offering open = offering("open", spec(StorageQos.NONE), true);
        assertEquals(s(50_000, 90_000, 100_000), planner.requested(open, s(50_000, 90_000, 100_000)).storage());
    }

    @Test
    void selfContradictoryOfferingLimitsRefused() {
        Offering broken = offering("broken", spec(iops(l(500), NO, l(1000))), false);
        assertRefused(() -> planner.requested(broken, StorageQos.NONE), "total-iops",
                "read-iops 500", "total-iops 1000", "contradict");
    }

    @Test
    void selfContradictoryConfiguredLimitsRejected() {
        assertRefused(() -> QosPlanner.checkLimits(bps(NO, l(1000), l(5000))), "total-bps", "write-bps 1000", "total-bps 5000");
    }
}
