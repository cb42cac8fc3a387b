package org.spindle.bench;

import java.util.Locale;

import org.spindle.storage.api.volume.VolumeState;

/**
 * Core overhead: create → attach → detach → delete of one volume after another, with a SAN and a hypervisor whose every
 * call takes the configured latency; wall time against the time spent inside the calls the operations wait for
 * (measured around each call on the thread running them). The calls the core makes on its background threads (the usage
 * reading after an operation, the capacity refresh after a delete) run beside the operations and are reported apart.
 */
final class Overhead {
    private Overhead() {
    }

    /** Runs {@code warmup} untimed lives (to compile the hot paths), then {@code rounds} timed ones. */
    static void run(Rig rig, int warmup, int rounds, long latencyMillis, Results out) throws java.sql.SQLException, InterruptedException {
        String section = "core overhead, " + rig.where.label();
        for (int i = 0; i < warmup; i++) {
            life(rig, "warm" + i);
        }
        Timing timing = timed(rig, rounds, "life");
        long wall = timing.wallNanos();
        long coreCpu = timing.coreCpuNanos();
        long external = timing.externalNanos();
        long calls = timing.calls();
        long background = rig.peers.externalCalls() - calls;
        double perLife = wall / 1e6 / rounds;
        double externalPerLife = external / 1e6 / rounds;
        out.add(section, "create → attach → detach → delete, " + latencyMillis + " ms per external call, " + rounds
                        + " lives one after another (" + String.format(Locale.ROOT, "%.1f", (double) calls / rounds) + " external calls each waited for, "
                        + String.format(Locale.ROOT, "%.1f", (double) background / rounds) + " more on the core's background threads)",
                Results.ms(perLife) + " wall per life", Results.ms(externalPerLife) + " inside the external calls waited for", (double) wall / external, "≤ 1.05");
        out.add(section, "the core's own time per life (wall − external)", Results.ms(perLife - externalPerLife),
                Results.ms((double) external / calls / 1e6) + " one external call (mean)", (perLife - externalPerLife) / (external / 1e6 / calls), "-");
        out.add(section, "the same with the core's CPU time in place of its wall time (what an idle machine would show: "
                        + "the core's thread waits for a CPU on a loaded one)", Results.ms(externalPerLife + coreCpu / 1e6 / rounds) + " per life",
                Results.ms(externalPerLife) + " inside external calls", (double) (external + coreCpu) / external, "≤ 1.05");
        // the floor under the ratio, on this database, right after the lives (the same JIT, the same files)
        CommitFloor.run(rig, section, latencyMillis, Math.min(rounds * CommitFloor.LEAST_WRITES_A_LIFE, 700), externalPerLife,
                (double) external / calls / 1e6, out);
        out.note(rig.where.label() + ": external calls over " + rounds + " lives: SAN " + rig.peers.sanTime().calls() + ", hypervisor " + rig.peers.hostTime().calls()
                + ".");
    }

    /**
     * What {@code lives} lives took, on this thread: the wall, the time inside the external calls they waited for (and how
     * many), and this thread's CPU outside those calls (the core's).
     */
    record Timing(long wallNanos, long externalNanos, long calls, long coreCpuNanos) {
    }

    /** Runs {@code lives} lives named {@code prefix} and a number, timed as {@link Timing} says; the peers' times reset first. */
    static Timing timed(Rig rig, int lives, String prefix) {
        rig.peers.resetTimes();
        Thread me = Thread.currentThread();
        rig.peers.sanTime().caller(t -> t == me);
        rig.peers.hostTime().caller(t -> t == me);
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        for (int i = 0; i < lives; i++) {
            life(rig, prefix + i);
        }
        long wall = System.nanoTime() - start;
        long coreCpu = threads.getCurrentThreadCpuTime() - cpuStart - rig.peers.sanTime().callerCpuNanos() - rig.peers.hostTime().callerCpuNanos();
        rig.peers.sanTime().caller(t -> false);
        rig.peers.hostTime().caller(t -> false);
        return new Timing(wall, rig.peers.sanTime().callerNanos() + rig.peers.hostTime().callerNanos(),
                rig.peers.sanTime().callerCalls() + rig.peers.hostTime().callerCalls(), coreCpu);
    }

    /** One volume's create → attach → detach → delete, each checked to end in its state. */
    static void life(Rig rig, String name) {
        rig.create(name);
        expect(rig.volumes.attach(name, Rig.vm(0), null).state(), VolumeState.ATTACHED, name);
        expect(rig.volumes.detach(name).state(), VolumeState.READY, name);
        expect(rig.volumes.delete(name).state(), VolumeState.DESTROYED, name);
    }

    static void expect(VolumeState got, VolumeState want, String name) {
        if (got != want) {
            throw new IllegalStateException("volume " + name + ": " + got + ", expected " + want);
        }
    }
}
