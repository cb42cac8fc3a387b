package org.spindle.bench;

import java.util.Collection;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The JMH part of a run: the planner, routing and the store's queries. {@code smoke} (CI) runs each benchmark in this JVM
 * for a fraction of a second, only so that none rots; {@code full} forks a JVM per benchmark with real warm-up. Each
 * score is reported against one external call's mean time measured in the same run.
 */
final class Micro {
    private Micro() {
    }

    static void run(String mode, int volumes, double externalCallNanos, Results out) throws RunnerException {
        boolean full = mode.equals("full");
        ChainedOptionsBuilder o = new OptionsBuilder()
                .include("org\\.spindle\\.bench\\.(PlannerBench|StoreBench)|org\\.spindle\\.storage\\.core\\.internal\\.volume\\.RoutingBench")
                .param("volumes", Integer.toString(volumes))
                .shouldFailOnError(true)
                .jvmArgsAppend("-Xmx1g");
        if (full) {
            o.forks(1).warmupIterations(3).warmupTime(TimeValue.seconds(1)).measurementIterations(5).measurementTime(TimeValue.seconds(1));
        } else {
            o.forks(0).warmupIterations(1).warmupTime(TimeValue.milliseconds(50)).measurementIterations(1)
                    .measurementTime(TimeValue.milliseconds(50)).verbosity(org.openjdk.jmh.runner.options.VerboseMode.SILENT);
        }
        Collection<RunResult> results = new Runner(o.build()).run();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            String simple = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
            double score = r.getPrimaryResult().getScore();
            TimeUnit unit = r.getParams().getTimeUnit();
            double nanos = score * unit.toNanos(1);
            String size = simple.startsWith("StoreBench") ? ", " + volumes + " volumes (H2 file)" : "";
            out.add("micro (JMH " + mode + ")", simple + size, String.format(Locale.ROOT, "%.3f µs/op", nanos / 1000),
                    String.format(Locale.ROOT, "%.3f ms one external call", externalCallNanos / 1e6), nanos / externalCallNanos, "-");
        }
    }
}
