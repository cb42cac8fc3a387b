package org.spindle.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;

import org.junit.Test;

/**
 * Boots stock Karaf and Spindle from their archives with the JVM options as shipped and checks what each one
 * is: Spindle answers {@code storage:pool-list} with its table, stock Karaf has no {@code storage} scope and no
 * Spindle bundle. On the way it measures how long {@code bin/start} takes until a command answers (stock Karaf:
 * {@code bundle:list}, Spindle: {@code storage:pool-list}); the figures go to the test output and
 * {@code target/boot-times.txt} and are not asserted (a measurement, not a behaviour). The other process tests
 * start theirs with {@link KarafProcess#TEST_JVM_OPTIONS}.
 */
public class BootTimeIT {
    private static final String POOL_HEADER = "NAME";

    @Test
    public void stockKarafAndSpindleBootAndAreWhatTheySayTheyAre() throws Exception {
        double stock;
        try (KarafProcess k = KarafProcess.unpack(Paths.get(System.getProperty("karaf.stock.tar")), Paths.get("target/boot/stock")).shippedJvm().binClient()) {
            Boot boot = boot(k, "bundle:list -t 0 -s", "Active");
            stock = boot.seconds();
            KarafProcess.Result pools = k.client("storage:pool-list");
            assertNotEquals("stock Karaf has no storage:pool-list: " + pools.output(), 0, pools.exit());
            assertTrue("stock Karaf says the command is unknown: " + pools.output(), pools.output().contains("not found"));
            String bundles = boot.answer().output();
            assertTrue("stock Karaf lists its own bundles: " + bundles, bundles.contains("org.apache.karaf.shell.core"));
            assertFalse("no Spindle bundle in stock Karaf: " + bundles, bundles.contains("org.spindle"));
        }
        double spindle;
        try (KarafProcess k = KarafProcess.unpack(Paths.get(System.getProperty("spindle.distribution.tar")), Paths.get("target/boot/spindle")).shippedJvm().binClient()) {
            spindle = boot(k, "storage:pool-list --json", "[").seconds();
            KarafProcess.Result table = k.client("storage:pool-list", "bundle:list -t 0 -s");
            assertEquals("storage:pool-list answers: " + table.output(), 0, table.exit());
            for (String column : new String[] {POOL_HEADER, "ZONE", "PROTOCOL", "AVAILABLE"}) {
                assertTrue("the pool table has column " + column + ": " + table.output(), table.output().contains(column));
            }
            assertTrue("the Spindle core runs: " + table.output(), table.output().contains("org.spindle.storage.core"));
        }
        String line = String.format("bin/start to first answer: stock Karaf %s %.1f s (bundle:list), Spindle %.1f s (storage:pool-list)%n",
                System.getProperty("karaf.version"), stock, spindle);
        System.out.print(line);
        Files.writeString(Paths.get("target/boot-times.txt"), line);
    }

    private record Boot(double seconds, KarafProcess.Result answer) {
    }

    /** Starts {@code k} and waits until {@code command} prints {@code expect}: the seconds it took and that answer. */
    private static Boot boot(KarafProcess k, String command, String expect) throws Exception {
        long t0 = System.nanoTime();
        k.start();
        KarafProcess.Result answer = k.awaitClient(Duration.ofSeconds(120), r -> r.exit() == 0 && r.output().contains(expect), command);
        return new Boot((System.nanoTime() - t0) / 1e9, answer);
    }
}
