package org.spindle.storage.core.internal.qos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.spindle.storage.core.internal.qos.Fixtures.NO;
import static org.spindle.storage.core.internal.qos.Fixtures.bps;
import static org.spindle.storage.core.internal.qos.Fixtures.iops;
import static org.spindle.storage.core.internal.qos.Fixtures.l;
import static org.spindle.storage.core.internal.qos.Fixtures.s;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.spindle.storage.api.qos.EffectiveQos;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.StorageQos;

class QosPlannerEffectiveTest {
    final QosPlanner planner = new QosPlanner();

    static Stream<Arguments> effective() {
        return Stream.of(
                Arguments.of("nothing", StorageQos.NONE, IoLimits.NONE, EffectiveQos.UNLIMITED),
                Arguments.of("storage only", s(100, 1000, 1500), IoLimits.NONE, new EffectiveQos(100, 1000, 1500, 0)),
                Arguments.of("hypervisor total below storage max", s(100, 1000, 0), iops(NO, NO, l(800)),
                        new EffectiveQos(100, 800, 0, 0)),
                Arguments.of("hypervisor caps the storage burst", s(100, 1000, 1500), iops(NO, NO, l(800)),
                        new EffectiveQos(100, 800, 800, 0)),
                Arguments.of("storage max caps the hypervisor burst", s(0, 1000, 0), iops(NO, NO, l(2000, 3000)),
                        new EffectiveQos(0, 1000, 1000, 0)),
                Arguments.of("hypervisor burst within storage burst", s(0, 1000, 5000), iops(NO, NO, l(900, 2000)),
                        new EffectiveQos(0, 900, 2000, 0)),
                Arguments.of("read + write", StorageQos.NONE, iops(l(300, 500), l(200), NO),
                        new EffectiveQos(0, 500, 700, 0)),
                Arguments.of("read only caps nothing in total", s(50, 0, 0), iops(l(300), NO, NO),
                        new EffectiveQos(50, 0, 0, 0)),
                Arguments.of("bytes read + write", StorageQos.NONE, bps(l(1_000_000), l(2_000_000, 4_000_000), NO),
                        new EffectiveQos(0, 0, 0, 3_000_000)),
                Arguments.of("bytes total", StorageQos.NONE, bps(NO, NO, l(5_000_000)), new EffectiveQos(0, 0, 0, 5_000_000)),
                Arguments.of("storage burst without max is a cap", s(0, 0, 1500), IoLimits.NONE,
                        new EffectiveQos(0, 1500, 1500, 0)),
                Arguments.of("everything", s(100, 1000, 2000), new IoLimits(NO, NO, l(1200, 1800), NO, NO, l(7_000_000)),
                        new EffectiveQos(100, 1000, 1800, 7_000_000)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void effective(String what, StorageQos storage, IoLimits hypervisor, EffectiveQos expected) {
        assertEquals(expected, QosPlanner.effective(storage, hypervisor));
    }

    @Test
    void beforeAttachUsesTheStorageSideOnly() {
        assertEquals(new EffectiveQos(100, 1000, 1500, 0), planner.effectiveBeforeAttach(s(100, 1000, 1500)));
        assertEquals(new EffectiveQos(0, 700, 0, 0), planner.effectiveBeforeAttach(s(0, 700, 0)));
        assertEquals(EffectiveQos.UNLIMITED, planner.effectiveBeforeAttach(StorageQos.NONE));
    }
}
