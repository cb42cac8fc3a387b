package org.spindle.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.After;
import org.junit.Test;
import org.spindle.test.support.TestPostgres;

/**
 * Two distributions on one PostgreSQL, each with its own node id, sharing the SolidFire simulator on tgt and the
 * test hypervisor: both run conflicting operations on the same volumes at once, for at least 48
 * operations and until the chaos is over, while one node is killed with SIGKILL and restarted (twice, one each) and PostgreSQL is restarted in
 * the middle. Then both reconcile (after the 10 s lease of the killed node's operations has passed) and the checker
 * reads the SAN, the hypervisor and the database: no violation. Prints operations done, kills and violations.
 */
public class TwoNodesIT {
    private static final int OPERATIONS = 48;
    private static final long SEED = Long.getLong("spindle.itest.seed", System.nanoTime());

    private CrashRig rig;
    private KarafProcess b;

    @After
    public void stop() throws Exception {
        if (b != null) {
            b.close();
        }
        if (rig != null) {
            rig.close();
        }
    }

    private static String database(String schema, String node) {
        return "url = " + TestPostgres.url() + "?currentSchema=" + schema + "\nuser = " + TestPostgres.USER + "\n.password = " + Peers.postgresPassword() + "\n"
                + "node.id = " + node + "\nlease.seconds = 10\n";
    }

    @Test
    public void conflictingOperationsFromTwoNodes_withKillsAndAPostgresRestart_breakNothing() throws Exception {
        Peers.requirePostgres();
        String schema = "two" + Long.toHexString(System.nanoTime());
        Peers.psql("CREATE SCHEMA " + schema);
        rig = CrashRig.start("two-nodes", database(schema, "node-a"));
        b = rig.node(Path.of("target/two-nodes/spindle-b").toAbsolutePath(), database(schema, "node-b"));
        CrashRig.startAndAwait(b);
        KarafProcess a = rig.karaf;
        a.ok("storage:offering-create --tags crash --min-iops 100 --max-iops 1000 --burst-iops 1500 --read-iops 400 --custom-iops gold");

        Set<String> created = Collections.synchronizedSet(new HashSet<>());
        Set<String> deleteTried = Collections.synchronizedSet(new HashSet<>());
        for (int i = 0; i < 6; i++) {
            a.ok("storage:volume-create --offering gold --size 1G t" + i);
            created.add("t" + i);
        }
        Random random = new Random(SEED);
        AtomicInteger done = new AtomicInteger();
        AtomicInteger attempted = new AtomicInteger();
        AtomicInteger kills = new AtomicInteger();
        // the operations go on until the chaos is over, and the chaos waits for operations done, not attempted (a node
        // that is starting refuses them in milliseconds): every kill and the PostgreSQL restart land among operations
        AtomicBoolean chaosOver = new AtomicBoolean();
        ExecutorService drivers = Executors.newFixedThreadPool(2);
        List<Future<?>> both = new ArrayList<>();
        for (KarafProcess node : List.of(a, b)) {
            long seed = random.nextLong();
            both.add(drivers.submit(() -> {
                Random r = new Random(seed);
                while (attempted.get() < OPERATIONS || !chaosOver.get()) {
                    if (!node.running()) {
                        Thread.sleep(200); // killed: its operations wait for the restart, they are not spent
                        continue;
                    }
                    int n = attempted.incrementAndGet();
                    String v = "t" + r.nextInt(6);
                    String command = switch (r.nextInt(6)) {
                        case 0, 1 -> "storage:volume-attach " + v + " vm" + (1 + r.nextInt(2));
                        case 2 -> "storage:volume-detach " + v;
                        case 3 -> "storage:volume-qos --max-iops " + (500 + 50 * r.nextInt(10)) + " " + v;
                        case 4 -> "storage:volume-resize " + v + " " + (2 + n) + "G";
                        default -> "storage:volume-list";
                    };
                    if (node.client(command).exit() == 0) {
                        done.incrementAndGet();
                    } else {
                        Thread.sleep(200); // refused (a conflict, or the node still starting): no spin of attempts
                    }
                }
                return null;
            }));
        }
        // the chaos, in the middle of the operations
        try {
            awaitDone(done, OPERATIONS / 6);
            b.kill9();
            kills.incrementAndGet();
            CrashRig.startAndAwait(b);
            awaitDone(done, OPERATIONS / 3);
            Peers.restartPostgres();
            awaitDone(done, OPERATIONS / 2);
            a.kill9();
            kills.incrementAndGet();
            CrashRig.startAndAwait(a);
        } finally {
            chaosOver.set(true);
        }
        for (Future<?> f : both) {
            f.get(10, TimeUnit.MINUTES);
        }
        drivers.shutdown();

        // a deletes and a create from the other node, on volumes the runs may hold
        b.client("storage:volume-detach t5");
        deleteTried.add("t5");
        b.client("storage:volume-delete t5");
        a.ok("storage:volume-create --offering gold --size 1G t6");
        created.add("t6");

        Thread.sleep(11_000); // the killed node's leases pass
        a.json("storage:reconcile --json");
        b.json("storage:reconcile --json");
        List<String> alive = new ArrayList<>(created);
        alive.removeAll(deleteTried);
        List<String> violations = rig.violations(alive);
        System.out.printf("two nodes on one PostgreSQL (seed %d): %d operations attempted, %d done, %d kills, 1 PostgreSQL restart, "
                + "%d violations %s%n", SEED, attempted.get(), done.get(), kills.get(), violations.size(), violations);
        assertEquals("seed " + SEED + ": " + violations, List.of(), violations);
        assertTrue("operations were done through both nodes: " + done.get(), done.get() > OPERATIONS / 4);
    }

    private static void awaitDone(AtomicInteger done, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (done.get() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + done.get() + " operations done in 5 minutes, waiting for " + n);
            }
            Thread.sleep(100);
        }
    }
}
