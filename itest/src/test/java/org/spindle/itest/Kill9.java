package org.spindle.itest;

import static org.junit.Assert.fail;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.spindle.solidfire.simulator.ElementSimulator;

/** The crash tests' shared moves: hold a SAN call, kill the runtime at a point of a command, start it again. */
final class Kill9 {
    /** How long the simulator holds a call before applying it: the kill lands inside, the call after it. */
    static final long HOLD_MILLIS = 3000;

    private Kill9() {
    }

    /** The simulator holds {@code methods} for {@link #HOLD_MILLIS} before applying them; reached once one is called. */
    static Callable<Boolean> holdSan(ElementSimulator sim, String... methods) {
        long before = calls(sim, methods);
        holdSan(sim, HOLD_MILLIS, methods);
        return () -> calls(sim, methods) > before;
    }

    /** The simulator holds every call of {@code methods} that comes from now on for {@code millis} before applying it. */
    static void holdSan(ElementSimulator sim, long millis, String... methods) {
        for (String m : methods) {
            sim.faults().latency(m, millis);
        }
    }

    /** How many calls of {@code methods} the simulator has had. */
    static long calls(ElementSimulator sim, String... methods) {
        long n = 0;
        for (String m : methods) {
            n += sim.faults().calls(m);
        }
        return n;
    }

    /** Runs {@code command} in a client and kills the runtime with SIGKILL once {@code reached}; waits for the client to end. */
    static void during(KarafProcess karaf, String point, String command, Callable<Boolean> reached) throws Exception {
        CompletableFuture<KarafProcess.Result> client = client(karaf, command);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!reached.call()) {
            if (System.nanoTime() > deadline) {
                fail(point + ": never reached; the client said: " + client.getNow(null));
            }
            Thread.sleep(10);
        }
        karaf.kill9();
        client.get(90, TimeUnit.SECONDS);
    }

    /** {@code command} in a client of its own, started now; its end is the future's. */
    static CompletableFuture<KarafProcess.Result> client(KarafProcess karaf, String command) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return karaf.client(command);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** bin/start, then waits until {@code pool} is available and {@code host} bound; returns the seconds it took. */
    static double startAndAwait(KarafProcess k, String pool, String host) throws Exception {
        long t0 = System.nanoTime();
        k.start();
        k.awaitClient(CrashRig.READY, r -> r.exit() == 0 && r.output().contains("\"" + pool + "\"") && r.output().contains("\"available\" : true")
                && r.output().contains("\"" + host + "\"") && r.output().contains("BOUND"), "storage:pool-list --json", "storage:hypervisor-list --json");
        return (System.nanoTime() - t0) / 1e9;
    }
}
