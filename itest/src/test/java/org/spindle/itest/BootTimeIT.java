package org.spindle.itest;

import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;

import org.junit.Test;

/**
 * Measures, in one run on one machine, how long {@code bin/start} takes until a command answers: stock Karaf
 * (any command: {@code bundle:list}) and Spindle ({@code storage:pool-list}). It asserts only that both come up;
 * the figures go to the test output and {@code target/boot-times.txt}. Both run with the JVM options as shipped (the
 * other process tests start theirs with {@link KarafProcess#TEST_JVM_OPTIONS}).
 */
public class BootTimeIT {
    @Test
    public void stockKarafAndSpindleBootTimes() throws Exception {
        double stock = boot(System.getProperty("karaf.stock.tar"), "target/boot/stock", "bundle:list -t 0", "Active");
        double spindle = boot(System.getProperty("spindle.distribution.tar"), "target/boot/spindle", "storage:pool-list --json", "[");
        String line = String.format("bin/start to first answer: stock Karaf %s %.1f s (bundle:list), Spindle %.1f s (storage:pool-list)%n",
                System.getProperty("karaf.version"), stock, spindle);
        System.out.print(line);
        Files.writeString(Paths.get("target/boot-times.txt"), line);
    }

    private static double boot(String tar, String dir, String command, String expect) throws Exception {
        try (KarafProcess k = KarafProcess.unpack(Paths.get(tar), Paths.get(dir)).shippedJvm()) {
            long t0 = System.nanoTime();
            k.start();
            k.awaitClient(Duration.ofSeconds(120), r -> r.exit() == 0 && r.output().contains(expect), command);
            return (System.nanoTime() - t0) / 1e9;
        }
    }
}
