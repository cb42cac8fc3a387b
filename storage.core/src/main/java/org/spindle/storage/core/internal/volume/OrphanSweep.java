package org.spindle.storage.core.internal.volume;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.attach.Attachment;
import org.spindle.storage.api.driver.SanVolume;
import org.spindle.storage.api.runtime.Orphan;
import org.spindle.storage.api.volume.VolumeState;
import org.spindle.storage.core.internal.db.OrphanRows;
import org.spindle.storage.core.internal.db.VolumeRecord;
import org.spindle.storage.core.internal.registry.BoundAttach;
import org.spindle.storage.core.internal.registry.BoundPool;

/**
 * Finds what the SANs and hypervisors hold for Spindle that no volume row accounts for: SAN volumes carrying a
 * Spindle volume id whose volume is gone, lives elsewhere or has another SAN volume; disks of Spindle volumes on
 * VMs the volume is not recorded as attached to. Each is recorded with when it was first seen, posted as an
 * event, and removed once the grace period has passed — only when it is certainly this installation's and
 * nothing live depends on it. Certainly ours means its volume id is in this database (a row is stored before
 * anything is made, and stays, DESTROYED, after the delete): a SAN volume or disk carrying an id this database
 * never had may be another Spindle installation's on the same SAN or hypervisor, and is only reported. A disk
 * whose volume is recorded ATTACHED elsewhere (one LUN on two VMs) is reported, never detached by the sweep,
 * since removing its structure could take the LUN from the VM that rightly has it. The rows a listing is matched
 * against are read a few hundred at a time ({@code VolumePages.byIds}), not one query per SAN volume or disk.
 */
final class OrphanSweep {
    private static final Logger LOG = LoggerFactory.getLogger(OrphanSweep.class);
    private static final String NOT_OURS = "this database never had a volume with id ";

    private final Core core;
    private final Events events;

    OrphanSweep(Core core, Events events) {
        this.core = core;
        this.events = events;
    }

    private record SanFind(BoundPool pool, SanVolume san, String why, boolean ours) {
    }

    private record DiskFind(BoundAttach service, Attachment disk, String why, boolean removable) {
    }

    /** One sweep; what could not be listed goes to {@code deferred}. */
    List<Orphan> sweep(Duration grace, boolean remove, List<String> deferred) {
        OrphanRows table = core.store().orphans();
        Map<UUID, SanVolume> sanById = new HashMap<>();
        List<SanFind> sanFinds = findSanOrphans(table, sanById, deferred);
        List<DiskFind> diskFinds = findDiskOrphans(table, deferred);
        List<Orphan> out = new ArrayList<>();
        Set<UUID> disksLeft = new HashSet<>();
        for (DiskFind d : diskFinds) {
            String ref = ref(d.disk());
            Instant first = table.seen(Orphan.DISK, d.service().identity(), ref, d.disk().volumeId(), d.why());
            boolean removed = false;
            if (remove && d.removable() && !first.plus(grace).isAfter(Instant.now())) {
                removed = removeDisk(d, sanById.get(d.disk().volumeId()), deferred);
                if (removed) {
                    table.forget(Orphan.DISK, d.service().identity(), ref);
                }
            }
            if (!removed) {
                disksLeft.add(d.disk().volumeId());
            }
            out.add(report(new Orphan(Orphan.DISK, d.service().identity(), ref, d.disk().volumeId(), d.why(), first, removed)));
        }
        for (SanFind s : sanFinds) {
            Instant first = table.seen(Orphan.SAN_VOLUME, s.pool().record().name(), s.san().sanId(), s.san().volumeId(), s.why());
            boolean removed = false;
            if (remove && s.ours() && !disksLeft.contains(s.san().volumeId()) && !first.plus(grace).isAfter(Instant.now())) {
                try {
                    s.pool().driver().deleteVolume(s.san().ref());
                    table.forget(Orphan.SAN_VOLUME, s.pool().record().name(), s.san().sanId());
                    removed = true;
                } catch (RuntimeException e) {
                    deferred.add("removing orphan SAN volume " + s.san().sanId() + " of pool " + s.pool().record().name() + " failed: " + e.getMessage());
                }
            }
            out.add(report(new Orphan(Orphan.SAN_VOLUME, s.pool().record().name(), s.san().sanId(), s.san().volumeId(), s.why(), first, removed)));
        }
        return out;
    }

    private Orphan report(Orphan o) {
        if (o.removed()) {
            LOG.warn("Removed orphan {} {} at {} (volume id {}): {}", o.kind(), o.ref(), o.place(), o.volumeId(), o.detail());
        } else {
            LOG.warn("Orphan {} {} at {} (volume id {}), first seen {}: {}", o.kind(), o.ref(), o.place(), o.volumeId(), o.firstSeen(), o.detail());
        }
        events.orphan(o);
        return o;
    }

