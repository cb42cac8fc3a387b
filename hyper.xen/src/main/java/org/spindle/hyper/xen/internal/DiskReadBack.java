package org.spindle.hyper.xen.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.attach.Attachment;
import org.spindle.storage.api.qos.IoLimits;

import com.xensource.xenapi.Connection;
import com.xensource.xenapi.Host;
import com.xensource.xenapi.SR;
import com.xensource.xenapi.Types;
import com.xensource.xenapi.VBD;
import com.xensource.xenapi.VDI;
import com.xensource.xenapi.VM;

/**
 * What the pool says is attached now, read each time (never remembered): the VBDs labelled with a Spindle volume
 * ({@code other_config:spindle-volume}), whoever made them, and the ionice priority in force on one of them.
 *
 * <p>A VBD counts as attached when attach would have left it so: plugged in a running VM, or present in a halted
 * one (XenServer plugs it when the VM starts). A VBD not plugged in a running VM is the trace of an attach cut
 * before its last step: it is not reported, and a detach removes it with the rest.
 */
final class DiskReadBack {
    private final XenClient xen;

    DiskReadBack(XenClient xen) {
        this.xen = xen;
    }

    /** Every attached Spindle disk in the pool. Five reads, whatever the number of volumes. */
    List<Attachment> attachments() {
        return xen.call("VBD.get_all_records", c -> list(c, null));
    }

    /** The attached disk of {@code volumeId}, if any (the plugged one first, should there be two). */
    Optional<Attachment> find(UUID volumeId) {
        return xen.call("VBD.get_all_records", c -> list(c, volumeId)).stream().findFirst();
    }

    private static List<Attachment> list(Connection c, UUID only) throws Exception {
        Map<VBD, VBD.Record> vbds = VBD.getAllRecords(c);
        List<Map.Entry<VBD, VBD.Record>> mine = new ArrayList<>();
        for (Map.Entry<VBD, VBD.Record> e : vbds.entrySet()) {
            String label = e.getValue().otherConfig == null ? null : e.getValue().otherConfig.get(VbdDisks.LABEL);
            if (label != null && (only == null || only.toString().equals(label))) {
                mine.add(e);
            }
        }
        if (mine.isEmpty()) {
            return List.of();
        }
        Map<VM, VM.Record> vms = VM.getAllRecords(c);
        Map<VDI, VDI.Record> vdis = VDI.getAllRecords(c);
        Map<SR, SR.Record> srs = SR.getAllRecords(c);
        Map<Host, Host.Record> hosts = Host.getAllRecords(c);
        List<Attachment> out = new ArrayList<>();
        for (Map.Entry<VBD, VBD.Record> e : mine) {
            VBD.Record b = e.getValue();
            UUID volume;
            try {
                volume = UUID.fromString(b.otherConfig.get(VbdDisks.LABEL));
            } catch (IllegalArgumentException notOurs) {
                continue;
            }
            VM.Record vm = vms.get(b.VM);
            VDI.Record vdi = vdis.get(b.VDI);
            if (vm == null || vdi == null) {
                continue;
            }
            boolean running = vm.powerState == Types.VmPowerState.RUNNING;
            if (running && !Boolean.TRUE.equals(b.currentlyAttached)) {
                continue;
            }
            SR.Record sr = srs.get(vdi.SR);
            boolean managed = sr != null && SrStructure.label(volume).equals(sr.nameDescription);
            String host = null;
            if (running && vm.residentOn != null && hosts.containsKey(vm.residentOn)) {
                host = hosts.get(vm.residentOn).nameLabel;
            }
            Attachment a = new Attachment(volume, vm.uuid, vm.nameLabel, host, b.uuid, managed ? sr.uuid : null, managed);
            if (Boolean.TRUE.equals(b.currentlyAttached)) {
                out.add(0, a);
            } else {
                out.add(a);
            }
        }
        return List.copyOf(out);
    }

    /**
     * The priority in force on the attachment's VBD, read back: {@code qos_algorithm_type = ionice} with
     * {@code sched} best-effort (or absent, xapi's default) and {@code class} 0–7 or a name gives the class's weight
     * ({@link VbdDisks#weightOf}); the weight Spindle asked for when the class in force is still the one it maps to
     * (kept in {@code other_config:spindle-weight}, so a weight round-trips exactly while an operator's change shows).
     * {@code sched} rt is the highest weight, idle the lowest; any other type, or none, is no weight.
     */
    IoLimits limits(Attachment attachment) {
        return xen.call("VBD.get_record", c -> {
            VBD.Record r = vbd(c, attachment).getRecord(c);
            return IoLimits.NONE.withWeight(weight(r.qosAlgorithmType, r.qosAlgorithmParams, r.otherConfig));
        });
    }

    static int weight(String type, Map<String, String> params, Map<String, String> otherConfig) {
        if (!"ionice".equals(type)) {
            return 0;
        }
        Map<String, String> p = params == null ? Map.of() : params;
        String sched = p.getOrDefault("sched", "best-effort");
        if (sched.equals("rt") || sched.equals("real-time")) {
            return IoLimits.MAX_WEIGHT;
        }
        if (sched.equals("idle")) {
            return 1;
        }
        if (!sched.equals("best-effort")) {
            return 0;
        }
        Integer cls = ioniceClass(p.get("class"));
        if (cls == null) {
            return 0;
        }
        String asked = otherConfig == null ? null : otherConfig.get(VbdDisks.WEIGHT);
        if (asked != null && asked.matches("\\d{1,4}")) {
            int w = Integer.parseInt(asked);
            if (w >= 1 && w <= IoLimits.MAX_WEIGHT && VbdDisks.ioniceClass(w) == cls) {
                return w;
            }
        }
        return VbdDisks.weightOf(cls);
    }

    /** ionice's class: 0–7, or the names xapi accepts (highest 0, high 2, normal 4, low 6, lowest 7); null if neither. */
    private static Integer ioniceClass(String c) {
        if (c == null) {
            return 4;
        }
        return switch (c) {
            case "highest" -> 0;
            case "high" -> 2;
            case "normal" -> 4;
            case "low" -> 6;
            case "lowest" -> 7;
            default -> c.matches("[0-7]") ? Integer.parseInt(c) : null;
        };
    }

    /** The attachment's VBD: by its uuid ({@link Attachment#device()}), else by the volume's label in its VM. */
    static VBD vbd(Connection c, Attachment attachment) throws Exception {
        if (!attachment.device().isEmpty()) {
            try {
                return VBD.getByUuid(c, attachment.device());
            } catch (Types.UuidInvalid gone) {
                // replaced (a retried attach): look for the label
            }
        }
        String label = attachment.volumeId().toString();
        for (Map.Entry<VBD, VBD.Record> e : VBD.getAllRecords(c).entrySet()) {
            if (e.getValue().otherConfig != null && label.equals(e.getValue().otherConfig.get(VbdDisks.LABEL))) {
                return e.getKey();
            }
        }
        throw new StorageException(StorageException.Reason.NOT_FOUND, "attachment", "No VBD of volume " + attachment.volumeId()
                + " is in the pool", null);
    }
}
