package org.spindle.storage.core.internal.qos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.spindle.storage.core.internal.qos.Fixtures.NO;
import static org.spindle.storage.core.internal.qos.Fixtures.assertRefused;
import static org.spindle.storage.core.internal.qos.Fixtures.bps;
import static org.spindle.storage.core.internal.qos.Fixtures.iops;
import static org.spindle.storage.core.internal.qos.Fixtures.l;
import static org.spindle.storage.core.internal.qos.Fixtures.s;
import static org.spindle.storage.core.internal.qos.Fixtures.spec;

import org.junit.jupiter.api.Test;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.QosSpec;
import org.spindle.storage.api.qos.StorageQos;

class QosPlannerMergeTest {
    final QosPlanner planner = new QosPlanner();
    final QosSpec current = spec(s(100, 1000, 2000), new IoLimits(l(500, 800, 10), l(300), NO, NO, NO, l(50_000_000)));

    @Test
    void emptyChangeKeepsEverything() {
        assertEquals(current, planner.merge(current, QosSpec.NONE));
    }

    @Test
    void storageValuesReplacedPerField() {
        assertEquals(s(100, 1500, 2000), planner.merge(current, spec(s(0, 1500, 0))).storage());
        assertEquals(s(200, 1000, 3000), planner.merge(current, spec(s(200, 0, 3000))).storage());
    }

    @Test
    void limitReplacedAsAWhole() {
        IoLimits merged = planner.merge(current, spec(iops(l(600), NO, NO))).limits();
        // the old read burst (800 for 10 s) does not survive: the new read limit replaces the old one
        assertEquals(new IoLimits(l(600), l(300), NO, NO, NO, l(50_000_000)), merged);
    }

    @Test
    void settingTotalDropsReadWriteOfThatUnitOnly() {
        IoLimits merged = planner.merge(current, spec(iops(NO, NO, l(900)))).limits();
        assertEquals(new IoLimits(NO, NO, l(900), NO, NO, l(50_000_000)), merged);
    }

    @Test
    void settingReadWriteDropsTotalOfThatUnitOnly() {
        IoLimits merged = planner.merge(current, spec(bps(l(10_000_000), NO, NO))).limits();
        assertEquals(new IoLimits(l(500, 800, 10), l(300), NO, l(10_000_000), NO, NO), merged);
    }

    @Test
    void changeWithBothFormsRefused() {
        assertRefused(() -> planner.merge(current, spec(iops(NO, l(400), l(900)))), "total-iops",
                "write-iops 400", "total-iops 900", "contradict");
    }

    @Test
    void mergedStorageMustStayOrdered() {
        assertRefused(() -> planner.merge(current, spec(s(0, 50, 0))), "max-iops",
                "current min-iops 100", "new max-iops 50");
        assertRefused(() -> planner.merge(current, spec(s(2500, 0, 0))), "min-iops",
                "new min-iops 2500", "current max-iops 1000");
        assertRefused(() -> planner.merge(current, spec(s(0, 0, 900))), "burst-iops",
                "current max-iops 1000", "new burst-iops 900");
    }

    @Test
    void mergeFromNothing() {
        QosSpec change = spec(s(0, 700, 0), iops(NO, NO, l(900)));
        assertEquals(change, planner.merge(QosSpec.NONE, change));
        assertEquals(StorageQos.NONE, planner.merge(QosSpec.NONE, QosSpec.NONE).storage());
    }
}
