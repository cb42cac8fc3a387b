package org.spindle.bench;

import java.io.File;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A whole benchmark run: core overhead, concurrency and scale on H2 and PostgreSQL, then the JMH micro-benchmarks;
 * writes the table to {@code spindle.bench.out}. The size comes from system properties (BENCHMARKS.md):
 * {@code spindle.bench.volumes} (scale), {@code spindle.bench.concurrent} (volumes attached at once),
 * {@code spindle.bench.workers}, {@code spindle.bench.latency.ms}, {@code spindle.bench.jmh} ({@code smoke}, {@code full}
 * or {@code off}), {@code spindle.bench.sections} (some of {@code lives,scale,solidfire}; all by default); {@code spindle.require.postgres=true} fails the run when PostgreSQL does not answer.
 */
public final class Bench {
    /** The run's size and where its table goes. */
    public record Settings(int volumes, int concurrent, int workers, long latencyMillis, String jmh, Path out, boolean requirePostgres,
                           File dataDir, List<String> sections) {
        /** The parts a run can be limited to ({@code spindle.bench.sections}, comma-separated). */
        public static final List<String> SECTIONS = List.of("lives", "scale", "solidfire");

        public Settings {
            sections = List.copyOf(sections);
            if (sections.isEmpty() || !SECTIONS.containsAll(sections)) {
                throw new IllegalArgumentException("spindle.bench.sections: one or more of " + String.join(", ", SECTIONS)
                        + ", comma-separated (was " + sections + ")");
            }
            if (volumes <= Scale.REF) {
                throw new IllegalArgumentException("spindle.bench.volumes: must be more than " + Scale.REF + " (was " + volumes + ")");
            }
            if (concurrent < 1 || workers < 1 || latencyMillis < 0) {
                throw new IllegalArgumentException("spindle.bench.concurrent and spindle.bench.workers: at least 1; spindle.bench.latency.ms: 0 or more");
            }
            if (!List.of("smoke", "full", "off").contains(jmh)) {
                throw new IllegalArgumentException("spindle.bench.jmh: must be smoke, full or off (was " + jmh + ")");
            }
        }

        public static Settings fromSystemProperties() {
            return new Settings(Integer.getInteger("spindle.bench.volumes", 2_000), Integer.getInteger("spindle.bench.concurrent", 200),
                    Integer.getInteger("spindle.bench.workers", 32), Long.getLong("spindle.bench.latency.ms", 5),
                    System.getProperty("spindle.bench.jmh", "smoke"), Path.of(System.getProperty("spindle.bench.out", "target/bench-results.md")),
                    Boolean.getBoolean("spindle.require.postgres"), new File(System.getProperty("spindle.bench.data", "target/bench-data")),
                    java.util.Arrays.stream(System.getProperty("spindle.bench.sections", String.join(",", SECTIONS)).split(","))
                            .map(String::strip).filter(x -> !x.isEmpty()).toList());
        }
    }

    /** What a run found: the figures, and every violation of the concurrency checks. */
    public record Outcome(List<Results.Row> rows, List<String> violations, String table) {
    }

    private Bench() {
    }

