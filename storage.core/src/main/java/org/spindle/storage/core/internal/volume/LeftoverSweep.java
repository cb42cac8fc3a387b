package org.spindle.storage.core.internal.volume;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spindle.storage.api.attach.AttachProperties;
import org.spindle.storage.api.attach.Attachment;
import org.spindle.storage.api.runtime.Orphan;
import org.spindle.storage.api.volume.VolumeState;
import org.spindle.storage.core.internal.db.VolumeRecord;
import org.spindle.storage.core.internal.registry.BoundAttach;

/**
 * Clears what an interrupted attach left that no disk uses, as attach services report it in
 * {@value AttachProperties#DRIFT} ({@code "<volume> <vm id> leftover: <what>"}): a detach of an attachment with an
 * empty device, which converges on whatever is there. Only for volumes in this database, not attached to that VM,
 * with no operation in flight: a leftover of another installation, or of an attach under way, is never touched.
 * <p>A leftover of no VM ({@value AttachProperties#NO_VM}: an SR or a datastore an attach made after it was given
 * up) is cleared only while its volume has no attachment at all and no operation in flight (READY, ALLOCATED,
 * DESTROYED), as read right before the call; the service removes the structure only if no disk uses it
 * then. An attach of the volume starting in that instant can fail and be retried; no disk is ever removed by it.
 */
final class LeftoverSweep {
    private static final Logger LOG = LoggerFactory.getLogger(LeftoverSweep.class);
    private static final String MARK = "leftover:";

    private final Core core;
    private final Events events;

    LeftoverSweep(Core core, Events events) {
        this.core = core;
        this.events = events;
    }

    /** One sweep over every bound attach service; what could not be cleared goes to {@code deferred}. */
    List<Orphan> sweep(List<String> deferred) {
        List<Orphan> out = new ArrayList<>();
        for (BoundAttach service : core.attachers().all()) {
            for (String line : service.drift()) {
                parse(line).ifPresent(l -> clear(service, l, out, deferred));
            }
        }
        return out;
    }

    private record Leftover(UUID volumeId, String vmId, String what) {
    }

    static Optional<Leftover> parse(String line) {
        String[] f = line.split(" ", 4);
        if (f.length < 4 || !f[2].equals(MARK)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Leftover(UUID.fromString(f[0]), f[1], f[3]));
        } catch (IllegalArgumentException notAVolume) {
            return Optional.empty();
        }
    }

    /** No attachment and no operation in flight: nothing of this volume's may be on a VM now. */
    private static boolean unattached(VolumeRecord v) {
        return v.attachment() == null && (v.state() == VolumeState.READY || v.state() == VolumeState.ALLOCATED
                || v.state() == VolumeState.DESTROYED);
    }

    private void clear(BoundAttach service, Leftover l, List<Orphan> out, List<String> deferred) {
        Optional<VolumeRecord> row = core.store().volume(l.volumeId());
        if (row.isEmpty()) {
            return; // another installation's, or never this one's: only reported by its service
        }
        VolumeRecord v = row.get();
        if (AttachProperties.NO_VM.equals(l.vmId()) ? !unattached(v)
                : v.state().isTransitional() || v.state() == VolumeState.ATTACHED && v.attachment() != null
                        && l.vmId().equals(v.attachment().vmId())) {
            return;
        }
        try {
            service.service().detach(new Attachment(l.volumeId(), l.vmId(), "", null, "", null, true), v.target());
            LOG.info("Volume {}: cleared on {} what an interrupted attach left ({})", v.name(), service.identity(), l.what());
            Orphan o = new Orphan(Orphan.LEFTOVER, service.identity(), l.vmId() + "/" + l.volumeId(), l.volumeId(), l.what(),
                    Instant.now(), true);
            events.orphan(o);
            out.add(o);
        } catch (RuntimeException e) {
            deferred.add("attach service " + service.identity() + ": clearing what an interrupted attach of " + v.name()
                    + " left failed: " + e.getMessage());
        }
    }
}
