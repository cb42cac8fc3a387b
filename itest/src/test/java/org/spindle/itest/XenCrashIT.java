package org.spindle.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.spindle.xen.simulator.Hold;

/**
 * {@link CrashRecoveryIT}'s real {@code kill -9} on XenServer: the SolidFire simulator on tgt and a XenAPI pool of three
 * hosts ({@link XenCrashRig}). At each point between two XenAPI calls of attach (create on attach, and the re-attach
 * that finds the forgotten SR on its LUN) and of detach, one call is held in the pool — after it acted, its reply
 * waiting, or before it acted and then let through once the runtime is dead (xapi completes a call whose client went
 * away) — and the runtime is killed with SIGKILL. The points of one operation kind are held at once, one volume each,
 * so that one kill and one restart serve all of them. After the restart and one reconciliation pass the checker
 * ({@link XenCrashRig#violations}) must find nothing, each volume must be where recovery should have put it (rolled
 * forward where the disk reached the VM, back otherwise, a detach completed), and a re-attach must work. Then lost
 * replies at Xen calls, without a kill. Prints the matrix.
 */
public class XenCrashIT {
    private static XenCrashRig rig;
    private static final List<String> MATRIX = new ArrayList<>();
    private static final List<String> ALIVE = new ArrayList<>();
    private static long started;

    /** One point: a volume, the command cut there, the call held and how, the state recovery must leave. */
    private record Point(String volume, String command, String method, Hold.When when, int skip, String expected) {
        String name() {
            return method + (skip > 0 ? " #" + (skip + 1) : "") + (when == Hold.When.AFTER ? " acted, reply held" : " held, acts after the kill");
        }
    }

    @BeforeClass
    public static void start() throws Exception {
        started = System.nanoTime();
        rig = XenCrashRig.start();
        rig.karaf.ok("storage:offering-create --tags xencrash --min-iops 100 --max-iops 1000 --burst-iops 1500 --weight 500 xcgold");
    }

    @AfterClass
    public static void stop() throws Exception {
        System.out.println("Xen crash matrix (point | command | state after restart + reconcile | invariants and expected state):");
        MATRIX.forEach(l -> System.out.println("    " + l));
        System.out.printf("XenCrashIT: %.1f s in all%n", (System.nanoTime() - started) / 1e9);
        if (rig != null) {
            rig.close();
        }
    }

    private static String idOf(String name) throws Exception {
        return rig.karaf.json("storage:volume-show --json " + name).path("id").asText();
    }

    private static String stateOf(String name) throws Exception {
        return rig.karaf.json("storage:volume-show --json " + name).path("state").asText();
    }

    /** Volumes {@code names}, made in one client session; ALLOCATED (on the SAN at their first attach). */
    private static void create(String... names) throws Exception {
        List<String> commands = new ArrayList<>();
        for (String n : names) {
            commands.add("storage:volume-create --offering xcgold --size 1G " + n);
            ALIVE.add(n);
        }
        rig.karaf.ok(commands.toArray(String[]::new));
    }

    private static void all(String verb, List<String> names) throws Exception {
        rig.karaf.ok(names.stream().map(n -> "storage:volume-" + verb + " " + n + ("attach".equals(verb) ? " " + XenCrashRig.VM : ""))
                .toArray(String[]::new));
    }

