package org.spindle.bench;

import java.io.File;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The diagnostic harness behind BENCHMARKS.md's session 10 experiments, kept so that they can be repeated: volume lives
 * (create → attach → detach → delete) on one node, in repeated rounds, each reported with the core's wall and CPU time a
 * life and, on H2, the chunks and bytes H2 wrote a life; or one run of concurrent attaches with its floor. Not a figure of
 * the report (that is {@link Bench}); no goal, no table. Options (system properties, {@code spindle.probe.}…):
 * {@code latency.ms} (5), {@code lives} (300 a round), {@code rounds} (3), {@code warmup} (300 lives first),
 * {@code prewarm} (lives at 0 ms through another node on the same database first: the JIT warmed without pacing),
 * {@code drop} (indexes to drop first, comma-separated: what they cost), {@code attaches} (> 0: that many concurrent
 * attaches instead of the lives), {@code postgres} (true: PostgreSQL instead of an H2 file under {@code data}).
 * Run it as {@code java -cp target/classes:$(cat /tmp/bench.cp) -Dspindle.probe.… org.spindle.bench.Probe}; add a
 * JFR recording to the JVM to profile.
 */
public final class Probe {
    /** One round of lives: per life, the wall, the external calls, the core's CPU; H2's chunks and bytes (0 on PostgreSQL). */
    record Round(double wallMs, double externalMs, double coreCpuMs, double chunks, double bytes) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "a life: wall %.2f ms, external %.2f ms, core %.2f ms (CPU %.2f ms), ratio %.3f; H2 wrote %.1f chunks, %.0f bytes",
                    wallMs, externalMs, wallMs - externalMs, coreCpuMs, wallMs / externalMs, chunks, bytes);
        }
    }

    private Probe() {
    }

    public static void main(String[] args) throws Exception {
        long latency = Long.getLong("spindle.probe.latency.ms", 5);
        File data = new File(System.getProperty("spindle.probe.data", "target/probe-data"));
        Bench.deleteTree(data);
        Databases.Db db = Boolean.getBoolean("spindle.probe.postgres") ? Databases.postgres() : Databases.h2(data, "probe");
        if (db == null) {
            throw new IllegalStateException(Databases.postgresMissing());
        }
        int attaches = Integer.getInteger("spindle.probe.attaches", 0);
        if (attaches > 0) {
            Results out = new Results();
            try (Rig rig = prepared(db, latency, Integer.getInteger("spindle.probe.warmup", 300))) {
                Map<String, Long> h2Before = h2Writes(rig);
                System.out.println("violations: " + Concurrency.run(rig, attaches, Integer.getInteger("spindle.bench.workers", 32), latency, out));
                Map<String, Long> h2After = h2Writes(rig);
                System.out.printf(Locale.ROOT, "H2 wrote %.2f chunks, %.0f bytes an attach (the floor's writes included)%n",
                        each(h2Before, h2After, "info.FILE_WRITE", attaches), each(h2Before, h2After, "info.FILE_WRITE_BYTES", attaches));
            }
            out.rows().forEach(r -> System.out.printf(Locale.ROOT, "%s: %s (reference %s), ratio %.3f%n", r.figure(), r.value(), r.reference(), r.ratio()));
        } else {
            for (Round r : lives(db, latency, Integer.getInteger("spindle.probe.warmup", 300), Integer.getInteger("spindle.probe.lives", 300),
                    Integer.getInteger("spindle.probe.rounds", 3))) {
                System.out.println(r);
            }
        }
        System.exit(0);
    }

    /** A node on {@code db}, after the prewarm and {@code warmup} lives, with the indexes asked for dropped. */
    private static Rig prepared(Databases.Db db, long latency, int warmup) throws SQLException {
        int prewarm = Integer.getInteger("spindle.probe.prewarm", 0);
        if (prewarm > 0) {
            try (Rig fast = Rig.start(db, Rig.Peers.make(0), true)) {
                for (int i = 0; i < prewarm; i++) {
                    Overhead.life(fast, "prewarm" + i);
                }
            }
        }
        Rig rig = Rig.start(db, Rig.Peers.make(latency), true);
        String drop = System.getProperty("spindle.probe.drop", "");
        try (Connection c = rig.db.getConnection(); Statement st = c.createStatement()) {
            for (String index : drop.isBlank() ? new String[0] : drop.split(",")) {
                st.execute("DROP INDEX " + index.trim());
            }
        }
        for (int i = 0; i < warmup; i++) {
            Overhead.life(rig, "warm" + i);
        }
        return rig;
    }

    /** {@code rounds} rounds of {@code lives} lives each on a node of {@code db}, after {@code warmup} lives. */
    static List<Round> lives(Databases.Db db, long latency, int warmup, int lives, int rounds) throws SQLException {
        List<Round> out = new ArrayList<>();
        try (Rig rig = prepared(db, latency, warmup)) {
            for (int round = 0; round < rounds; round++) {
                Map<String, Long> h2Before = h2Writes(rig);
                Overhead.Timing t = Overhead.timed(rig, lives, "r" + round + "-");
                Map<String, Long> h2After = h2Writes(rig);
                out.add(new Round(t.wallNanos() / 1e6 / lives, t.externalNanos() / 1e6 / lives, t.coreCpuNanos() / 1e6 / lives,
                        each(h2Before, h2After, "info.FILE_WRITE", lives), each(h2Before, h2After, "info.FILE_WRITE_BYTES", lives)));
            }
        }
        return out;
    }

    /** How much H2's counter {@code key} grew from {@code before} to {@code after}, per one of {@code n}. */
    private static double each(Map<String, Long> before, Map<String, Long> after, String key, int n) {
        return (double) (after.getOrDefault(key, 0L) - before.getOrDefault(key, 0L)) / n;
    }

    /** H2's own counters of file writes (a write is a chunk) and bytes written; empty on another database. */
    private static Map<String, Long> h2Writes(Rig rig) throws SQLException {
        Map<String, Long> m = new HashMap<>();
        if (!rig.where.label().startsWith("H2")) {
            return m;
        }
        try (Connection c = rig.db.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT SETTING_NAME, SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME IN ('info.FILE_WRITE', 'info.FILE_WRITE_BYTES')")) {
            while (rs.next()) {
                m.put(rs.getString(1), Long.parseLong(rs.getString(2)));
            }
        }
        return m;
    }

}
