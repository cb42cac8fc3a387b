package org.spindle.bench;

import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.Limit;
import org.spindle.storage.api.qos.QosPlan;
import org.spindle.storage.api.qos.QosSpec;
import org.spindle.storage.api.qos.StorageQos;
import org.spindle.storage.api.volume.Offering;
import org.spindle.storage.core.internal.qos.HypervisorSide;
import org.spindle.storage.core.internal.qos.LimitCapabilities;
import org.spindle.storage.core.internal.qos.QosPlanner;
import org.spindle.storage.core.internal.qos.StorageCapabilities;

/** The QoS planner: what a create asks for, the plan at attach (both sides and the effective QoS), a runtime change. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PlannerBench {
    private final QosPlanner planner = new QosPlanner();
    private final Offering offering = Rig.offering();
    private final QosSpec requested = planner.requested(offering, StorageQos.NONE);
    private final StorageCapabilities pool = new StorageCapabilities(true, Set.of("min-iops", "max-iops", "burst-iops"), 0, 0, 0);
    private final StorageCapabilities bare = new StorageCapabilities(true, Set.of(), 0, 0, 0);
    private final HypervisorSide kvm = HypervisorSide.of(LimitCapabilities.of("iops", "bps", "read-write", "total", "burst", "burst-length"));
    private final QosSpec change = new QosSpec(new StorageQos(0, 2000, 3000),
            new IoLimits(Limit.of(800), Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE));

    @Benchmark
    public QosSpec requested() {
        return planner.requested(offering, StorageQos.NONE);
    }

    @Benchmark
    public QosPlan planAtAttach() {
        return planner.plan(requested, pool, kvm);
    }

    /** A pool enforcing no storage QoS: the caps move to the hypervisor as total IOPS. */
    @Benchmark
    public QosPlan planCapsMovedToHypervisor() {
        return planner.plan(new QosSpec(new StorageQos(0, 1000, 1500), requested.limits()), bare, kvm);
    }

    @Benchmark
    public QosSpec mergeRuntimeChange() {
        return planner.merge(requested, change);
    }
}
