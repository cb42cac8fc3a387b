package org.spindle.bench;

import java.util.Locale;

import org.spindle.storage.api.volume.VolumeState;

/**
 * Core overhead: create → attach → detach → delete of one volume after another, with a SAN and a hypervisor whose every
 * call takes the configured latency; wall time against the time spent inside those calls (measured around each call).
 */
final class Overhead {
    private Overhead() {
    }

    /** Runs {@code warmup} untimed lives (to compile the hot paths), then {@code rounds} timed ones. */
    static void run(Rig rig, int warmup, int rounds, long latencyMillis, Results out) {
        for (int i = 0; i < warmup; i++) {
            life(rig, "warm" + i);
        }
        rig.peers.resetTimes();
        long start = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            life(rig, "life" + i);
        }
        long wall = System.nanoTime() - start;
        long external = rig.peers.externalNanos();
        long calls = rig.peers.externalCalls();
        double perLife = wall / 1e6 / rounds;
        double externalPerLife = external / 1e6 / rounds;
        out.add("core overhead", "create → attach → detach → delete, " + latencyMillis + " ms per external call, " + rounds
                        + " lives one after another (" + String.format(Locale.ROOT, "%.1f", (double) calls / rounds) + " external calls each)",
                Results.ms(perLife) + " wall per life", Results.ms(externalPerLife) + " inside external calls", (double) wall / external, "≤ 1.05");
        out.add("core overhead", "the core's own time per life (wall − external)", Results.ms(perLife - externalPerLife),
                Results.ms((double) external / calls / 1e6) + " one external call (mean)", (perLife - externalPerLife) / (external / 1e6 / calls), "-");
        out.note("External calls per life: SAN " + rig.peers.sanTime().calls() + ", hypervisor " + rig.peers.hostTime().calls()
                + " over " + rounds + " lives.");
    }

    private static void life(Rig rig, String name) {
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
