package org.spindle.test.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class CommandsTest {
    @Test
    void theExitAndBothStreamsTogether() {
        Commands.Result r = Commands.run("sh", "-c", "echo out; echo err >&2; exit 3");
        assertEquals(3, r.exit());
        assertTrue(r.out().contains("out\n") && r.out().contains("err\n"), r.out());
        assertFalse(r.succeeded());
        IllegalStateException e = assertThrows(IllegalStateException.class, r::ok);
        assertTrue(e.getMessage().startsWith("exit 3: "), e.getMessage());
    }

    @Test
    void anOutputLargerThanAPipeDoesNotBlockTheCommand() {
        // 1 MiB: a command writing into a pipe nobody reads stops at 64 KiB and would run into the limit
        Commands.Result r = Commands.run(Duration.ofSeconds(20), StandardCharsets.UTF_8, Map.of(),
                List.of("sh", "-c", "head -c 1048576 /dev/zero | tr '\\0' x"));
        assertEquals(0, r.exit(), r.out().length() > 200 ? r.out().substring(0, 200) : r.out());
        assertEquals(1 << 20, r.out().length());
    }

    @Test
    void aCommandThatHangsIsCutAtTheLimit() {
        long t0 = System.nanoTime();
        Commands.Result r = Commands.run(Duration.ofMillis(300), StandardCharsets.UTF_8, Map.of(), List.of("sh", "-c", "sleep 30 # s3cret"));
        assertEquals(-1, r.exit());
        assertEquals("timed out after PT0.3S: sh", r.out(), "the program named, its arguments (a secret, maybe) not");
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(20).toNanos(), "cut long before the command's end");
    }

    @Test
    void theEnvironmentGivenIsAddedAndNoInputIsGiven() {
        Commands.Result r = Commands.run(Commands.LIMIT, StandardCharsets.UTF_8, Map.of("SPINDLE_TEST_VALUE", "v1"),
                List.of("sh", "-c", "echo $SPINDLE_TEST_VALUE; cat; echo end"));
        assertEquals("v1\nend\n", r.out());
    }

    @Test
    void aCommandThatCannotStartIsExitMinusOneWithTheReason() {
        Commands.Result r = Commands.run("/nonexistent/spindle-tool");
        assertEquals(-1, r.exit());
        assertTrue(r.out().contains("/nonexistent/spindle-tool"), r.out());
        assertTrue(Commands.installed("sh"));
        assertFalse(Commands.installed("spindle-no-such-tool"));
    }
}
