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
import org.spindle.support.leftover.Leftovers;

/**
 * Changes made to a host behind Spindle's back: the disks this service attached (or found at start) are checked
 * against what libvirt shows, when libvirt reports a domain event (undefined, stopped after a migration, …) and
 * periodically. A disk that is gone, a VM that is no longer defined, a VM that migrated away: each is a {@link Drift},
 * reported to the listener (the attach service publishes them) until the volume is detached through Spindle or the
 * disk is back. Spindle's CHAP secrets that no disk uses ({@link SecretOrphans}) are drift too, until they are gone.
 * Not thread-safe on its own: the host's monitor thread calls it.
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
    private final SecretOrphans secrets;
    /**
     * Spindle secrets without a disk, by secret: those seen at the last check, those reported; and the attaches on this
     * host working now (a count per volume: two attaches of one volume may overlap), whose secret may not have its disk yet.
     */
    private final Leftovers<UUID, Drift> secretDrift = new Leftovers<>();
    private boolean seeded;

    DriftWatch(String host, LibvirtConnection libvirt, Consumer<List<Drift>> listener) {
        this.host = host;
        this.libvirt = libvirt;
        this.disks = new HostDisks(host, libvirt);
        this.domains = new Domains(host, libvirt);
        this.secrets = new SecretOrphans(host, libvirt);
        this.listener = listener;
    }

    /** An attach of {@code volumeId} starts (before its secret is defined); not synchronized: never waits for a check. */
    void attaching(UUID volumeId) {
        secretDrift.attaching(volumeId);
    }

    /** That attach ended, however. */
    void attachEnded(UUID volumeId) {
        secretDrift.attachEnded(volumeId);
    }

    synchronized void attached(Attachment a) {
        expected.put(a.volumeId(), a);
        if (drift.remove(a.volumeId()) != null) {
            publish();
        }
    }

    synchronized void detached(UUID volumeId) {
        expected.remove(volumeId);
        boolean secret = secretDrift.forget(volumeId);
        if (drift.remove(volumeId) != null || secret) {
            publish();
        }
    }

    /** libvirt said domain {@code vmId} stopped because it migrated to another host. */
    synchronized void migratedAway(String vmId) {
        migrated.put(vmId, "vm migrated to another host outside Spindle");
    }

    synchronized List<Drift> current() {
        List<Drift> now = new ArrayList<>(drift.values());
        now.addAll(secretDrift.reported());
        return List.copyOf(now);
    }

    /** Compares what Spindle attached with what the host shows; reports a change of the drift found. */
    synchronized void check() throws LibvirtException {
        boolean secretsChanged = checkSecrets();
        if (!seeded) {
            // what is there when the service starts is what Spindle attached before (by this or another runtime)
            for (Attachment a : disks.all()) {
                expected.putIfAbsent(a.volumeId(), a);
            }
            seeded = true;
            if (secretsChanged) {
                publish();
            }
            return;
        }
        boolean changed = secretsChanged;
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

    /**
     * Spindle secrets without a disk, reported once seen at two checks in a row with no attach of the volume under way
     * here (an attach defines the secret a moment before the disk; one by another runtime on the same host is over
     * long before the next check). Returns whether what is reported changed.
     */
    private boolean checkSecrets() throws LibvirtException {
        Map<UUID, SecretOrphans.Orphan> found = new LinkedHashMap<>();
        return secretDrift.check(() -> {
            Map<UUID, UUID> unused = new LinkedHashMap<>();
            for (SecretOrphans.Orphan o : secrets.find()) {
                found.put(o.secret(), o);
                unused.put(o.secret(), o.volumeId());
            }
            return unused;
        }, secret -> {
            SecretOrphans.Orphan o = found.get(secret);
            String what = "leftover: libvirt secret " + o.secret() + " has no disk"
                    + (o.vmName().isEmpty() ? " (vm is gone)" : " in vm " + o.vmName())
                    + ": an interrupted attach left it; a detach of the volume removes it";
            LOG.warn("KVM host {}: volume {} on vm {}: {}", host, o.volumeId(), o.vmId(), what);
            return new Drift(o.volumeId(), o.vmId(), o.vmName(), what, Instant.now());
        });
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
        listener.accept(current());
    }
}
