package org.spindle.itest;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A Karaf distribution unpacked from its tar.gz and run as an operator runs it: {@code bin/start}, its shell over
 * ssh ({@link SshShell}: what {@code bin/client -b} does, from the test JVM; {@link #binClient()} for
 * {@code bin/client} itself), {@code bin/stop}. Its ssh and RMI ports are chosen free
 * ({@link FreePorts}: below the ephemeral range), so it runs beside anything else. {@link #close()} stops it, and kills the JVM it started if it does not stop.
 */
final class KarafProcess implements AutoCloseable {
    /** The admin the tests log in as: the distribution ships no user, so each unpack makes one, with a random password. */
    static final String USER = "itest-admin";

    /**
     * JVM options the tests give the distribution and bin/client ({@code EXTRA_JAVA_OPTS}), also the Pax Exam
     * containers': the JVMs live for seconds, and the C1 compiler alone and the serial collector start them faster on
     * 2 cores. {@code -Dspindle.itest.jvm.options=} (empty) runs them as shipped.
     */
    static final String TEST_JVM_OPTIONS = System.getProperty("spindle.itest.jvm.options", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC");

    final Path home;
    final int sshPort;
    private final String password = randomPassword();
    private String extraJavaOpts = TEST_JVM_OPTIONS;
    private final SshShell shell = new SshShell();
    /** {@code -Dspindle.itest.bin.client=true} (through failsafe's argLine) runs every session through bin/client, as before. */
    private boolean binClient = Boolean.getBoolean("spindle.itest.bin.client");
    /** Shell sessions run and the nanoseconds spent in them, printed at {@link #close()}: where a test's time goes. */
    private final java.util.concurrent.atomic.AtomicLong sessions = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong sessionNanos = new java.util.concurrent.atomic.AtomicLong();

    private KarafProcess(Path home, int sshPort) {
        this.home = home;
        this.sshPort = sshPort;
    }

    /** Unpacks {@code tarGz} into {@code dir} (emptied first) and gives it free ports and an admin, {@link #USER}. */
    static KarafProcess unpack(Path tarGz, Path dir) throws IOException, InterruptedException {
        if (Files.exists(dir)) {
            exec(dir.getParent(), Duration.ofSeconds(60), "", "rm", "-rf", dir.getFileName().toString());
        }
        Files.createDirectories(dir);
        exec(dir, Duration.ofSeconds(120), "", "tar", "xzf", tarGz.toAbsolutePath().toString(), "--strip-components=1");
        FreePorts ports = new FreePorts();
        int ssh = ports.next();
        KarafProcess k = new KarafProcess(dir, ssh);
        k.setProperty("etc/org.apache.karaf.shell.cfg", "sshPort", Integer.toString(ssh));
        k.setProperty("etc/org.apache.karaf.management.cfg", "rmiRegistryPort", Integer.toString(ports.next()));
        k.setProperty("etc/org.apache.karaf.management.cfg", "rmiServerPort", Integer.toString(ports.next()));
        // neither Spindle nor stock Karaf ships an enabled user; stock Karaf's admingroup lacks Spindle's operator role
        k.addUser(USER, k.password, "admingroup");
        if (!Files.readString(dir.resolve("etc/users.properties")).contains("_g_\\:admingroup = group,admin,manager,operator,")) {
            Files.writeString(dir.resolve("etc/users.properties"), "_g_\\:admingroup = group,admin,manager,operator,viewer,systembundles,ssh\n",
                    java.nio.file.StandardOpenOption.APPEND);
        }
        return k;
    }

    /** Adds a user of {@code group} to etc/users.properties (read at every login: no restart needed). */
    void addUser(String name, String userPassword, String group) throws IOException {
        Files.writeString(home.resolve("etc/users.properties"), "\n" + name + " = " + userPassword + ",_g_:" + group + "\n",
                java.nio.file.StandardOpenOption.APPEND);
    }

    /** A password no one knows in advance: 24 random letters and digits. */
    static String randomPassword() {
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        java.security.SecureRandom random = new java.security.SecureRandom();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 24; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    /** The password of {@link #USER}, made for this run. */
    String password() {
        return password;
    }

    /** Runs the JVMs as shipped, without {@link #TEST_JVM_OPTIONS} (for boot times an operator would see). */
    KarafProcess shippedJvm() {
        extraJavaOpts = "";
        return this;
    }

    /** Runs every shell session through {@code bin/client} (a JVM each), for tests about the operator's own client. */
    KarafProcess binClient() {
        binClient = true;
        return this;
    }

    /** Sets {@code key = value} in a properties-style file of the distribution, replacing an existing line. */
    void setProperty(String file, String key, String value) throws IOException {
        Path f = home.resolve(file);
        List<String> lines = new ArrayList<>(Files.readAllLines(f));
        boolean done = false;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).matches("\\s*" + java.util.regex.Pattern.quote(key) + "\\s*=.*")) {
                lines.set(i, key + " = " + value);
                done = true;
            }
        }
        if (!done) {
            lines.add(key + " = " + value);
        }
        Files.write(f, lines);
    }

    void start() throws IOException, InterruptedException {
        exec(home, Duration.ofSeconds(30), extraJavaOpts, "bin/start");
    }

    /** {@code bin/stop}, then waits until the JVM is gone. */
    void stop(Duration timeout) throws Exception {
        Optional<ProcessHandle> jvm = jvm();
        exec(home, Duration.ofSeconds(30), extraJavaOpts, "bin/stop");
        if (jvm.isPresent()) {
            jvm.get().onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    boolean running() {
        return jvm().isPresent();
    }

    /** {@code kill -9} of the distribution's JVM (SIGKILL: no shutdown hook, nothing flushed), then waits until it is gone. */
    void kill9() throws Exception {
        String marker = "-Dkaraf.home=" + home.toAbsolutePath();
        // the runtime itself, not a bin/client JVM (which carries karaf.home too)
        Optional<ProcessHandle> jvm = ProcessHandle.allProcesses().filter(p -> p.info().commandLine()
                .map(c -> (c.contains(marker + " ") || c.endsWith(marker)) && c.contains("org.apache.karaf.main.Main")).orElse(false))
                .findFirst();
        if (jvm.isEmpty()) {
            throw new IllegalStateException("the distribution is not running");
        }
        jvm.get().destroyForcibly();
        jvm.get().onExit().get(60, TimeUnit.SECONDS);
    }

    /** The JVM running this distribution (found by its karaf.home), if any: only ever one we started. */
    Optional<ProcessHandle> jvm() {
        String marker = "-Dkaraf.home=" + home.toAbsolutePath();
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(marker + " ") || c.endsWith(marker)).orElse(false))
                .findFirst();
    }

    /** Runs {@code commands} (one per line) in one shell session ({@code bin/client -b}'s); returns what it printed. */
    Result client(String... commands) throws IOException, InterruptedException {
        return clientAs(USER, password, commands);
    }

    /** {@link #client} as {@code user} with {@code userPassword}, over ssh to 127.0.0.1. */
    Result clientAs(String user, String userPassword, String... commands) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        try {
            return session(user, userPassword, commands);
        } finally {
            sessions.incrementAndGet();
            sessionNanos.addAndGet(System.nanoTime() - t0);
        }
    }

    private Result session(String user, String userPassword, String... commands) throws IOException, InterruptedException {
        if (!binClient) {
            // bin/client -b sends its stdin, a line a command, and a newline after it as one exec request
            return strip(shell.exec(sshPort, user, userPassword, String.join("\n", commands) + "\n\n"));
        }
        Path in = Files.createTempFile(home, "client", ".txt");
        Files.writeString(in, String.join("\n", commands) + "\n");
        ProcessBuilder pb = new ProcessBuilder("bin/client", "-a", Integer.toString(sshPort), "-h", "127.0.0.1",
                "-u", user, "-p", userPassword, "-b").directory(home.toFile()).redirectErrorStream(true)
                .redirectInput(in.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("EXTRA_JAVA_OPTS", extraJavaOpts);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        boolean done = p.waitFor(60, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        Files.deleteIfExists(in);
        return strip(new Result(done ? p.exitValue() : -1, new String(out, StandardCharsets.UTF_8)));
    }

    /** {@code r} without the terminal's colour and cursor sequences. */
    private static Result strip(Result r) {
        return new Result(r.exit(), r.output().replaceAll("\u001B\\[[;\\d]*[A-Za-z]", ""));
    }

    /** Polls {@link #client} with {@code commands} until {@code ok} holds for its result; returns that result. */
    Result awaitClient(Duration timeout, Predicate<Result> ok, String... commands) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Result last = null;
        while (System.nanoTime() < deadline) {
            last = client(commands);
            if (ok.test(last)) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("timed out after " + timeout + " waiting for " + List.of(commands) + "; last: " + last
                + bindFailures() + threadDump());
    }

    /** Runs {@code commands} in one session; they must all succeed (batch mode stops at the first failure). */
    Result ok(String... commands) throws IOException, InterruptedException {
        Result r = client(commands);
        if (r.exit() != 0) {
            // a session that could not even start (exit 1 with the ssh client's error) may be a stuck runtime: say what it was doing
            throw new AssertionError("failed (exit " + r.exit() + "): " + List.of(commands) + ": " + r.output()
                    + (r.exit() == 1 && r.output().contains("timeout") ? threadDump() : ""));
        }
        return r;
    }

    /** Runs one command that must fail; returns what it printed (the error). */
    String fails(String command) throws IOException, InterruptedException {
        Result r = client(command);
        if (r.exit() == 0) {
            throw new AssertionError("should have failed: " + command + ": " + r.output());
        }
        return r.output();
    }

    /**
     * Runs one command over OpenSSH ({@code ssh -i key}, a key made for this distribution in {@code etc/keys.properties})
     * and returns what it printed on stdout. For outputs of megabytes: Karaf's own {@code bin/client} (4.4.10) can end
     * before the last 128 KiB blocks of a long output reached its stdout (measured: a 3.2 MB listing cut in 4 of 12
     * runs, the server having sent it whole; OpenSSH received it whole in 8 of 8). ssh's exit status is not returned:
     * Karaf closes the connection right after the command, and ssh then sometimes reports 255 for a command that
     * succeeded; callers judge the output (a listing that did not finish lacks its closing bracket).
     */
    String ssh(String command) throws IOException, InterruptedException {
        Path key = home.resolve("itest-ssh-key").toAbsolutePath();
        if (!Files.exists(key)) {
            exec(home, Duration.ofSeconds(60), "", "ssh-keygen", "-q", "-t", "rsa", "-b", "2048", "-N", "", "-f", key.toString());
            String pub = Files.readString(home.resolve("itest-ssh-key.pub").toAbsolutePath()).trim().split("\\s+")[1];
            Files.writeString(home.resolve("etc/keys.properties"), "\n" + USER + "=" + pub + ",_g_:admingroup\n",
                    java.nio.file.StandardOpenOption.APPEND);
        }
        Path out = Files.createTempFile(home, "ssh", ".out");
        Path err = Files.createTempFile(home, "ssh", ".err");
        Process p = new ProcessBuilder("ssh", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o",
                "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-i", key.toString(), "-p", Integer.toString(sshPort),
                USER + "@127.0.0.1", command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("ssh " + command + " did not finish in 120 s");
        }
        String text = Files.readString(out);
        String error = Files.readString(err);
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
        if (text.isBlank()) {
            throw new AssertionError("ssh " + command + " printed nothing (exit " + p.exitValue() + "): " + error);
        }
        return text;
    }

    /** Runs a {@code --json} command through {@link #ssh} and parses the whole of what it printed. */
    JsonNode sshJson(String command) throws IOException, InterruptedException {
        return whole(command, ssh(command));
    }

    /** {@code out}, all of it, as one JSON document; fails naming {@code command} and the end of what came. */
    static JsonNode whole(String command, String out) {
        try {
            return new ObjectMapper().readTree(out);
        } catch (IOException e) {
            throw new AssertionError("no complete JSON from " + command + " (" + out.length() + " characters): "
                    + e.getMessage() + "; ends with: " + out.substring(Math.max(0, out.length() - 300)));
        }
    }

    /** Runs a {@code --json} command that must succeed and parses what it printed. */
    JsonNode json(String command) throws IOException, InterruptedException {
        String out = ok(command).output();
        int array = out.indexOf('[');
        int object = out.indexOf('{');
        int start = array < 0 ? object : object < 0 ? array : Math.min(array, object);
        if (start < 0) {
            throw new AssertionError("no JSON from " + command + ": " + out);
        }
        return new ObjectMapper().readTree(out.substring(start));
    }

    /**
     * The JSON documents a session printed, in order: {@code --json} commands run in one session together with
     * others (one bin/client round trip instead of several). A document starts on a line beginning with
     * {@code [} or <code>{</code>; what other commands print between documents is skipped.
     */
    static List<JsonNode> jsons(Result session) throws IOException {
        String out = session.output();
        ObjectMapper mapper = new ObjectMapper();
        List<JsonNode> documents = new ArrayList<>();
        Matcher start = Pattern.compile("(?m)^\\s*[\\[{]").matcher(out);
        int from = 0;
        while (from < out.length() && start.find(from)) {
            try (JsonParser parser = mapper.createParser(out.substring(start.start()))) {
                parser.nextToken();
                documents.add(mapper.readTree(parser));
                from = start.start() + (int) parser.currentLocation().getCharOffset();
            }
        }
        if (documents.isEmpty()) {
            throw new AssertionError("no JSON in: " + out);
        }
        return documents;
    }

    /** The log lines of ports the distribution could not listen on, if any (else the empty string). */
    String bindFailures() {
        try {
            List<String> lines = logs().lines().filter(l -> l.contains("BindException") || l.contains("Address already in use")).toList();
            return lines.isEmpty() ? "" : " (the distribution could not listen: " + String.join(" | ", lines) + ")";
        } catch (IOException e) {
            return "";
        }
    }

    /** Everything under {@code data/log}, for assertions on what was logged. */
    String logs() throws IOException {
        StringBuilder b = new StringBuilder();
        try (java.util.stream.Stream<Path> files = Files.walk(home.resolve("data/log"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                b.append(Files.readString(f, StandardCharsets.ISO_8859_1));
            }
        }
        return b.toString();
    }

    /**
     * A thread dump of the distribution's JVM written next to it ({@code jstack}), named in the returned text: a start
     * that never answers is then diagnosable from the CI artifacts (a boot deadlock shows FelixStartLevel in
     * BootFeaturesInstaller and a features thread in Felix.acquireBundleLock).
     */
    String threadDump() {
        Optional<ProcessHandle> jvm = jvm();
        if (jvm.isEmpty()) {
            return " (the distribution's JVM is not running)";
        }
        Path jstack = Path.of(System.getProperty("java.home"), "bin", "jstack");
        Path dump = home.resolveSibling(home.getFileName() + "-threads.txt").toAbsolutePath();
        try {
            Process p = new ProcessBuilder(jstack.toString(), Long.toString(jvm.get().pid())).redirectErrorStream(true)
                    .redirectOutput(dump.toFile()).start();
            p.waitFor(30, TimeUnit.SECONDS);
            return " (thread dump of the distribution: " + dump + "; its threads in Spindle's code or the ssh server:\n"
                    + ours(Files.readString(dump)) + ")";
        } catch (IOException e) {
            return " (no thread dump: " + e + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /**
     * The threads of a {@code jstack} dump whose stacks pass through Spindle's code or the ssh server's commands, each
     * cut to its first 25 lines: what a CI log needs to tell a stuck command from a slow machine when the dump file itself
     * is gone with the CI's machine.
     */
    static String ours(String dump) {
        StringBuilder b = new StringBuilder();
        for (String thread : dump.split("\n\\s*\n")) {
            if (thread.contains("org.spindle.") || thread.contains("org.apache.karaf.shell.ssh")) {
                thread.lines().limit(25).forEach(l -> b.append(l).append('\n'));
                b.append('\n');
            }
        }
        return b.toString();
    }

    @Override
    public void close() throws Exception {
        shell.close();
        if (sessions.get() > 0) {
            System.out.printf("%s: %d shell sessions (%s), %.1f s in them%n", home.getParent().getFileName() + "/" + home.getFileName(), sessions.get(),
                    binClient ? "bin/client" : "ssh from the test JVM", sessionNanos.get() / 1e9);
            sessions.set(0);
            sessionNanos.set(0);
        }
        Optional<ProcessHandle> jvm = jvm();
        if (jvm.isEmpty()) {
            return;
        }
        try {
            stop(Duration.ofSeconds(30));
        } catch (Exception e) {
            jvm.get().destroyForcibly();
        }
    }

    record Result(int exit, String output) {
    }

    private static void exec(Path dir, Duration timeout, String extraJavaOpts, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("EXTRA_JAVA_OPTS", extraJavaOpts);
        File log = Files.createTempFile("karaf-exec", ".log").toFile();
        pb.redirectOutput(log);
        Process p = pb.start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish in " + timeout);
        }
        String out = Files.readString(log.toPath());
        log.delete();
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + ": " + out);
        }
    }
}