    public static Outcome run(Settings s) throws Exception {
        Results out = new Results();
        List<String> violations = new ArrayList<>();
        long begin = System.nanoTime();
        double loadBefore = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        List<Databases.Db> dbs = new ArrayList<>();
        dbs.add(Databases.h2(s.dataDir(), "h2"));
        Databases.Db pg = Databases.postgres();
        if (pg == null) {
            if (s.requirePostgres()) {
                throw new IllegalStateException(Databases.postgresMissing());
            }
            out.note("PostgreSQL figures skipped: " + Databases.postgresMissing());
        } else {
            dbs.add(pg);
        }
        double externalCall = 0;
        // spindle.bench.sections: which parts run (lives = core overhead and concurrency, scale, solidfire); all by default
        List<String> sections = s.sections();
        for (Databases.Db db : sections.contains("lives") ? dbs : List.<Databases.Db>of()) {
            long t = System.nanoTime();
            Rig.Peers peers = Rig.Peers.make(s.latencyMillis());
            try (Rig rig = Rig.start(db, peers, true)) {
                boolean small = s.volumes() < 10_000;
                Overhead.run(rig, small ? 5 : 300, small ? 10 : 200, s.latencyMillis(), out);
                externalCall = (double) peers.externalNanos() / peers.externalCalls();
                List<String> found = Concurrency.run(rig, s.concurrent(), s.workers(), s.latencyMillis(), out);
                found.forEach(v -> violations.add(db.label() + ": " + v));
            }
            out.note(String.format(Locale.ROOT, "%s: core overhead and concurrency took %.1f s.", db.label(), (System.nanoTime() - t) / 1e9));
        }
        if (s.volumes() >= 10_000 && sections.contains("lives")) {
            // the reference for the core's H2 settings, in the same run: H2's default of 8 parsed statements per session
            long t = System.nanoTime();
            Databases.Db before = Databases.h2(s.dataDir(), "cache8", ";QUERY_CACHE_SIZE=8", "H2 with QUERY_CACHE_SIZE=8 (H2's default, the core's before 6589f0b)");
            try (Rig rig = Rig.start(before, Rig.Peers.make(s.latencyMillis()), true)) {
                Overhead.run(rig, 300, 200, s.latencyMillis(), out);
            }
            out.note(String.format(Locale.ROOT, "%s: core overhead took %.1f s.", before.label(), (System.nanoTime() - t) / 1e9));
        }
        // the scale figures on a fresh database of each kind
        List<Databases.Db> fresh = new ArrayList<>(List.of(Databases.h2(s.dataDir(), "scale")));
        if (pg != null) {
            fresh.add(Databases.postgres());
        }
        for (Databases.Db db : sections.contains("scale") ? fresh : List.<Databases.Db>of()) {
            long t = System.nanoTime();
            Scale.run(db, s.volumes(), s.volumes() < 10_000 ? 5 : 40, out);
            out.note(String.format(Locale.ROOT, "%s: scale at %d volumes took %.1f s.", db.label(), s.volumes(), (System.nanoTime() - t) / 1e9));
        }
        // the SolidFire driver over the Element simulator: SAN calls per operation, a reconciliation pass at the scale size
        // (PostgreSQL at the report size only: CI runs them on H2, to keep its cost small)
        List<Databases.Db> sf = new ArrayList<>(List.of(Databases.h2(s.dataDir(), "solidfire")));
        if (pg != null && s.volumes() >= 10_000) {
            sf.add(Databases.postgres());
        }
        for (Databases.Db db : sections.contains("solidfire") ? sf : List.<Databases.Db>of()) {
            long t = System.nanoTime();
            // at the CI size: 1 life and a pass at 300 volumes (its reference is at 100), so that the module's cost stays small
            int sanVolumes = s.volumes() < 10_000 ? 3 * Scale.REF : s.volumes();
            List<String> found = SolidFire.run(db, s.volumes() < 10_000 ? 1 : 20, s.latencyMillis(), sanVolumes, out);
            found.forEach(v -> violations.add(db.label() + ", SolidFire: " + v));
            out.note(String.format(Locale.ROOT, "%s: SolidFire calls and reconciliation at %d volumes took %.1f s.", db.label(), sanVolumes,
                    (System.nanoTime() - t) / 1e9));
        }
        if (!s.jmh().equals("off")) {
            long t = System.nanoTime();
            Micro.run(s.jmh(), Math.min(s.volumes(), 100_000), externalCall, out);
            out.note(String.format(Locale.ROOT, "JMH (%s) took %.1f s.", s.jmh(), (System.nanoTime() - t) / 1e9));
        }
        deleteTree(s.dataDir());
        out.note(String.format(Locale.ROOT, "Whole run: %.1f s.", (System.nanoTime() - begin) / 1e9));
        String header = "# Spindle benchmark run, " + Instant.now() + "\n\n" + Runtime.getRuntime().availableProcessors() + " cores, Java "
                + System.getProperty("java.version") + ", max heap " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB. Size: "
                + s.volumes() + " volumes (scale), " + s.concurrent() + " attached at once by " + s.workers() + " workers, "
                + s.latencyMillis() + " ms per external call, JMH " + s.jmh() + String.format(Locale.ROOT,
                ". Load average %.1f at the start, %.1f at the end (other work on the machine slows the core's wall times, not the "
                + "external calls' sleeps as much).", loadBefore, java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        out.write(s.out(), header);
        return new Outcome(out.rows(), violations, out.markdown(header));
    }

    /** The embedded databases of the run (up to a few hundred MB at 100,000 volumes). */
    static void deleteTree(File dir) throws java.io.IOException {
        if (!dir.exists()) {
            return;
        }
        try (var files = java.nio.file.Files.walk(dir.toPath())) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    public static void main(String[] args) throws Exception {
        Outcome o = run(Settings.fromSystemProperties());
        System.out.println(o.table());
        if (!o.violations().isEmpty()) {
            System.err.println("violations: " + o.violations());
            System.exit(1);
        }
    }
}
