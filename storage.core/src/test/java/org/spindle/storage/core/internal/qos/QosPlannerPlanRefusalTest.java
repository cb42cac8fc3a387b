package org.spindle.storage.core.internal.qos;

import static org.spindle.storage.core.internal.qos.Fixtures.BARE_POOL;
import static org.spindle.storage.core.internal.qos.Fixtures.FULL_POOL;
import static org.spindle.storage.core.internal.qos.Fixtures.KVM;
import static org.spindle.storage.core.internal.qos.Fixtures.NO;
import static org.spindle.storage.core.internal.qos.Fixtures.SPLIT_ONLY;
import static org.spindle.storage.core.internal.qos.Fixtures.TOTAL_ONLY;
import static org.spindle.storage.core.internal.qos.Fixtures.assertRefused;
import static org.spindle.storage.core.internal.qos.Fixtures.bps;
import static org.spindle.storage.core.internal.qos.Fixtures.iops;
import static org.spindle.storage.core.internal.qos.Fixtures.l;
import static org.spindle.storage.core.internal.qos.Fixtures.pool;
import static org.spindle.storage.core.internal.qos.Fixtures.s;
import static org.spindle.storage.core.internal.qos.Fixtures.spec;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.QosSpec;

/** The table of what {@link QosPlanner#plan} refuses. */
class QosPlannerPlanRefusalTest {
    final QosPlanner planner = new QosPlanner();

