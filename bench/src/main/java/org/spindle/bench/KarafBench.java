package org.spindle.bench;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.h2.jdbcx.JdbcDataSource;
import org.spindle.storage.core.internal.db.BenchRows;

/**
 * Not part of the CI run: the distribution as an operator runs it ({@code bin/start}, {@code deploy/}, OpenSSH to the
 * console), for the two figures a JVM of its own cannot give.
 * <ul>
 *   <li><b>Hot deploy</b>: from the moment the test driver's bundle and a factory configuration are dropped into
 *   {@code deploy/} until the core logs the pool available (routable), read from {@code data/log/karaf.log}'s
 *   timestamps; the reference, in the same run and the same Karaf, is a configuration alone dropped into {@code deploy/}
 *   for the driver bundle already running (no bundle install).</li>
 *   <li><b>Cold restart</b>: {@code bin/start} until the console answers a page of {@code storage:volume-list} and
 *   the pool {@code sf1} is available, on a distribution whose H2 database holds {@code n} volumes, against the same on
 *   an otherwise identical distribution with one volume; the two alternate, {@code rounds} times each.</li>
 * </ul>
 * Run under {@code flock /tmp/spindle-karaf.lock} (BENCHMARKS.md has the command). System properties:
 * {@code spindle.distribution.tar}, {@code spindle.itest.driver.jar}, {@code spindle.itest.attach.jar},
 * {@code spindle.bench.volumes} (100000), {@code spindle.bench.rounds} (3), {@code spindle.bench.dir}
 * ({@code /tmp/spindle-karaf-bench}), {@code spindle.bench.hot.only} (only the hot deploy), {@code spindle.bench.fileinstall.poll}
 * (ms, set in the unpacked copies' {@code etc/org.apache.felix.fileinstall-deploy.cfg}; the distribution ships 1000).
 */
public final class KarafBench {
    private static final Duration READY = Duration.ofSeconds(300);
    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss,SSS");
    private static final String USER = "bench";

    private KarafBench() {
    }

    /** One unpacked distribution with its own ports and an OpenSSH key for {@value #USER}. */
    private record Karaf(Path home, int sshPort, Path key) {
        static Karaf unpack(Path tar, Path home) throws Exception {
            if (Files.exists(home)) {
                run(home.getParent(), "rm", "-rf", home.getFileName().toString());
            }
            Files.createDirectories(home);
            run(home, "tar", "xzf", tar.toAbsolutePath().toString(), "--strip-components=1");
            int ssh = freePort();
            setProperty(home.resolve("etc/org.apache.karaf.shell.cfg"), "sshPort", Integer.toString(ssh));
            setProperty(home.resolve("etc/org.apache.karaf.management.cfg"), "rmiRegistryPort", Integer.toString(freePort()));
            setProperty(home.resolve("etc/org.apache.karaf.management.cfg"), "rmiServerPort", Integer.toString(freePort()));
            Path key = home.resolve("bench-ssh-key");
            // RSA: the console's public-key login (keys.properties) does not take ed25519 keys (measured: "Permission denied")
            run(home, "ssh-keygen", "-q", "-t", "rsa", "-b", "2048", "-N", "", "-f", key.toString());
            String pub = Files.readString(home.resolve("bench-ssh-key.pub")).trim().split("\\s+")[1];
            Files.writeString(home.resolve("etc/keys.properties"), "\n" + USER + "=" + pub + ",_g_:admingroup\n", StandardOpenOption.APPEND);
            if (!Files.readString(home.resolve("etc/users.properties")).contains("_g_\\:admingroup = group,admin,manager,operator,")) {
                Files.writeString(home.resolve("etc/users.properties"), "\n_g_\\:admingroup = group,admin,manager,operator,viewer,systembundles,ssh\n",
                        StandardOpenOption.APPEND);
            }
            return new Karaf(home, ssh, key);
        }

        void start() throws Exception {
            run(home, "bin/start");
        }

        /** bin/stop, then waits until the JVM of this home has gone. */
        void stop() throws Exception {
            run(home, "bin/stop");
            long end = System.nanoTime() + READY.toNanos();
            while (System.nanoTime() < end) {
                Process p = new ProcessBuilder("pgrep", "-f", "karaf.home=" + home.toAbsolutePath()).start();
                if (p.waitFor() != 0) {
                    return;
                }
                Thread.sleep(200);
            }
            throw new IllegalStateException("Karaf in " + home + " did not stop");
        }

