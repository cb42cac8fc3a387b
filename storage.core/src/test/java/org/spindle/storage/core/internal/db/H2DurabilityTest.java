package org.spindle.storage.core.internal.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded database keeps what it committed across a {@code kill -9}: a separate JVM commits offerings one at
 * a time and is killed (SIGKILL) the moment it reports the last commit; the store reopened afterwards has every
 * one of them. With H2's default (commits written up to 500 ms later) the last ones are lost.
 */
class H2DurabilityTest {
    private static final int COMMITS = 5;

    @TempDir
    Path dir;

    @Test
    void everyCommitReturnedSurvivesAKill9RightAfterIt() throws Exception {
        String url = DataSources.url("", dir.toFile());
        assertTrue(url.endsWith(";" + DataSources.H2_DURABLE), url);
        Process writer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), H2Writer.class.getName(), url, Integer.toString(COMMITS))
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

        JdbcDataSource raw = new JdbcDataSource();
        raw.setURL(url);
        JdbcStore reopened = new JdbcStore(raw, "reader", 60, 10);
        try {
            assertEquals(COMMITS, reopened.offerings().size(), "every commit the killed process saw return is there");
        } finally {
            reopened.close();
        }
        assertTrue(new File(dir.toFile(), "spindle.mv.db").exists());
    }
}
