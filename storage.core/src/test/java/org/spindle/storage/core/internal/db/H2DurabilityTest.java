package org.spindle.storage.core.internal.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded database keeps what it committed across a {@code kill -9}: a separate JVM commits offerings one at
 * a time and is killed (SIGKILL) the moment it reports the last commit; the store reopened afterwards has every
 * one of them. With H2's default (commits written up to 500 ms later) the last ones are lost. The same with many
 * threads committing at once.
 */
class H2DurabilityTest {
    private static final int COMMITS = 5;

    @TempDir
    Path dir;

    @Test
    void everyCommitReturnedSurvivesAKill9RightAfterIt() throws Exception {
        String url = DataSources.url("", dir.toFile());
        assertTrue(url.endsWith(";" + DataSources.H2_DURABLE), url);
        killedAfter(url, 1, COMMITS, COMMITS);
        JdbcStore reopened = new JdbcStore(raw(url), "reader", 60, 10);
        try {
            assertEquals(COMMITS, reopened.offerings().size(), "every commit the killed process saw return is there");
        } finally {
            reopened.close();
        }
        assertTrue(new File(dir.toFile(), "spindle.mv.db").exists());
    }

    /**
     * The same with commits from many threads at once (an operation's commit meets others': H2 may write theirs
     * together): every commit that returned before the kill is in the file.
     */
    @Test
    void everyCommitOfManyThreadsAtOnceSurvivesAKill9() throws Exception {
        int threads = 8;
        int each = 40;
        killedWhileManyCommit(threads, each, threads * each);
    }

    /**
     * The same killed in the middle, while the other threads' commits are under way (the store groups the commits of
     * an embedded database: a batch being written at the kill must not have been acknowledged to anyone).
     */
    @Test
    void everyCommitReturnedBeforeAKill9InTheMiddleOfManySurvivesIt() throws Exception {
        killedWhileManyCommit(8, 40, 150);
    }

    private void killedWhileManyCommit(int threads, int each, int killAt) throws Exception {
        String url = DataSources.url("", dir.toFile());
        String out = killedAfter(url, threads, each, killAt);
        Set<String> returned = new TreeSet<>();
        out.lines().filter(l -> l.startsWith("committed t")).forEach(l -> returned.add(l.substring("committed ".length())));
        assertEquals(killAt, returned.size(), out);
        JdbcStore reopened = new JdbcStore(raw(url), "reader", 60, 10);
        try {
            Set<String> stored = new TreeSet<>();
            reopened.offerings().forEach(o -> stored.add(o.name()));
            Set<String> lost = new TreeSet<>(returned);
            lost.removeAll(stored);
            assertEquals(Set.of(), lost, "commits that returned before the kill and are not in the file");
        } finally {
            reopened.close();
        }
    }

    private static JdbcDataSource raw(String url) {
        JdbcDataSource raw = new JdbcDataSource();
        raw.setURL(url);
        return raw;
    }

    /** Runs {@link H2Writer} with {@code threads} threads of {@code each} commits and kills it once {@code total} were reported. */
    private static String killedAfter(String url, int threads, int each, int total) throws Exception {
        Process writer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), H2Writer.class.getName(), url, Integer.toString(each), Integer.toString(threads))
                .redirectErrorStream(true).start();
        int confirmed = 0;
        StringBuilder out = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (confirmed < total && (line = r.readLine()) != null) {
                out.append(line).append('\n');
                if (line.matches("committed [0-9]+")) {
                    confirmed = Integer.parseInt(line.substring("committed ".length()));
                }
            }
            writer.destroyForcibly(); // SIGKILL, at once
        }
        assertTrue(writer.waitFor(30, TimeUnit.SECONDS));
        assertEquals(total, confirmed, out.toString());
        assertEquals(137, writer.exitValue(), "killed by SIGKILL");
        return out.toString();
    }
}
