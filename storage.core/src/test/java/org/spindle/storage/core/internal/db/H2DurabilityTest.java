package org.spindle.storage.core.internal.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spindle.storage.api.qos.QosSpec;
import org.spindle.storage.api.volume.Offering;

/**
 * The embedded database keeps what it committed across a {@code kill -9}: a separate JVM commits offerings one at
 * a time and is killed (SIGKILL) the moment it reports the last commit; the store reopened afterwards has every
 * one of them. With H2's default (commits written up to 500 ms later) the last ones are lost. The same holds across an
 * upgrade of H2: a file the previous release's H2 wrote, and was killed on, opens with this one.
 */
class H2DurabilityTest {
    private static final int COMMITS = 5;

    @TempDir
    Path dir;

    @Test
    void everyCommitReturnedSurvivesAKill9RightAfterIt() throws Exception {
        String url = DataSources.url("", dir.toFile());
        assertTrue(url.endsWith(";" + DataSources.H2_DURABLE), url);
        killedAfterCommits(url, System.getProperty("java.class.path"));
        JdbcStore reopened = new JdbcStore(raw(url), "reader", 60, 10);
        try {
            assertEquals(COMMITS, reopened.offerings().size(), "every commit the killed process saw return is there");
        } finally {
            reopened.close();
        }
        assertTrue(new File(dir.toFile(), "spindle.mv.db").exists());
    }

    /**
     * The previous release's H2 (the jar Maven copies for this test, {@code h2.previous.version}) creates the schema,
     * commits and is killed; this H2 opens the file, finds every commit and the schema's history, and writes on.
     */
    @Test
    void aFileThePreviousReleasesH2WroteAndWasKilledOnOpensWithThisOne() throws Exception {
        String previous = System.getProperty("spindle.h2.previous");
        assertTrue(previous != null && new File(previous).isFile(), "the previous release's H2 jar (spindle.h2.previous): " + previous);
        String current = org.h2.Driver.class.getProtectionDomain().getCodeSource().getLocation().getPath();
        String classPath = System.getProperty("java.class.path");
        assertTrue(classPath.contains(current), "this H2 is on the class path: " + current);
        String url = DataSources.url("", dir.toFile());
        String written = killedAfterCommits(url, classPath.replace(current, previous));
        assertTrue(written.contains(new File(previous).getName().replace("h2-", "").replace(".jar", "")),
                "the writer ran on the previous H2: " + written);

        JdbcStore reopened = new JdbcStore(raw(url), "upgraded", 60, 10);
        try {
            assertEquals(COMMITS, reopened.offerings().size(), "every commit the previous H2 returned is there");
            reopened.insertOffering(new Offering("after-upgrade", "", List.of("t"), QosSpec.NONE, false));
            assertEquals(COMMITS + 1, reopened.offerings().size());
        } finally {
            reopened.close();
        }
        try (Connection c = raw(url).getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT H2VERSION(), (SELECT COUNT(*) FROM \"spindle_schema_history\" WHERE \"success\" = FALSE)")) {
            assertTrue(rs.next());
            assertEquals(org.h2.engine.Constants.VERSION, rs.getString(1), "reopened by this H2");
            assertEquals(0, rs.getInt(2), "no failed migration in the schema's history");
        }
    }

    private static JdbcDataSource raw(String url) {
        JdbcDataSource raw = new JdbcDataSource();
        raw.setURL(url);
        return raw;
    }

    /** Runs {@link H2Writer} on {@code classPath} and kills it once it reported every commit; returns what it printed. */
    private static String killedAfterCommits(String url, String classPath) throws Exception {
        Process writer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                classPath, H2Writer.class.getName(), url, Integer.toString(COMMITS))
                .redirectErrorStream(true).start();
        int confirmed = 0;
        StringBuilder out = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (confirmed < COMMITS && (line = r.readLine()) != null) {
                out.append(line).append('\n');
                if (line.startsWith("committed ")) {
                    confirmed = Integer.parseInt(line.substring("committed ".length()));
                }
            }
            writer.destroyForcibly(); // SIGKILL, at once
        }
        assertTrue(writer.waitFor(30, TimeUnit.SECONDS));
        assertEquals(COMMITS, confirmed, out.toString());
        assertEquals(137, writer.exitValue(), "killed by SIGKILL");
        return out.toString();
    }
}