        /** One console command over OpenSSH: what it printed, or "" when the console does not answer (yet). */
        String ssh(String command) throws Exception {
            Process p = new ProcessBuilder("ssh", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                    "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=5", "-i", key.toString(), "-p", Integer.toString(sshPort), USER + "@127.0.0.1", command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "";
            }
            return out;
        }

        /** Polls until the console lists a page of volumes holding {@code volume} and pool {@code pool} is available. */
        void awaitServing(String volume, String pool) throws Exception {
            long end = System.nanoTime() + READY.toNanos();
            while (System.nanoTime() < end) {
                if (serving(ssh("storage:volume-list --limit 1 --json; storage:pool-list --json"), volume, pool)) {
                    return;
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException("Karaf in " + home + " did not serve within " + READY);
        }

        /** Both answers whole: the page holds {@code volume}, and {@code pool} is listed available. */
        static boolean serving(String out, String volume, String pool) {
            // two JSON documents one after the other (a reader's readValues would unwrap the first array instead)
            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            List<com.fasterxml.jackson.databind.JsonNode> all = new ArrayList<>();
            try (com.fasterxml.jackson.core.JsonParser p = json.getFactory().createParser(out)) {
                while (all.size() < 2 && p.nextToken() != null) {
                    all.add(json.readTree(p));
                }
            } catch (IOException | RuntimeException e) {
                return false; // not answering yet, or an error message
            }
            if (all.size() != 2) {
                return false;
            }
            boolean listed = false;
            for (com.fasterxml.jackson.databind.JsonNode v : all.get(0)) {
                listed |= volume.equals(v.path("name").asText());
            }
            boolean available = false;
            for (com.fasterxml.jackson.databind.JsonNode p : all.get(1)) {
                available |= pool.equals(p.path("name").asText()) && p.path("available").asBoolean();
            }
            return listed && available;
        }

        Path log() {
            return home.resolve("data/log/karaf.log");
        }
    }

    public static void main(String[] args) throws Exception {
        Path tar = Path.of(required("spindle.distribution.tar"));
        Path driverJar = Path.of(required("spindle.itest.driver.jar"));
        Path attachJar = Path.of(required("spindle.itest.attach.jar"));
        int volumes = Integer.getInteger("spindle.bench.volumes", 100_000);
        int rounds = Integer.getInteger("spindle.bench.rounds", 3);
        Path dir = Path.of(System.getProperty("spindle.bench.dir", "/tmp/spindle-karaf-bench"));
        boolean hotOnly = Boolean.getBoolean("spindle.bench.hot.only");
        String poll = System.getProperty("spindle.bench.fileinstall.poll", "");
        double loadStart = load();

        Karaf empty = Karaf.unpack(tar, dir.resolve("empty"));
        Karaf full = hotOnly ? null : Karaf.unpack(tar, dir.resolve("full"));
        List<Karaf> both = hotOnly ? List.of(empty) : List.of(empty, full);
        for (Karaf k : both) {
            if (!poll.isBlank()) {
                // a poll other than the one the distribution ships (200 ms), to measure before changing it
                setProperty(k.home().resolve("etc/org.apache.felix.fileinstall-deploy.cfg"), "felix.fileinstall.poll", poll);
            }
            Files.copy(attachJar, k.home().resolve("deploy/org.spindle.itest.attach.jar"));
            Files.copy(driverJar, k.home().resolve("deploy/org.spindle.itest.driver.jar"));
            Files.writeString(k.home().resolve("etc/org.spindle.itest.attach-h1.config"), "hypervisor.hosts=[\"h1\"]\nstorage.zone=\"z1\"\n"
                    + "storage.protocols=[\"iscsi\"]\nhypervisor.limits=[\"iops\",\"bps\",\"read-write\",\"total\",\"burst\",\"burst-length\"]\nvms=[\"vm1\"]\n");
            Files.writeString(k.home().resolve("etc/org.spindle.itest.driver-sf1.config"), driverConfig("sf1"));
        }
        try {
            for (Karaf k : both) {
                k.start();
                ensure(k, "storage:offering-create --tags gold --min-iops 500 --max-iops 1000 --burst-iops 1500 gold", "storage:offering-list --json",
                        "\"gold\"");
                ensure(k, "storage:volume-create --offering gold --size 1G r0", "storage:volume-list --json", "\"r0\"");
                k.awaitServing("r0", "sf1");
                k.stop();
            }
            double[] coldEmpty = new double[hotOnly ? 1 : rounds];
            double[] coldFull = new double[hotOnly ? 1 : rounds];
            if (!hotOnly) {
                long t = System.nanoTime();
                fill(full.home().resolve("data/spindle/spindle"), volumes);
                System.out.printf(Locale.ROOT, "filled %d volumes into %s in %.1f s%n", volumes, full.home(), (System.nanoTime() - t) / 1e9);
            }
            for (int r = 0; r < (hotOnly ? 0 : rounds); r++) {
                // alternate which goes first, so that a machine getting busier favours neither
                for (Karaf k : r % 2 == 0 ? both : List.of(full, empty)) {
                    double s = coldStart(k);
                    (k == empty ? coldEmpty : coldFull)[r] = s;
                    System.out.printf(Locale.ROOT, "round %d: cold start until serving, %s: %.2f s%n", r + 1, k == empty ? "1 volume" : volumes + " volumes", s);
                    k.stop();
                }
            }
            empty.start();
            empty.awaitServing("r0", "sf1");
            double[][] hot = hotDeploy(empty, driverJar, rounds);
            empty.stop();

            double me = median(coldEmpty);
            double mf = median(coldFull);
            double hd = median(hot[0]);
            double cf = median(hot[1]);
            StringBuilder b = new StringBuilder();
            b.append(String.format(Locale.ROOT, "# Karaf figures, %s; 2 cores; load average %.1f at the start, %.1f at the end%n%n", Instant.now(),
                    loadStart, load()));
            b.append("| figure | value | reference (same run) | ratio | goal |\n|---|---|---|---|---|\n");
            if (!hotOnly) {
                b.append(String.format(Locale.ROOT, "| cold start (bin/start until a page of volume-list and pool sf1 available over ssh), %d volumes in H2 "
                    + "| %.2f s | %.2f s with 1 volume | %.3f | ≤ reference + 2 s (here %+.2f s) |%n", volumes, mf, me, mf / me, mf - me));
            }
            b.append(String.format(Locale.ROOT, "| hot deploy: driver bundle + configuration dropped into deploy/ until the core logs the pool available "
                    + "| %.3f s | %.3f s: a configuration alone dropped for the bundle already running | %.3f | ≤ 1 s |%n", hd, cf, hd / cf));
            b.append(String.format(Locale.ROOT, "%nEach a median of %d: cold %s / %s s; hot %s / %s s. deploy/ is polled every %s ms "
                    + "(felix.fileinstall.poll of etc/org.apache.felix.fileinstall-deploy.cfg).%n", rounds, Arrays.toString(coldFull),
                    Arrays.toString(coldEmpty), Arrays.toString(hot[0]), Arrays.toString(hot[1]),
                    property(empty.home().resolve("etc/org.apache.felix.fileinstall-deploy.cfg"), "felix.fileinstall.poll")));
            System.out.print(b);
            Path out = Path.of(System.getProperty("spindle.bench.out", "target/karaf-bench.md"));
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, b.toString());
        } finally {
            for (Karaf k : both) {
                if (pgrepRunning(k)) {
                    k.stop();
                }
            }
        }
    }

