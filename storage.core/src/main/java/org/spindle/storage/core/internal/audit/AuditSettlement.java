package org.spindle.storage.core.internal.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spindle.storage.api.audit.AuditEvent;
import org.spindle.storage.api.volume.VolumeState;
import org.spindle.storage.core.internal.db.AuditRows;
import org.spindle.storage.core.internal.db.JdbcStore;
import org.spindle.storage.core.internal.db.VolumeRecord;

/**
 * Settles the audit records whose call a stopped node run cut (still {@value Auditor#PENDING}): run by each
 * reconciliation pass after the interrupted operations were recovered. A record is settled when its run is gone: an
 * earlier run of this node (a restart ended it), or another node's run whose record is older than twice the lease
 * (should that call still be running, its own outcome replaces the settled one when it ends). Its outcome is read from
 * what the call was to bring about: {@value AuditEvent#OK} when the target shows it (a create's volume exists, an
 * attach's volume is attached to its VM, a detach's is READY, a delete's DESTROYED, a resize's has the size asked
 * for, an offering exists or not), else {@value Auditor#INTERRUPTED}. A record whose volume still has an operation in
 * flight waits for the next pass.
 */
public final class AuditSettlement {
    private static final Logger LOG = LoggerFactory.getLogger(AuditSettlement.class);

    private final JdbcStore store;
    private final Auditor auditor;

    public AuditSettlement(JdbcStore store, Auditor auditor) {
        this.store = store;
        this.auditor = auditor;
    }

    /** Settles what it can now; returns the records settled. */
    public List<AuditEvent> settle() {
        Instant otherNodesBefore = Instant.now().minus(Duration.ofSeconds(2L * store.leaseSeconds()));
        String mine = store.nodeId() + "@";
        List<AuditEvent> settled = new java.util.ArrayList<>();
        for (AuditRows.Pending p : store.audit().pending()) {
            boolean gone = !p.run().equals(store.owner())
                    && (p.run().startsWith(mine) || p.event().at().isBefore(otherNodesBefore));
            if (!gone) {
                continue;
            }
            Optional<VolumeRecord> volume = p.event().operation().startsWith("volume.") && p.event().target() != null
                    ? store.volume(p.event().target()) : Optional.empty();
            if (volume.isPresent() && volume.get().state().isTransitional()) {
                continue;    // its recovery comes first
            }
            AuditEvent e = p.event();
            boolean done = done(e, volume);
            String outcome = done ? AuditEvent.OK : Auditor.INTERRUPTED;
            String detail = (e.detail() == null || e.detail().isEmpty() ? "" : e.detail() + "; ") + "the node run " + p.run()
                    + " stopped during the call; " + (done ? "it took effect" : "it did not take effect or cannot be told")
                    + volume.map(v -> " (volume " + v.state() + " now)").orElse("");
            if (store.audit().settle(e.id(), outcome, detail)) {
                LOG.info("Audit record {} ({} {} by {}) settled as {}", e.id(), e.operation(), e.target(), e.actor(), outcome);
                auditor.post(e.at(), e.actor(), e.operation(), e.target(), outcome, detail);
                settled.add(new AuditEvent(e.id(), e.at(), e.actor(), e.operation(), e.target(), outcome, detail));
            }
        }
        return settled;
    }

    /** Whether the target shows what the call was to bring about. */
    private boolean done(AuditEvent e, Optional<VolumeRecord> volume) {
        VolumeState state = volume.map(VolumeRecord::state).orElse(null);
        return switch (e.operation()) {
            case "volume.create" -> state != null && state != VolumeState.DESTROYED;
            case "volume.attach" -> state == VolumeState.ATTACHED && volume.get().attachment() != null
                    && attachedTo(volume.get(), e.detail());
            case "volume.detach" -> state == VolumeState.READY;
            case "volume.delete" -> state == VolumeState.DESTROYED;
            case "volume.resize" -> state != null && sizeAsked(e.detail()) > 0 && volume.get().volume().sizeBytes() >= sizeAsked(e.detail());
            case "offering.create" -> e.target() != null && store.offering(e.target()).isPresent();
            case "offering.delete" -> e.target() != null && store.offering(e.target()).isEmpty();
            default -> false;
        };
    }

    /** An attach's detail starts {@code vm <name or id>}. */
    private static boolean attachedTo(VolumeRecord v, String detail) {
        if (detail == null || !detail.startsWith("vm ")) {
            return false;
        }
        String vm = detail.substring(3).split(",", 2)[0].trim();
        return vm.equals(v.attachment().vm()) || vm.equals(v.attachment().vmId());
    }

    /** A resize's detail is {@code <bytes> bytes}. */
    private static long sizeAsked(String detail) {
        try {
            return detail == null ? -1 : Long.parseLong(detail.split(" ", 2)[0]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
