package org.spindle.hyper.xen.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.spindle.storage.api.qos.IoLimits;

import com.xensource.xenapi.Connection;
import com.xensource.xenapi.Host;
import com.xensource.xenapi.Pool;
import com.xensource.xenapi.Types;
import com.xensource.xenapi.VBD;
import com.xensource.xenapi.VDI;
import com.xensource.xenapi.VM;

/**
 * The volume's VBD in the VM: created with {@code other_config:spindle-volume} (found again by it), plugged when
 * the VM runs, with the volume's weight as an ionice class. XenServer has no per-VBD IOPS or bandwidth cap, so the
 * weight is all a VBD carries.
 */
final class VbdDisks {
    static final String LABEL = "spindle-volume";
    /** The weight Spindle asked for, kept with the VBD so that a read-back can tell it from an operator's change. */
    static final String WEIGHT = "spindle-weight";
    private final XenClient xen;

    VbdDisks(XenClient xen) {
        this.xen = xen;
    }

    /** Finds or creates the VBD of {@code vdi} in {@code vm}, plugs it when the VM runs; returns its uuid. */
    String ensure(VM vm, VDI vdi, UUID volumeId, IoLimits limits) {
        return xen.call("VBD.create/plug", c -> {
            VBD vbd = find(c, vm, volumeId);
            if (vbd == null) {
                VBD.Record r = new VBD.Record();
                r.VM = vm;
                r.VDI = vdi;
                r.userdevice = "autodetect";
                r.bootable = false;
                r.mode = Types.VbdMode.RW;
                r.type = Types.VbdType.DISK;
                r.unpluggable = true;
                r.empty = false;
                Map<String, String> oc = new java.util.HashMap<>(otherConfig(volumeId, limits));
                // the pool's own time, from which the disk's RRD rows are counted (RrdStats)
                Host master = Pool.getAll(c).iterator().next().getMaster(c);
                oc.put(RrdStats.SINCE, Long.toString(master.getServertime(c).toInstant().getEpochSecond()));
                r.otherConfig = oc;
                r.qosAlgorithmType = qosType(limits);
                r.qosAlgorithmParams = qosParams(limits);
                vbd = VBD.create(c, r);
            }
            if (vm.getPowerState(c) == Types.VmPowerState.RUNNING && !vbd.getCurrentlyAttached(c)) {
                vbd.plug(c);
            }
            return vbd.getUuid(c);
        });
    }

    private static VBD find(Connection c, VM vm, UUID volumeId) throws Exception {
        for (VBD b : vm.getVBDs(c)) {
            if (volumeId.toString().equals(b.getOtherConfig(c).get(LABEL))) {
                return b;
            }
        }
        return null;
    }

    /** Every VBD of the volume in the pool (any VM): unplugged when attached, destroyed. */
    void remove(UUID volumeId) {
        xen.call("VBD.unplug/destroy", c -> {
            List<VBD> mine = new ArrayList<>();
            for (Map.Entry<VBD, VBD.Record> e : VBD.getAllRecords(c).entrySet()) {
                if (e.getValue().otherConfig != null && volumeId.toString().equals(e.getValue().otherConfig.get(LABEL))) {
                    mine.add(e.getKey());
                }
            }
            for (VBD b : mine) {
                if (b.getCurrentlyAttached(c)) {
                    try {
                        b.unplug(c);
                    } catch (Types.DeviceAlreadyDetached gone) {
                        // detached meanwhile
                    }
                }
                b.destroy(c);
            }
            return null;
        });
    }

    /** Sets the ionice priority of the volume's VBD in {@code vm}. */
    void changeWeight(VM vm, UUID volumeId, IoLimits limits) {
        xen.call("VBD.set_qos_algorithm_type", c -> {
            VBD b = find(c, vm, volumeId);
            if (b == null) {
                throw new org.spindle.storage.api.StorageException(org.spindle.storage.api.StorageException.Reason.NOT_FOUND,
                        "attachment", "The VM has no VBD of volume " + volumeId, null);
            }
            b.setQosAlgorithmType(c, qosType(limits));
            b.setQosAlgorithmParams(c, qosParams(limits));
            b.removeFromOtherConfig(c, WEIGHT);
            if (limits.hasWeight()) {
                b.addToOtherConfig(c, WEIGHT, Integer.toString(limits.weight()));
            }
            return null;
        });
    }

    private static Map<String, String> otherConfig(UUID volumeId, IoLimits limits) {
        return limits.hasWeight() ? Map.of(LABEL, volumeId.toString(), WEIGHT, Integer.toString(limits.weight()))
                : Map.of(LABEL, volumeId.toString());
    }

    static String qosType(IoLimits limits) {
        return limits.hasWeight() ? "ionice" : "";
    }

    /**
     * Weight 1–1000 onto ionice's best-effort classes 7 (lowest) to 0 (highest), evenly; no weight: no parameters
     * (the host's default). XenServer reads {@code sched} and {@code class} (wire reference §2.3).
     */
    static Map<String, String> qosParams(IoLimits limits) {
        if (!limits.hasWeight()) {
            return Map.of();
        }
        return Map.of("sched", "best-effort", "class", Integer.toString(ioniceClass(limits.weight())));
    }

    /** The best-effort class of a weight 1–1000: 7 (lowest) to 0 (highest), evenly. */
    static int ioniceClass(int weight) {
        return 7 - (int) Math.round((weight - 1) * 7.0 / (IoLimits.MAX_WEIGHT - 1));
    }

    /** The weight that stands for a class (its class maps back to it): 0 → 1000, 7 → 1. */
    static int weightOf(int ioniceClass) {
        return 1 + (int) Math.round((7 - ioniceClass) * (IoLimits.MAX_WEIGHT - 1) / 7.0);
    }
}