    /**
     * Runs each point's command in a client of its own, one after another, each once its call is held (the holds of
     * the points before have taken their call, so a later command passes them); kills the runtime while all are held;
     * lets the held calls end; starts the runtime again, runs one reconciliation pass, and records each point's state
     * and the invariants it breaks in the matrix. Fails when any point broke one or did not end as expected.
     */
    private static void killDuring(String kind, List<Point> points) throws Exception {
        List<Hold> holds = new ArrayList<>();
        List<CompletableFuture<KarafProcess.Result>> clients = new ArrayList<>();
        for (Point p : points) {
            Hold h = rig.xen.faults().hold(p.method(), p.when(), p.skip(), Duration.ofMinutes(5));
            holds.add(h);
            clients.add(Kill9.client(rig.karaf, p.command()));
            if (!h.awaitReached(Duration.ofSeconds(90))) {
                throw new AssertionError(kind + ": " + p.name() + " never reached; the client said: " + clients.get(clients.size() - 1).getNow(null));
            }
        }
        rig.karaf.kill9();
        for (CompletableFuture<KarafProcess.Result> c : clients) {
            c.get(90, TimeUnit.SECONDS);
        }
        rig.xen.faults().clear(); // the held calls go on: those held before acting act now, with nobody waiting
        for (Hold h : holds) {
            assertTrue(h + " ended", h.awaitDone(Duration.ofSeconds(60)));
        }
        double restart = rig.startAndAwait();
        JsonNode report = rig.karaf.json("storage:reconcile --json");
        List<String> violations = rig.violations(ALIVE);
        List<String> wrong = new ArrayList<>();
        Map<String, String> ids = new LinkedHashMap<>();
        for (Point p : points) {
            String id = idOf(p.volume());
            ids.put(id, p.volume());
            String state = stateOf(p.volume());
            List<String> mine = violations.stream().filter(v -> v.startsWith(id)).toList();
            boolean ok = mine.isEmpty() && state.equals(p.expected());
            MATRIX.add(String.format("%-44s | %-28s | %-19s | %s", p.name(), p.command().replaceFirst(" " + XenCrashRig.VM + "$", " vm"),
                    state, ok ? "hold" : "BROKEN " + (state.equals(p.expected()) ? "" : "(expected " + p.expected() + ") ") + mine));
            if (!ok) {
                wrong.add(p.name() + ": " + state + " (expected " + p.expected() + ") " + mine);
            }
        }
        List<String> others = violations.stream().filter(v -> ids.keySet().stream().noneMatch(v::startsWith)).toList();
        MATRIX.add(String.format("  %s: one kill, restart %.1f s, recovered by this pass %d (the start's pass ran first), other violations %s", kind, restart,
                report.path("recovered").size(), others));
        assertEquals(kind + ": " + wrong + " " + others, List.of(), wrong.isEmpty() ? others : wrong);
    }

    @Test
    public void killAtEveryPointBetweenTwoXenCallsOfAttachAndDetach_thenOneReconcile_converges() throws Exception {
        // x7 and x8 have been attached once: their LUN holds a forgotten SR, which the next attach finds and introduces
        create("x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8");
        rig.karaf.ok("storage:volume-attach x7 " + XenCrashRig.VM, "storage:volume-attach x8 " + XenCrashRig.VM,
                "storage:volume-detach x7", "storage:volume-detach x8");
        String a = "storage:volume-attach ";
        String vm = " " + XenCrashRig.VM;
        killDuring("attach", List.of(
                new Point("x1", a + "x1" + vm, "SR.create", Hold.When.AFTER, 0, "READY"),
                new Point("x2", a + "x2" + vm, "VDI.create", Hold.When.AFTER, 0, "READY"),
                new Point("x3", a + "x3" + vm, "VBD.create", Hold.When.AFTER, 0, "READY"),
                new Point("x4", a + "x4" + vm, "VBD.plug", Hold.When.AFTER, 0, "ATTACHED"),
                new Point("x5", a + "x5" + vm, "VBD.plug", Hold.When.BEFORE, 0, "ATTACHED"),
                new Point("x7", a + "x7" + vm, "SR.introduce", Hold.When.AFTER, 0, "READY"),
                new Point("x8", a + "x8" + vm, "PBD.plug", Hold.When.AFTER, 1, "READY"),
                new Point("x6", a + "x6" + vm, "SR.create", Hold.When.BEFORE, 0, "READY")));

        // a re-attach after recovery works, for every volume recovery rolled back
        all("attach", List.of("x1", "x2", "x3", "x6", "x7", "x8"));
        List<String> after = rig.violations(ALIVE);
        MATRIX.add(String.format("%-44s | %-28s | %-19s | %s", "re-attach of the 6 rolled back", "-", "ATTACHED",
                after.isEmpty() ? "hold" : "BROKEN " + after));
        assertEquals(List.of(), after);

        String d = "storage:volume-detach ";
        killDuring("detach", List.of(
                new Point("x1", d + "x1", "VBD.unplug", Hold.When.AFTER, 0, "READY"),
                new Point("x2", d + "x2", "VBD.unplug", Hold.When.BEFORE, 0, "READY"),
                new Point("x3", d + "x3", "VDI.forget", Hold.When.AFTER, 0, "READY"),
                new Point("x4", d + "x4", "PBD.unplug", Hold.When.AFTER, 1, "READY"),
                new Point("x5", d + "x5", "PBD.destroy", Hold.When.AFTER, 2, "READY"),
                new Point("x6", d + "x6", "SR.forget", Hold.When.AFTER, 0, "READY")));
        // a re-attach after a detach cut at its first and at its last call
        all("attach", List.of("x1", "x6"));
        List<String> end = rig.violations(ALIVE);
        MATRIX.add(String.format("%-44s | %-28s | %-19s | %s", "re-attach of x1, x6 after that", "-", "ATTACHED",
                end.isEmpty() ? "hold" : "BROKEN " + end));
        assertEquals(List.of(), end);
    }