    static Arguments row(String rule, QosSpec requested, StorageCapabilities pool, LimitCapabilities hv, String field,
                         String... fragments) {
        return Arguments.of(rule, requested, pool, hv, field, fragments);
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                // one direction cannot become a total
                row("write-only IOPS on a total-only hypervisor", spec(iops(NO, l(300), NO)), FULL_POOL, TOTAL_ONLY,
                        "write-iops", "write-iops 300", "write-only limit cannot be expressed as a total", "not 'read-write'"),
                row("read-only bps on a total-only hypervisor", spec(bps(l(1_000_000), NO, NO)), FULL_POOL, TOTAL_ONLY,
                        "read-bps", "read-bps 1000000", "read-only limit cannot be expressed as a total"),
                // a total cannot become read/write
                row("total IOPS on a split-only hypervisor", spec(iops(NO, NO, l(1000))), FULL_POOL, SPLIT_ONLY,
                        "total-iops", "total-iops 1000", "only separately", "not 'total'"),
                row("total bps on a split-only hypervisor", spec(bps(NO, NO, l(9_000_000))), FULL_POOL, SPLIT_ONLY,
                        "total-bps", "total-bps 9000000", "only separately"),
                // self-contradiction, whatever the hypervisor
                row("read and total IOPS", spec(iops(l(500), NO, l(1000))), FULL_POOL, KVM,
                        "total-iops", "read-iops 500", "total-iops 1000", "contradict"),
                row("write and total bps", spec(bps(NO, l(2_000_000), l(5_000_000))), FULL_POOL, KVM,
                        "total-bps", "write-bps 2000000", "total-bps 5000000", "contradict"),
                // units
                row("bps without 'bps'", spec(bps(l(1_000_000), l(2_000_000), NO)), FULL_POOL,
                        LimitCapabilities.of("iops", "read-write", "total"),
                        "read-bps", "read-bps 1000000", "write-bps 2000000", "bytes per second", "not 'bps'"),
                row("IOPS without 'iops'", spec(iops(NO, NO, l(1000))), FULL_POOL, LimitCapabilities.of("bps", "total"),
                        "total-iops", "total-iops 1000", "operations per second", "not 'iops'"),
                row("IOPS on a hypervisor without any limit", spec(iops(l(100), l(100), NO)), FULL_POOL,
                        LimitCapabilities.NONE, "read-iops", "read-iops 100", "it declares none"),
                row("neither read-write nor total", spec(iops(l(100), l(100), NO)), FULL_POOL, LimitCapabilities.of("iops"),
                        "read-iops", "read-iops 100", "neither 'read-write' nor 'total'"),
                // bursts and their lengths
                row("burst without 'burst'", spec(iops(l(500, 800), l(300), NO)), FULL_POOL,
                        LimitCapabilities.of("iops", "read-write"), "read-iops-max", "read-iops-max 800", "not 'burst'"),
                row("burst length without 'burst-length'", spec(iops(NO, NO, l(1000, 2000, 30))), FULL_POOL,
                        LimitCapabilities.of("iops", "total", "burst"),
                        "total-iops-max-length", "total-iops-max-length 30 s", "not 'burst-length'"),
                row("bps burst length without 'burst-length'", spec(bps(l(10, 20, 5), l(10), NO)), FULL_POOL,
                        LimitCapabilities.of("bps", "total", "burst"), "read-bps-max-length", "read-bps-max-length 5 s"),
                // the guarantee must be usable
                row("total IOPS below min-iops", spec(s(500, 0, 0), iops(NO, NO, l(400))), FULL_POOL, KVM,
                        "min-iops", "min-iops 500", "total-iops 400", "the VM could never use the guaranteed 500 IOPS"),
                row("read + write IOPS below min-iops", spec(s(500, 0, 0), iops(l(200), l(250), NO)), FULL_POOL, KVM,
                        "min-iops", "min-iops 500", "450", "read-iops 200, write-iops 250", "guaranteed 500 IOPS"),
                row("folded total below min-iops", spec(s(500, 0, 0), iops(l(200), l(250), NO)), FULL_POOL, TOTAL_ONLY,
                        "min-iops", "min-iops 500", "total-iops 450"),
                row("storage max below min via hypervisor", spec(s(500, 1000, 0), iops(NO, NO, l(499))), pool("min-iops"),
                        TOTAL_ONLY, "min-iops", "total-iops 499", "guaranteed 500 IOPS"),
                row("min-iops at attach on a pool without guarantee", spec(s(500, 0, 0)), pool("max-iops"), KVM,
                        "min-iops", "min-iops 500", "cannot be guaranteed", "[max-iops]"),
                // storage caps the driver cannot enforce
                row("storage max on nobody", spec(s(0, 1000, 0)), BARE_POOL, LimitCapabilities.of("bps", "total"),
                        "max-iops", "max-iops 1000 is not enforced by the pool's driver (it declares none)",
                        "does not limit IOPS", "nobody would enforce it"),
                row("storage max on a split-only hypervisor", spec(s(0, 1000, 0)), BARE_POOL, SPLIT_ONLY,
                        "max-iops", "max-iops 1000", "not 'total'", "halve"),
                row("storage max on a static pool and no hypervisor limits", spec(s(0, 1000, 0)),
                        StorageCapabilities.NONE, LimitCapabilities.NONE, "max-iops", "max-iops 1000", "static pool"),
                row("storage burst without hypervisor bursts", spec(s(0, 1000, 2000)), pool("max-iops"),
                        LimitCapabilities.of("iops", "total"), "burst-iops", "burst-iops 2000 (with the max-iops 1000 it bursts over)", "not 'burst'"),
                row("storage max and read/write limits above it", spec(s(0, 1000, 0), iops(l(800), l(800), NO)),
                        BARE_POOL, KVM, "max-iops", "max-iops 1000", "read-iops 800, write-iops 800", "cannot be combined", "sum within max-iops 1000"),
                row("storage max and a read-only limit", spec(s(0, 1000, 0), iops(l(300), NO, NO)),
                        BARE_POOL, KVM, "max-iops", "max-iops 1000", "read-iops 300", "set both read-iops and write-iops"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refused(String rule, QosSpec requested, StorageCapabilities pool, LimitCapabilities hv, String field,
                 String[] fragments) {
        assertRefused(() -> planner.plan(requested, pool, hv), field, fragments);
    }
}
