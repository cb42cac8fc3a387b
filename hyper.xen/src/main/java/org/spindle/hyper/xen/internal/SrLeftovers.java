package org.spindle.hyper.xen.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.attach.AttachProperties;
import org.spindle.support.leftover.Leftovers;

import com.xensource.xenapi.Connection;
import com.xensource.xenapi.SR;
import com.xensource.xenapi.VBD;
import com.xensource.xenapi.VDI;
import com.xensource.xenapi.VM;

/**
 * Managed SRs that no disk uses: an SR labelled with a volume ({@code name_description = spindle:<volume uuid>}) none of
 * whose VDIs has a VBD, in any VM. An attach that was given up leaves one when its {@code SR.create} acts after the give-up
 * (xapi completes a call whose client went away). They are reported as {@link AttachProperties#DRIFT} leftovers of no
 * VM ({@value AttachProperties#NO_VM}) and cleared, on the core's detach of such an attachment, only while still no disk
 * uses them.
 *
 * <p>An attach makes its SR a moment before its VBD: an SR is reported only once it was seen unused at two checks in a
 * row, while no attach of its volume runs in this service ({@link Leftovers}). Static SRs (the operator's, named in {@code static.srs}) are
 * never reported nor touched, whatever their description.
 */
final class SrLeftovers {
    private static final Logger LOG = LoggerFactory.getLogger(SrLeftovers.class);
    private static final Comparator<Leftover> ORDER = Comparator.comparing((Leftover l) -> l.volumeId().toString())
            .thenComparing(Leftover::srUuid);

    /** An SR of {@code volumeId} that no disk uses. */
    record Leftover(UUID volumeId, String srUuid) {
        /** As published: {@code <volume uuid> - leftover: SR <sr uuid> has no disk: …}. */
        String line() {
            return volumeId + " " + AttachProperties.NO_VM + " leftover: SR " + srUuid
                    + " has no disk: an attach that was given up made it; a detach of the volume removes it";
        }
    }

    private final XenClient xen;
    private final Set<String> staticSrs;
    /** The attaches running in this service, what was unused at the last check, what is reported. */
    private final Leftovers<Leftover, String> leftovers = new Leftovers<>(ORDER);

    SrLeftovers(XenClient xen, List<String> staticSrs) {
        this.xen = xen;
        this.staticSrs = Set.copyOf(staticSrs);
    }

    /** An attach of {@code volumeId} starts (before its SR is made); never waits for a check. */
    void attaching(UUID volumeId) {
        leftovers.attaching(volumeId);
    }

    /** That attach ended, however. */
    void attachEnded(UUID volumeId) {
        leftovers.attachEnded(volumeId);
    }

    /**
     * Reads the pool's SRs (one {@code SR.get_all_records}, and one {@code VBD.get_all_records} when any SR is labelled)
     * and returns the lines to publish, sorted: the SRs unused now that were unused at the previous check too, of volumes
     * no attach of this service is working on. A failed read throws and changes nothing.
     */
    synchronized List<String> check() {
        leftovers.check(() -> xen.call("SR.get_all_records", this::unused), l -> {
            LOG.warn("Xen pool: SR {} of volume {} has no disk: an attach that was given up left it", l.srUuid(), l.volumeId());
            return l.line();
        });
        return leftovers.reported();
    }

    private Map<Leftover, UUID> unused(Connection c) throws Exception {
        Map<SR, SR.Record> srs = SR.getAllRecords(c);
        Map<SR.Record, UUID> labelled = new HashMap<>();
        for (SR.Record r : srs.values()) {
            UUID v = volumeOf(r);
            if (v != null) {
                labelled.put(r, v);
            }
        }
        Map<Leftover, UUID> out = new HashMap<>();
        if (labelled.isEmpty()) {
            return out;
        }
        Set<VDI> used = new HashSet<>();
        for (VBD.Record b : VBD.getAllRecords(c).values()) {
            if (b.VDI != null) {
                used.add(b.VDI);
            }
        }
        for (Map.Entry<SR.Record, UUID> e : labelled.entrySet()) {
            Set<VDI> vdis = e.getKey().VDIs == null ? Set.of() : e.getKey().VDIs;
            if (vdis.stream().noneMatch(used::contains)) {
                out.put(new Leftover(e.getValue(), e.getKey().uuid), e.getValue());
            }
        }
        return out;
    }

    /** The volume a managed SR is labelled with; null for any other SR (a static one, the operator's, a bad label). */
    private UUID volumeOf(SR.Record r) {
        String d = r.nameDescription;
        if (d == null || !d.startsWith("spindle:") || staticSrs.contains(r.nameLabel)) {
            return null;
        }
        try {
            UUID v = UUID.fromString(d.substring("spindle:".length()));
            return SrStructure.label(v).equals(d) ? v : null;
        } catch (IllegalArgumentException notAUuid) {
            return null;
        }
    }

    /**
     * The core's detach of a leftover of no VM: every SR labelled with {@code volumeId} none of whose VDIs has a VBD is
     * taken out of the pool as a detach does ({@link SrStructure#forget}: the data stays on the LUN); a VBD is never
     * touched. An SR a disk uses is left as it is, and the detach then fails {@code CONFLICT} naming the VBD and its VM
     * (after the unused ones were cleared); so does one while an attach of the volume runs in this service.
     */
    void clear(UUID volumeId) {
        if (leftovers.attachRunning(volumeId)) {
            throw new StorageException(StorageException.Reason.CONFLICT, "attachment", "An attach of volume " + volumeId
                    + " is under way: its SR is no leftover", null);
        }
        List<String> busy = xen.call("SR.forget (leftover)", c -> {
            List<String> inUse = new ArrayList<>();
            for (Map.Entry<SR, SR.Record> e : SR.getAllRecords(c).entrySet()) {
                if (!volumeId.equals(volumeOf(e.getValue()))) {
                    continue;
                }
                String disk = disk(c, e.getKey());
                if (disk != null) {
                    inUse.add("SR " + e.getValue().uuid + " is used by " + disk);
                    continue;
                }
                SrStructure.forget(c, e.getKey());
                LOG.info("Xen pool: SR {} of volume {}, which no disk used, forgotten (the data stays on the LUN)",
                        e.getValue().uuid, volumeId);
            }
            return inUse;
        });
        if (!busy.isEmpty()) {
            LOG.info("Xen pool: leftover of volume {} not cleared: {}", volumeId, String.join("; ", busy));
            throw new StorageException(StorageException.Reason.CONFLICT, "attachment", "Volume " + volumeId + ": "
                    + String.join("; ", busy) + ": a disk uses it, so it is no leftover and stays", null);
        }
    }

    /** A VBD on a VDI of {@code sr}, named with its VM; null if none has one. */
    private static String disk(Connection c, SR sr) throws Exception {
        for (VDI v : sr.getVDIs(c)) {
            for (VBD b : v.getVBDs(c)) {
                VM vm = b.getVM(c);
                return "VBD " + b.getUuid(c) + " in vm " + vm.getNameLabel(c) + " (" + vm.getUuid(c) + ")";
            }
        }
        return null;
    }
}