    /** bin/start until serving, in seconds. */
    private static double coldStart(Karaf k) throws Exception {
        long t = System.nanoTime();
        k.start();
        k.awaitServing("r0", "sf1");
        return (System.nanoTime() - t) / 1e9;
    }

    /**
     * {@code rounds} times: the driver bundle taken out of deploy/ (uninstalled), then it and a configuration of a new pool
     * dropped in together; then a configuration of one more pool dropped alone. Seconds from the drop to the core's
     * "Pool … available" log line: {bundle + configuration, configuration alone}.
     */
    private static double[][] hotDeploy(Karaf k, Path driverJar, int rounds) throws Exception {
        double[] withBundle = new double[rounds];
        double[] configOnly = new double[rounds];
        Path deployed = k.home().resolve("deploy/org.spindle.itest.driver.jar");
        for (int r = 0; r < rounds; r++) {
            long offset = Files.size(k.log());
            Files.delete(deployed);
            awaitLog(k, offset, "Pool sf1 unavailable");
            Path stage = k.home().resolve("bench-stage");
            Files.createDirectories(stage);
            String pool = "hot" + r;
            Files.writeString(stage.resolve("org.spindle.itest.driver-" + pool + ".config"), driverConfig(pool));
            Files.copy(driverJar, stage.resolve("org.spindle.itest.driver.jar"), StandardCopyOption.REPLACE_EXISTING);
            offset = Files.size(k.log());
            LocalDateTime dropped = LocalDateTime.now(ZoneId.systemDefault());
            Files.move(stage.resolve("org.spindle.itest.driver-" + pool + ".config"), k.home().resolve("deploy/org.spindle.itest.driver-" + pool + ".config"),
                    StandardCopyOption.ATOMIC_MOVE);
            Files.move(stage.resolve("org.spindle.itest.driver.jar"), deployed, StandardCopyOption.ATOMIC_MOVE);
            withBundle[r] = seconds(dropped, awaitLog(k, offset, "Pool " + pool + " available"));

            String alone = "cfg" + r;
            Files.writeString(stage.resolve("org.spindle.itest.driver-" + alone + ".config"), driverConfig(alone));
            offset = Files.size(k.log());
            dropped = LocalDateTime.now(ZoneId.systemDefault());
            Files.move(stage.resolve("org.spindle.itest.driver-" + alone + ".config"), k.home().resolve("deploy/org.spindle.itest.driver-" + alone + ".config"),
                    StandardCopyOption.ATOMIC_MOVE);
            configOnly[r] = seconds(dropped, awaitLog(k, offset, "Pool " + alone + " available"));
            System.out.printf(Locale.ROOT, "round %d: hot deploy %.3f s, configuration alone %.3f s%n", r + 1, withBundle[r], configOnly[r]);
        }
        return new double[][] {withBundle, configOnly};
    }