    @Test
    public void aLostReplyAtXenCalls_isFoundOutAndConverges() throws Exception {
        create("l1", "l2", "l3");
        rig.xen.faults().dropReply("SR.create", 1);
        lost("SR.create reply lost", "l1", "storage:volume-attach l1 " + XenCrashRig.VM);

        rig.xen.faults().dropReply("VBD.plug", 1);
        lost("VBD.plug reply lost (disk on the VM)", "l2", "storage:volume-attach l2 " + XenCrashRig.VM);

        rig.karaf.ok("storage:volume-attach l3 " + XenCrashRig.VM);
        rig.xen.faults().dropReply("SR.forget", 1);
        lost("SR.forget reply lost", "l3", "storage:volume-detach l3");

        rig.xen.faults().dropReply("VBD.unplug", 1);
        lost("VBD.unplug reply lost", "l1", "storage:volume-detach l1");
        all("detach", List.of("l2"));
        assertEquals(List.of(), rig.violations(ALIVE));
    }

    /**
     * Runs {@code command} (its reply from the pool lost once), then one reconciliation pass; the invariants must hold
     * whatever the command answered; then the user's next step works: the command again if the volume is not where
     * it asked, and a detach or attach back.
     */
    private static void lost(String point, String name, String command) throws Exception {
        KarafProcess.Result first = rig.karaf.client(command);
        rig.xen.faults().clear();
        JsonNode report = rig.karaf.json("storage:reconcile --json");
        String state = stateOf(name);
        List<String> violations = rig.violations(ALIVE);
        MATRIX.add(String.format("%-44s | %-28s | %-19s | %s (command exit %d, recovered %d, orphans %d)", point,
                command.replaceFirst(" " + XenCrashRig.VM + "$", " vm"), state, violations.isEmpty() ? "hold" : "BROKEN " + violations,
                first.exit(), report.path("recovered").size(), report.path("orphans").size()));
        assertEquals(point + ": " + violations, List.of(), violations);
        boolean attach = command.contains("volume-attach");
        if (!state.equals(attach ? "ATTACHED" : "READY")) {
            rig.karaf.ok(command);
        }
        assertEquals(point, attach ? "ATTACHED" : "READY", stateOf(name));
        assertEquals(point + ", after the user's retry", List.of(), rig.violations(ALIVE));
    }
}
