package org.spindle.hyper.kvm.internal;

import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A monitored {@link KvmHost} on the local libvirtd (the peer is required), its periodic check every
 * {@code probeSeconds}, with each drift report it makes queued in {@link #reports}.
 */
final class DriftHost implements AutoCloseable {
    final LibvirtEvents events;
    final KvmHost host;
    final BlockingQueue<List<DriftWatch.Drift>> reports = new LinkedBlockingQueue<>();

    DriftHost(int probeSeconds, String name) throws Exception {
        Peers.require();
        events = new LibvirtEvents();
        host = new KvmHost(Configs.settings("probe.interval.seconds", probeSeconds), events, Files.createTempDirectory(name),
                new HostMonitor.Listener() {
                    @Override
                    public void unavailable(String reason) {
                    }

                    @Override
                    public void available() {
                    }

                    @Override
                    public void drift(List<DriftWatch.Drift> now) {
                        reports.add(now);
                    }
                });
    }

    /** The first drift of {@code volumeId} reported within 30 s, if any. */
    Optional<DriftWatch.Drift> awaitDrift(UUID volumeId) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            List<DriftWatch.Drift> now = reports.poll(1, TimeUnit.SECONDS);
            for (DriftWatch.Drift d : now == null ? List.<DriftWatch.Drift>of() : now) {
                if (d.volumeId().equals(volumeId)) {
                    return Optional.of(d);
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        host.close();
        events.close();
    }
}