    private static double seconds(LocalDateTime from, LocalDateTime to) {
        return Duration.between(from, to).toNanos() / 1e9;
    }

    /** The timestamp of the first line after {@code offset} of karaf.log that contains {@code text}. */
    private static LocalDateTime awaitLog(Karaf k, long offset, String text) throws Exception {
        Pattern line = Pattern.compile("^(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d,\\d{3}) .*" + Pattern.quote(text) + ".*$", Pattern.MULTILINE);
        long end = System.nanoTime() + READY.toNanos();
        while (System.nanoTime() < end) {
            try (RandomAccessFile f = new RandomAccessFile(k.log().toFile(), "r")) {
                if (f.length() > offset) {
                    byte[] b = new byte[(int) (f.length() - offset)];
                    f.seek(offset);
                    f.readFully(b);
                    Matcher m = line.matcher(new String(b, StandardCharsets.UTF_8));
                    if (m.find()) {
                        return LocalDateTime.parse(m.group(1), LOG_TIME);
                    }
                }
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("no '" + text + "' in " + k.log() + " within " + READY);
    }

    /** Runs {@code command} until {@code check} prints {@code expect} (the console may not answer yet, or the pool not be there). */
    private static void ensure(Karaf k, String command, String check, String expect) throws Exception {
        long end = System.nanoTime() + READY.toNanos();
        String last = "";
        while (System.nanoTime() < end) {
            last = k.ssh(command);
            if (k.ssh(check).contains(expect)) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException(command + ": " + check + " never showed " + expect + "; last answer: " + last);
    }

    /** Inserts {@code n} volumes of pool sf1 into the stopped distribution's H2 database (schema made by its first start). */
    private static void fill(Path h2, int n) throws Exception {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(BenchRows.h2FileUrl(h2.toFile()));
        ds.setUser("spindle"); // the distribution's etc/org.spindle.storage.database.cfg, no password
        Instant base = Instant.now();
        for (int from = 0; from < n; from += 10_000) {
            BenchRows.insert(ds, Scale.rows(from, Math.min(n, from + 10_000), base));
        }
        try (var c = ds.getConnection(); var st = c.createStatement()) {
            st.execute("ANALYZE");
            st.execute("SHUTDOWN");
        }
    }

    private static String driverConfig(String pool) {
        return "storage.pool=\"" + pool + "\"\nstorage.zone=\"z1\"\nstorage.tags=[\"gold\"]\n";
    }

    private static boolean pgrepRunning(Karaf k) throws Exception {
        return new ProcessBuilder("pgrep", "-f", "karaf.home=" + k.home().toAbsolutePath()).start().waitFor() == 0;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double load() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static String required(String property) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(property + ": required (see BENCHMARKS.md)");
        }
        return v;
    }

    /** The value of {@code key} in {@code cfg} as the distribution has it ({@code ?} if it does not set it). */
    private static String property(Path cfg, String key) throws IOException {
        for (String line : Files.readAllLines(cfg)) {
            if (line.matches("\\s*" + Pattern.quote(key) + "\\s*=.*")) {
                return line.substring(line.indexOf('=') + 1).trim();
            }
        }
        return "?";
    }

    private static void setProperty(Path cfg, String key, String value) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(cfg));
        boolean set = false;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).matches("\\s*" + Pattern.quote(key) + "\\s*=.*")) {
                lines.set(i, key + " = " + value);
                set = true;
            }
        }
        if (!set) {
            lines.add(key + " = " + value);
        }
        Files.write(cfg, lines);
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " in " + dir + " failed: " + out);
        }
    }
}
