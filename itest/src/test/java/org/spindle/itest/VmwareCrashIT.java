package org.spindle.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import java.time.Duration;
import java.util.ArrayList;
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
 * {@link CrashRecoveryIT}'s {@code kill -9} on the vSphere attach service: the SolidFire simulator on tgt and
 * spindle-vcsim, a cluster of three hosts whose iSCSI adapters log in to the real LUNs ({@link VmwareCrashRig}).
 * At each point between two vCenter calls of attach (create-on-attach) and detach, vCenter holds the call — after it
 * acted (its effect is there, the runtime never hears of it), or before, letting it act only after the kill — and the
 * runtime is killed with SIGKILL, the call released, the runtime started again, and one reconciliation pass
 * ({@code storage:reconcile}) run; then the checker ({@link VmwareCrashRig#violations}), which reads the SAN, vCenter
 * and the database, must find nothing, and each volume must attach again. To restart less, one kill interrupts two
 * operations on two volumes at once (an attach of A and a detach or attach of B, each held at its own point). Then
 * replies lost at vCenter calls, without a kill. Prints the matrix (point | state | invariants).
 */
public class VmwareCrashIT {
    private static final String VM = VmwareCrashRig.VM;
    private static VmwareCrashRig rig;
    private static final List<String> MATRIX = new ArrayList<>();
    private static final List<String> ALIVE = new ArrayList<>();
    private static long started;

    @BeforeClass
    public static void start() throws Exception {
        started = System.nanoTime();
        rig = VmwareCrashRig.start("vmware-crash");
        rig.karaf.ok("storage:offering-create --tags vmwc --min-iops 100 --max-iops 1000 --burst-iops 1500 --read-iops 400 "
                + "--write-iops 200 vmwcgold");
    }

    @AfterClass
    public static void stop() throws Exception {
        System.out.printf("VMware crash matrix (point | operation | state after restart + reconcile | invariants), %.0f s in all:%n",
                (System.nanoTime() - started) / 1e9);
        MATRIX.forEach(l -> System.out.println("    " + l));
        if (rig != null) {
            rig.close();
        }
    }

    /** One operation cut by the kill: where it is held, its command, the state its volume must reach. */
    private record Cut(String point, String volume, String command, String method, String phase, int skip, String expected) {
        static Cut attach(String point, String volume, String vm, String method, String phase, int skip, String expected) {
            return new Cut(point, volume, "storage:volume-attach " + volume + " " + vm, method, phase, skip, expected);
        }

        static Cut detach(String point, String volume, String method, int skip) {
            return new Cut(point, volume, "storage:volume-detach " + volume, method, "after", skip, "READY");
        }
    }

    /**
     * Starts each cut's command in a client, one after the other, each once the one before is held at its point; kills
     * the runtime with SIGKILL once all are held; releases the held calls (those held before acting act now, with nobody
     * waiting); starts the runtime, runs one pass and checks; asserts each volume's state.
     */
    private static void crash(Cut... cuts) throws Exception {
        List<CompletableFuture<KarafProcess.Result>> clients = new ArrayList<>();
        for (Cut c : cuts) {
            Callable<Boolean> held = rig.hold(c.method(), c.phase(), c.skip());
            CompletableFuture<KarafProcess.Result> client = Kill9.client(rig.karaf, c.command());
            clients.add(client);
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (!held.call()) {
                if (System.nanoTime() > deadline || client.isDone()) {
                    fail(c.point() + ": never reached; the client said: " + client.getNow(null) + "; vCenter: " + rig.faults());
                }
                Thread.sleep(10);
            }
        }
        rig.karaf.kill9();
        for (CompletableFuture<KarafProcess.Result> client : clients) {
            client.get(90, TimeUnit.SECONDS);
        }
        rig.release(false);
        double seconds = rig.startAndAwait();
        List<JsonNode> answers = KarafProcess.jsons(rig.karaf.ok("storage:reconcile --json", "storage:volume-list --json"));
        Map<String, JsonNode> rows = SanInvariants.byId(answers.get(1));
        List<String> violations = rig.violations(rows, ALIVE);
        List<String> wrong = new ArrayList<>();
        for (Cut c : cuts) {
            String state = stateOf(rows, c.volume());
            boolean right = c.expected().equals(state);
            MATRIX.add(String.format("%-46s | %-9s | %-8s | %s (restart %.1f s, recovered %d)", c.point(),
                    c.command().replaceFirst("storage:volume-(\\w+) (\\w+).*", "$1 $2"), state,
                    (violations.isEmpty() ? "hold" : "BROKEN " + violations) + (right ? "" : ", WRONG: expected " + c.expected()),
                    seconds, answers.get(0).path("recovered").size()));
            if (!right) {
                wrong.add(c.point() + ": " + c.volume() + " is " + state + ", expected " + c.expected());
            }
        }
        assertEquals(List.of(cuts).toString(), List.of(), violations);
        assertEquals(List.of(), wrong);
    }

    private static String stateOf(Map<String, JsonNode> rows, String name) {
        return rows.values().stream().filter(r -> r.path("name").asText().equals(name)).map(r -> r.path("state").asText())
                .findFirst().orElse("gone");
    }

    /** The volume attaches again after a recovery, and the checker agrees. */
    private static void attachAgain(String v) throws Exception {
        rig.karaf.ok("storage:volume-attach " + v + " " + VM);
        assertEquals(v + " attached again: ", List.of(), rig.violations(ALIVE));
    }

    @Test
    public void killAtEveryPointBetweenTwoVcenterCalls_thenOneReconcile_converges() throws Exception {
        String a = "vca";
        String b = "vcb";
        rig.karaf.ok("storage:volume-create --offering vmwcgold --size 1G " + a, "storage:volume-create --offering vmwcgold --size 1G " + b,
                "storage:volume-attach " + b + " " + VM);
        ALIVE.addAll(List.of(a, b));
        // a is created on its first attach; its VMFS datastore is made on the first attach that gets that far
        crash(Cut.attach("attach: static target on 2 of 3 hosts", a, VM, "AddInternetScsiStaticTargets", "after", 1, "READY"),
                Cut.detach("detach: disk off the VM (ReconfigVM)", b, "ReconfigVM_Task", 0));
        attachAgain(b);
        crash(Cut.attach("attach: first host rescanned (RescanHba)", a, VM, "RescanHba", "after", 0, "READY"),
                Cut.detach("detach: VMFS unmounted on 2 of 3 hosts", b, "UnmountVmfsVolume", 1));
        attachAgain(b);
        crash(Cut.attach("attach: VMFS datastore made, no disk yet", a, VM, "CreateVmfsDatastore", "after", 0, "READY"),
                Cut.detach("detach: static target off 2 of 3 hosts", b, "RemoveInternetScsiStaticTargets", 1));
        attachAgain(a);
        rig.karaf.ok("storage:volume-detach " + a);
        // b to the other VM: two disks added to one VM at once would race for its free slot
        crash(Cut.attach("attach: ReconfigVM held, acts after the kill", b, VmwareCrashRig.VM2, "ReconfigVM_Task", "before", 0, "ATTACHED"),
                Cut.attach("attach: disk on the VM (ReconfigVM)", a, VM, "ReconfigVM_Task", "after", 0, "ATTACHED"));
        assertEquals("no second attach of a volume found attached", 1,
                rig.karaf.client("storage:volume-attach " + a + " " + VmwareCrashRig.VM2).exit());
        rig.karaf.ok("storage:volume-detach " + a, "storage:volume-detach " + b);
        assertEquals(List.of(), rig.violations(ALIVE));
    }

    @Test
    public void aLostReplyAtAVcenterCall_isFoundOutAndConverges() throws Exception {
        String v = "vcl";
        rig.karaf.ok("storage:volume-create --offering vmwcgold --size 1G " + v);
        ALIVE.add(v);
        lost("CreateVmfsDatastore reply lost (attach)", "CreateVmfsDatastore", "storage:volume-attach " + v + " " + VM, v, "ATTACHED");
        lost("ReconfigVM reply lost (detach: disk removed)", "ReconfigVM_Task", "storage:volume-detach " + v, v, "READY");
        lost("ReconfigVM reply lost (attach: disk added)", "ReconfigVM_Task", "storage:volume-attach " + v + " " + VM, v, "ATTACHED");
        lost("RemoveInternetScsiStaticTargets reply lost", "RemoveInternetScsiStaticTargets", "storage:volume-detach " + v, v, "READY");
    }

    /**
     * The reply of {@code method} is lost once during {@code command}; one pass, and the checker must find nothing
     * (whether the command failed or not: a failed command must leave the volume as it was, with what vCenter has
     * agreeing); then the user runs the command again if it failed, and the volume must reach {@code expected}.
     */
    private static void lost(String point, String method, String command, String name, String expected) throws Exception {
        rig.lose(method, 1);
        KarafProcess.Result first = rig.karaf.client(command);
        rig.release(false);
        List<JsonNode> answers = KarafProcess.jsons(rig.karaf.ok("storage:reconcile --json", "storage:volume-list --json"));
        Map<String, JsonNode> rows = SanInvariants.byId(answers.get(1));
        String between = stateOf(rows, name);
        List<String> violations = rig.violations(rows, ALIVE);
        if (first.exit() != 0 && violations.isEmpty()) {
            rig.karaf.ok(command);
            rows = rig.rows();
            violations = rig.violations(rows, ALIVE);
        }
        String state = stateOf(rows, name);
        MATRIX.add(String.format("%-46s | %-9s | %-8s | %s (first try %s, then %s; orphans %d)", point, "-", state,
                (violations.isEmpty() ? "hold" : "BROKEN " + violations) + (expected.equals(state) ? "" : ", WRONG: expected " + expected),
                first.exit() == 0 ? "succeeded" : "failed", between, answers.get(0).path("orphans").size()));
        assertEquals(point + ": " + violations, List.of(), violations);
        assertEquals(point, expected, state);
    }
}
