package org.spindle.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

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
 * applied 3 s later, after the kill: the runtime never learns of it); a point on the hypervisor side blocks the test
 * hypervisor inside its call. Then lost replies at every external call, without a kill. Prints the matrix.
 */
public class CrashRecoveryIT {
    private static CrashRig rig;
    private static final List<String> MATRIX = new ArrayList<>();
    private static final List<String> ALIVE = new ArrayList<>();
    private static int seq;

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

    private static Callable<Boolean> holdSan(String... methods) {
        return Kill9.holdSan(rig.sim, methods);
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
        String state = rig.karaf.client("storage:volume-show --json " + name).exit() == 0 ? show(name).path("state").asText() : "gone";
        List<String> violations = rig.violations(ALIVE);
        MATRIX.add(String.format("%-38s | %-60s | %-10s | %s (restart %.1f s, recovered %d)", point, command, state,
                violations.isEmpty() ? "hold" : "BROKEN " + violations, seconds, report.path("recovered").size()));
        assertEquals(point + ": " + violations, List.of(), violations);
        return state;
    }

    @Test
    public void killAtEveryPointBetweenTwoExternalCalls_thenOneReconcile_convergesAndLosesNothing() throws Exception {
        String v = volume("ALLOCATED");
        String s = crash("SAN CreateVolume (create on attach)", v, "storage:volume-attach " + v + " vm1", holdSan("CreateVolume"));
        assertTrue(v + " " + s, List.of("READY", "ALLOCATED").contains(s));

        v = volume("ALLOCATED");
        assertEquals("READY", crash("SAN grant (after the create)", v, "storage:volume-attach " + v + " vm1",
                holdSan("CreateVolumeAccessGroup", "AddVolumesToVolumeAccessGroup")));

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
        assertEquals("READY", crash("SAN revoke (after the detach)", v, "storage:volume-detach " + v,
                holdSan("RemoveVolumesFromVolumeAccessGroup")));

        v = volume("ATTACHED");
        assertEquals("ATTACHED", crash("SAN ModifyVolume (resize)", v, "storage:volume-resize " + v + " 2G", holdSan("ModifyVolume")));
        assertEquals(2L << 30, show(v).path("sizeBytes").asLong());

        v = volume("ATTACHED");
        assertEquals("ATTACHED", crash("hypervisor, after its grow", v, "storage:volume-resize " + v + " 2G", holdHypervisor("pause-after-grow")));
        assertEquals(2L << 30, show(v).path("sizeBytes").asLong());

        v = volume("ATTACHED");
        assertEquals("ATTACHED", crash("SAN ModifyVolume (QoS)", v, "storage:volume-qos --max-iops 900 " + v, holdSan("ModifyVolume")));
        assertEquals(900, show(v).path("plan").path("storage").path("maxIops").asLong());

        v = volume("ATTACHED");
        assertEquals("ATTACHED", crash("hypervisor, after its limits change", v, "storage:volume-qos --read-iops 300 " + v,
                holdHypervisor("pause-after-changeLimits")));

        v = volume("READY");
        ALIVE.remove(v);
        assertEquals("DESTROYED", crash("SAN DeleteVolume", v, "storage:volume-delete " + v, holdSan("DeleteVolume")));
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
