package org.spindle.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * A real {@code kill -9} of the runtime at every point between two external calls of create-on-attach, attach,
 * detach, resize, QoS change and delete, against the SolidFire simulator on tgt and a test hypervisor that keeps
 * its disks across the kill; then a start and one reconciliation pass ({@code storage:reconcile}), after which the
 * checker ({@link CrashRig#violations}) must find nothing: every SAN volume belongs to exactly one live volume,
 * every disk matches a volume ATTACHED to its VM, nothing is granted that is not attached, no operation is left in
 * flight, nothing a user created is lost. A point on the SAN side holds the Element call in the simulator (it is
 * applied after the kill, 3 s after it arrived, or 25 s when one kill cuts several: the runtime never learns of it); a
 * point on the hypervisor side blocks the test hypervisor inside its call. The test hypervisor blocks one call at a time (under its file lock), so each of its
 * points has a kill of its own; the SAN points that share no held resource are cut by one kill, one volume each (the
 * grant and the revoke lock the same host group in the driver, so the revoke has its own). Then lost replies at every
 * external call, without a kill. Prints the matrix, a line a point.
 */
public class CrashRecoveryIT {
    private static CrashRig rig;
    private static final List<String> MATRIX = new ArrayList<>();
    private static final List<String> ALIVE = new ArrayList<>();
    private static int seq;
    /**
     * How long the simulator holds a call when one kill cuts several SAN points: long enough for every command to
     * reach its call before the first lands, shorter than the driver's request timeout (30 s), which would retry.
     */
    private static final long SAN_HOLD_MILLIS = 25_000;

    @BeforeClass
    public static void start() throws Exception {
        rig = CrashRig.start("crash");
        rig.karaf.ok("storage:offering-create --tags crash --min-iops 100 --max-iops 1000 --burst-iops 1500 --read-iops 400 --custom-iops gold");
    }

    @AfterClass
    public static void stop() throws Exception {
        System.out.println("crash matrix (point | operation | state after restart + reconcile | invariants):");
        MATRIX.forEach(l -> System.out.println("    " + l));
        if (rig != null) {
            rig.close();
        }
    }

    /** A new volume in {@code state} (ALLOCATED, READY or ATTACHED to vm1). */
    private static String volume(String state) throws Exception {
        String name = "c" + (++seq);
        rig.karaf.ok("storage:volume-create --offering gold --size 1G " + name);
        if (!state.equals("ALLOCATED")) {
            rig.karaf.ok("storage:volume-attach " + name + " vm1");
            if (state.equals("READY")) {
                rig.karaf.ok("storage:volume-detach " + name);
            }
        }
        ALIVE.add(name);
        return name;
    }

    private static JsonNode show(String name) throws Exception {
        return rig.karaf.json("storage:volume-show --json " + name);
    }

    /** The volume's state, DESTROYED included (the list shows live volumes only), or {@code gone}. */
    private static String stateOf(String name) throws Exception {
        return rig.karaf.client("storage:volume-show --json " + name).exit() == 0 ? show(name).path("state").asText() : "gone";
    }

    /** The test hypervisor blocks at {@code point} (e.g. pause-after-attach). */
    private static Callable<Boolean> holdHypervisor(String point) throws Exception {
        rig.arm(point);
        return () -> point.equals(rig.paused());
    }

    /**
     * Runs {@code command} in a client, kills the runtime with SIGKILL once {@code reached}, starts it again, runs one
     * reconciliation pass, and checks the invariants; returns the volume's state then.
     */
    private static String crash(String point, String name, String command, Callable<Boolean> reached) throws Exception {
        Kill9.during(rig.karaf, point, command, reached);
        rig.disarm();
        Thread.sleep(Kill9.HOLD_MILLIS + 500); // the held SAN call lands now, with nobody waiting for its reply
        double seconds = rig.startAndAwait();
        JsonNode report = rig.karaf.json("storage:reconcile --json");
        String state = stateOf(name);
        List<String> violations = rig.violations(ALIVE);
        MATRIX.add(String.format("%-38s | %-60s | %-10s | %s (restart %.1f s, recovered %d)", point, command, state,
                violations.isEmpty() ? "hold" : "BROKEN " + violations, seconds, report.path("recovered").size()));
        assertEquals(point + ": " + violations, List.of(), violations);
        return state;
    }

    /** A point on the SAN side: {@code command} on {@code volume} cut while the simulator holds its call of {@code methods}. */
    private record SanPoint(String point, String volume, String command, List<String> methods, List<String> expected) {
        static SanPoint of(String point, String volume, String command, List<String> expected, String... methods) {
            return new SanPoint(point, volume, command, List.of(methods), expected);
        }
    }

    /**
     * One kill for several SAN points. The points of a wave start together, each command in a client of its own, once
     * the wave before holds its calls; a wave's methods are held from then on, so a command that calls a method an
     * earlier wave holds comes in a later wave only after it passed that call (a create on attach after another
     * attach's grant). The runtime is killed once every call is held; the held calls land, with nobody waiting; a
     * start, one pass and the checker follow; then each volume's state. Each point gets its line in the matrix. Fails,
     * rather than test less, when the kill could not come before the first held call landed.
     */
    private static void crashAtSan(List<List<SanPoint>> waves) throws Exception {
        List<CompletableFuture<KarafProcess.Result>> clients = new ArrayList<>();
        long armed = System.nanoTime();
        long lastHeld = 0;
        for (List<SanPoint> wave : waves) {
            Map<List<String>, Long> target = new LinkedHashMap<>();
            for (SanPoint p : wave) {
                target.merge(p.methods(), 1L, Long::sum);
            }
            for (Map.Entry<List<String>, Long> t : target.entrySet()) {
                String[] methods = t.getKey().toArray(String[]::new);
                t.setValue(t.getValue() + Kill9.calls(rig.sim, methods));
                Kill9.holdSan(rig.sim, SAN_HOLD_MILLIS, methods);
            }
            List<CompletableFuture<KarafProcess.Result>> started = new ArrayList<>();
            for (SanPoint p : wave) {
                started.add(Kill9.client(rig.karaf, p.command()));
            }
            clients.addAll(started);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!target.entrySet().stream().allMatch(t -> Kill9.calls(rig.sim, t.getKey().toArray(String[]::new)) >= t.getValue())) {
                if (System.nanoTime() > deadline || started.stream().anyMatch(CompletableFuture::isDone)) {
                    fail(wave.stream().map(SanPoint::point).toList() + ": never all reached; calls now " + rig.sim.faults().calls()
                            + ", the clients said: " + started.stream().map(c -> c.getNow(null)).toList());
                }
                Thread.sleep(10);
            }
            lastHeld = System.nanoTime();
        }
        rig.karaf.kill9();
        long cut = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - armed);
        if (cut >= SAN_HOLD_MILLIS) {
            fail(waves + ": killed " + cut + " ms after the first hold was armed; a held call may have landed before the kill");
        }
        for (CompletableFuture<KarafProcess.Result> c : clients) {
            c.get(90, TimeUnit.SECONDS);
        }
        rig.disarm();
        // the held calls land now, with nobody waiting for their replies
        Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(lastHeld - System.nanoTime()) + SAN_HOLD_MILLIS + 500));
        double seconds = rig.startAndAwait();
        JsonNode report = rig.karaf.json("storage:reconcile --json");
        List<String> violations = rig.violations(ALIVE);
        List<String> wrong = new ArrayList<>();
        int points = waves.stream().mapToInt(List::size).sum();
        for (List<SanPoint> wave : waves) {
            for (SanPoint p : wave) {
                String state = stateOf(p.volume());
                boolean right = p.expected().contains(state);
                MATRIX.add(String.format("%-38s | %-60s | %-10s | %s (one kill for %d points %.1f s after the first hold, restart %.1f s, "
                        + "recovered %d)", p.point(), p.command(), state, (violations.isEmpty() ? "hold" : "BROKEN " + violations)
                                + (right ? "" : ", WRONG: expected " + String.join(" or ", p.expected())),
                        points, cut / 1e3, seconds, report.path("recovered").size()));
                if (!right) {
                    wrong.add(p.point() + ": " + p.volume() + " is " + state + ", expected " + p.expected());
                }
            }
        }
        assertEquals(waves.toString(), List.of(), violations);
        assertEquals(List.of(), wrong);
    }

    @Test
    public void killAtEveryPointBetweenTwoExternalCalls_thenOneReconcile_convergesAndLosesNothing() throws Exception {
        // the SAN points: one kill for all but the revoke
        String created = volume("ALLOCATED");
        String granted = volume("ALLOCATED");
        String resized = volume("ATTACHED");
        String qos = volume("ATTACHED");
        String deleted = volume("READY");
        ALIVE.remove(deleted);
        crashAtSan(List.of(
                List.of(SanPoint.of("SAN grant (after the create)", granted, "storage:volume-attach " + granted + " vm1", List.of("READY"),
                                "CreateVolumeAccessGroup", "AddVolumesToVolumeAccessGroup"),
                        SanPoint.of("SAN ModifyVolume (resize)", resized, "storage:volume-resize " + resized + " 2G", List.of("ATTACHED"),
                                "ModifyVolume"),
                        SanPoint.of("SAN ModifyVolume (QoS)", qos, "storage:volume-qos --max-iops 900 " + qos, List.of("ATTACHED"),
                                "ModifyVolume"),
                        SanPoint.of("SAN DeleteVolume", deleted, "storage:volume-delete " + deleted, List.of("DESTROYED"), "DeleteVolume")),
                List.of(SanPoint.of("SAN CreateVolume (create on attach)", created, "storage:volume-attach " + created + " vm1",
                        List.of("READY", "ALLOCATED"), "CreateVolume"))));
        assertEquals(2L << 30, show(resized).path("sizeBytes").asLong());
        assertEquals(900, show(qos).path("plan").path("storage").path("maxIops").asLong());

        String v = volume("ATTACHED");
        assertEquals("READY", crash("SAN revoke (after the detach)", v, "storage:volume-detach " + v,
                Kill9.holdSan(rig.sim, "RemoveVolumesFromVolumeAccessGroup")));

        // the hypervisor points: it blocks one call at a time, a kill each
        v = volume("ALLOCATED");
        assertEquals("READY", crash("hypervisor, before its attach", v, "storage:volume-attach " + v + " vm1",
                holdHypervisor("pause-before-attach")));

        v = volume("ALLOCATED");
        assertEquals("ATTACHED", crash("hypervisor, after its attach", v, "storage:volume-attach " + v + " vm1",
                holdHypervisor("pause-after-attach")));
        assertEquals("no second attach of a volume found attached", 1, rig.karaf.client("storage:volume-attach " + v + " vm2").exit());

        v = volume("ATTACHED");
        assertEquals("READY", crash("hypervisor, after its detach", v, "storage:volume-detach " + v, holdHypervisor("pause-after-detach")));

        v = volume("ATTACHED");
        assertEquals("ATTACHED", crash("hypervisor, after its grow", v, "storage:volume-resize " + v + " 2G", holdHypervisor("pause-after-grow")));
        assertEquals(2L << 30, show(v).path("sizeBytes").asLong());

        v = volume("ATTACHED");
        assertEquals("ATTACHED", crash("hypervisor, after its limits change", v, "storage:volume-qos --read-iops 300 " + v,
                holdHypervisor("pause-after-changeLimits")));
    }

    @Test
    public void aLostReplyAtEveryExternalCall_isFoundOutAndConverges() throws Exception {
        String v = volume("ALLOCATED");
        rig.sim.faults().dropResponse("CreateVolume", 1);
        // the driver may find the volume itself after the lost reply; else the user attaches again
        if (rig.karaf.client("storage:volume-attach " + v + " vm1").exit() != 0) {
            rig.karaf.ok("storage:volume-attach " + v + " vm1");
        }
        lost("SAN CreateVolume reply lost; attach again", v, "ATTACHED");

        v = volume("ALLOCATED");
        rig.arm("lose-attach");
        rig.karaf.fails("storage:volume-attach " + v + " vm1");
        lost("hypervisor attach reply lost (disk made)", v, "READY");

        v = volume("ATTACHED");
        rig.arm("lose-detach");
        rig.karaf.client("storage:volume-detach " + v);
        rig.karaf.client("storage:volume-detach " + v);
        lost("hypervisor detach reply lost; detach again", v, "READY");

        v = volume("READY");
        rig.sim.faults().dropResponse("DeleteVolume", 1);
        rig.karaf.client("storage:volume-delete " + v);
        ALIVE.remove(v);
        if (rig.karaf.client("storage:volume-show --json " + v).exit() == 0 && !"DESTROYED".equals(show(v).path("state").asText())) {
            rig.karaf.ok("storage:volume-delete " + v);
        }
        lost("SAN DeleteVolume reply lost", v, "DESTROYED");
    }

    private static void lost(String point, String name, String expected) throws Exception {
        rig.disarm();
        JsonNode report = rig.karaf.json("storage:reconcile --json");
        String state = show(name).path("state").asText();
        List<String> violations = rig.violations(ALIVE);
        MATRIX.add(String.format("%-38s | %-60s | %-10s | %s (orphans %d)", point, "-", state,
                violations.isEmpty() ? "hold" : "BROKEN " + violations, report.path("orphans").size()));
        assertEquals(point + ": " + violations, List.of(), violations);
        assertEquals(point, expected, state);
    }
}
