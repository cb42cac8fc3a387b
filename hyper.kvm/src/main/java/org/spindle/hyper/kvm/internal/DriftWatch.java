package org.spindle.hyper.kvm.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spindle.storage.api.attach.Attachment;

/**
 * Changes made to a host behind Spindle's back: the disks this service attached (or found at start) are checked
 * against what libvirt shows, when libvirt reports a domain event (undefined, stopped after a migration, …) and
 * periodically. A disk that is gone, a VM that is no longer defined, a VM that migrated away: each is a {@link Drift},
 * reported to the listener (the attach service publishes them) until the volume is detached through Spindle or the
 * disk is back. Not thread-safe on its own: the host's monitor thread calls it.
 */
final class DriftWatch {
    private static final Logger LOG = LoggerFactory.getLogger(DriftWatch.class);

    /**
     * A Spindle disk that is not where Spindle put it.
     *
     * @param volumeId the Spindle volume
     * @param vmId     the VM it was attached to (libvirt UUID)
     * @param vmName   that VM's name when attached
     * @param what     what happened, one line
     * @param seen     when it was noticed
     */
    record Drift(UUID volumeId, String vmId, String vmName, String what, Instant seen) {
        /** As published: {@code <volume> <vm id> <what>}. */
        String line() {
            return volumeId + " " + vmId + " " + what;
        }
    }

    private final String host;
    private final LibvirtConnection libvirt;
    private final HostDisks disks;
    private final Domains domains;
    private final Consumer<List<Drift>> listener;
    private final Map<UUID, Attachment> expected = new LinkedHashMap<>();
    private final Map<UUID, Drift> drift = new LinkedHashMap<>();
    private final Map<String, String> migrated = new LinkedHashMap<>();
    private boolean seeded;

    DriftWatch(String host, LibvirtConnection libvirt, Consumer<List<Drift>> listener) {
        this.host = host;
        this.libvirt = libvirt;
        this.disks = new HostDisks(host, libvirt);
        this.domains = new Domains(host, libvirt);
        this.listener = listener;
    }

    synchronized void attached(Attachment a) {
        expected.put(a.volumeId(), a);
        if (drift.remove(a.volumeId()) != null) {
            publish();
        }
    }

    synchronized void detached(UUID volumeId) {
        expected.remove(volumeId);
        if (drift.remove(volumeId) != null) {
            publish();
        }
    }

    /** libvirt said domain {@code vmId} stopped because it migrated to another host. */
    synchronized void migratedAway(String vmId) {
        migrated.put(vmId, "vm migrated to another host outside Spindle");
    }

    synchronized List<Drift> current() {
        return List.copyOf(drift.values());
    }

    /** Compares what Spindle attached with what the host shows; reports a change of the drift found. */
    synchronized void check() throws LibvirtException {
        if (!seeded) {
            // what is there when the service starts is what Spindle attached before (by this or another runtime)
            for (Attachment a : disks.all()) {
                expected.putIfAbsent(a.volumeId(), a);
            }
            seeded = true;
            return;
        }
        boolean changed = false;
        for (Attachment a : List.copyOf(expected.values())) {
            Optional<String> what = whatHappened(a);
            if (what.isPresent() && !drift.containsKey(a.volumeId())) {
                Drift d = new Drift(a.volumeId(), a.vmId(), a.vmName(), what.get(), Instant.now());
                LOG.warn("KVM host {}: volume {} on vm {} ({}): {}", host, a.volumeId(), a.vmName(), a.vmId(), what.get());
                drift.put(a.volumeId(), d);
                changed = true;
            } else if (what.isEmpty() && drift.remove(a.volumeId()) != null) {
                changed = true;
            }
        }
        if (changed) {
            publish();
        }
    }

    private Optional<String> whatHappened(Attachment a) throws LibvirtException {
        Optional<Domain> d = domains.byIdIfPresent(a.vmId());
        if (d.isEmpty()) {
            return Optional.of(migrated.getOrDefault(a.vmId(), "vm is no longer defined on host " + host
                    + " (undefined, or migrated away, outside Spindle)"));
        }
        try {
            if (disks.of(d.get()).stream().noneMatch(x -> x.volumeId().equals(a.volumeId()))) {
                return Optional.of("disk " + a.device() + " is no longer in vm " + d.get().getName()
                        + " (detached outside Spindle)");
            }
            if (!Domains.running(d.get()) && migrated.containsKey(a.vmId())) {
                return Optional.of(migrated.get(a.vmId()));
            }
            migrated.remove(a.vmId());
            return Optional.empty();
        } finally {
            d.get().free();
        }
    }

    private void publish() {
        List<Drift> now = new ArrayList<>(drift.values());
        listener.accept(List.copyOf(now));
    }
}