    private List<SanFind> findSanOrphans(OrphanRows table, Map<UUID, SanVolume> sanById, List<String> deferred) {
        List<SanFind> found = new ArrayList<>();
        for (BoundPool pool : core.pools().available()) {
            if (!pool.managed()) {
                continue;
            }
            List<SanVolume> listed;
            try {
                listed = pool.driver().listVolumes();
            } catch (RuntimeException e) {
                deferred.add("pool " + pool.record().name() + ": listing its volumes failed: " + e.getMessage());
                continue;
            }
            Set<String> refs = new HashSet<>();
            Map<UUID, VolumeRecord> rows = core.store().pages().byIds(listed.stream().map(SanVolume::volumeId).toList());
            for (SanVolume san : listed) {
                sanById.put(san.volumeId(), san);
                Optional<VolumeRecord> row = Optional.ofNullable(rows.get(san.volumeId()));
                sanOrphan(pool, san, row).ifPresent(why -> {
                    found.add(new SanFind(pool, san, why, row.isPresent()));
                    refs.add(san.sanId());
                });
            }
            table.keepOnly(Orphan.SAN_VOLUME, pool.record().name(), refs);
        }
        return found;
    }

    private static Optional<String> sanOrphan(BoundPool pool, SanVolume san, Optional<VolumeRecord> row) {
        if (row.isEmpty()) {
            return Optional.of(NOT_OURS + san.volumeId() + " (another installation's?): reported, never removed");
        }
        VolumeRecord v = row.get();
        if (v.state() == VolumeState.DESTROYED) {
            return Optional.of("its volume " + v.name() + " is destroyed");
        }
        if (!v.volume().pool().equals(pool.record().name())) {
            return Optional.of("its volume " + v.name() + " lives in pool " + v.volume().pool());
        }
        if (v.sanId() != null && !v.sanId().equals(san.sanId()) && !v.state().isTransitional()) {
            return Optional.of("volume " + v.name() + " has SAN volume " + v.sanId() + "; this is a second one");
        }
        return Optional.empty();
    }

    private List<DiskFind> findDiskOrphans(OrphanRows table, List<String> deferred) {
        List<DiskFind> found = new ArrayList<>();
        for (BoundAttach service : core.attachers().all()) {
            List<Attachment> disks;
            try {
                disks = service.service().attachments();
            } catch (UnsupportedOperationException e) {
                continue;
            } catch (RuntimeException e) {
                deferred.add("attach service " + service.identity() + ": listing its disks failed: " + e.getMessage());
                continue;
            }
            Set<String> refs = new HashSet<>();
            Map<UUID, VolumeRecord> rows = core.store().pages().byIds(disks.stream().map(Attachment::volumeId).toList());
            for (Attachment disk : disks) {
                Optional<VolumeRecord> row = Optional.ofNullable(rows.get(disk.volumeId()));
                diskOrphan(service, disk, row).ifPresent(why -> {
                    boolean liveElsewhere = row.isPresent() && row.get().attachment() != null && (row.get().state() == VolumeState.ATTACHED
                            || row.get().state().isTransitional());
                    found.add(new DiskFind(service, disk, why, row.isPresent() && !liveElsewhere));
                    refs.add(ref(disk));
                });
            }
            table.keepOnly(Orphan.DISK, service.identity(), refs);
        }
        return found;
    }

    private static Optional<String> diskOrphan(BoundAttach service, Attachment disk, Optional<VolumeRecord> row) {
        if (row.isEmpty()) {
            return Optional.of(NOT_OURS + disk.volumeId() + " (another installation's?): reported, never removed");
        }
        VolumeRecord v = row.get();
        VolumeState s = v.state();
        if (s == VolumeState.ATTACHING || s == VolumeState.DETACHING) {
            return Optional.empty();
        }
        if (s != VolumeState.ATTACHED || v.attachment() == null) {
            return Optional.of("volume " + v.name() + " is " + s + ", not attached");
        }
        if (!v.attachment().service().equals(service.identity()) || !v.attachment().vmId().equals(disk.vmId())) {
            return Optional.of("volume " + v.name() + " is attached to " + v.attachment().vm() + " through " + v.attachment().service()
                    + ", yet its disk is also on VM " + disk.vmName() + " (" + disk.vmId() + ")");
        }
        return Optional.empty();
    }

    private boolean removeDisk(DiskFind d, SanVolume san, List<String> deferred) {
        Target target = core.store().volume(d.disk().volumeId()).map(VolumeRecord::target).orElse(san == null ? null : san.target());
        try {
            d.service().service().detach(d.disk(), target);
            return true;
        } catch (RuntimeException e) {
            deferred.add("removing orphan disk of volume " + d.disk().volumeId() + " from VM " + d.disk().vmName() + " failed: " + e.getMessage());
            return false;
        }
    }

    /**
     * A disk's key among the orphans of its service: VM, device and volume, so that leftovers with no VM and no
     * device (a datastore an interrupted attach left without its disk) are told apart by their volume.
     */
    private static String ref(Attachment disk) {
        return disk.vmId() + "/" + disk.device() + "/" + disk.volumeId();
    }
}
