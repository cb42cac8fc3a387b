package org.spindle.hyper.vmware.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.spindle.hyper.vmware.internal.VSphere.Datastore;
import org.spindle.hyper.vmware.internal.VSphere.Host;
import org.spindle.hyper.vmware.internal.VSphere.Vm;
import org.spindle.hyper.vmware.internal.VSphere.VmDisk;
import org.spindle.storage.api.attach.Attachment;

/**
 * What Spindle has in one vSphere cluster now, as vCenter reports it: the disks of Spindle volumes on the cluster's
 * VMs (found by their file names) and the datastores an interrupted attach left without their disk.
 */
final class SpindleDisks {
    private final VSphere vsphere;
    private final StaticDatastores statics;

    SpindleDisks(VSphere vsphere, StaticDatastores statics) {
        this.vsphere = vsphere;
        this.statics = statics;
    }

    private static final Pattern SPINDLE_DISK =
            Pattern.compile("\\[([^\\]]+)\\] spindle-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\\.vmdk");

    /**
     * Every disk of a Spindle volume on the cluster's VMs now, found by its file name: a managed volume's VMDK in
     * its own datastore {@code spindle-<hex id>}, a static one's in a configured datastore.
     */
    List<Attachment> attachments() {
        Map<String, String> hostNames = new HashMap<>();
        for (Host h : vsphere.hosts()) {
            hostNames.put(h.ref(), h.name());
        }
        List<Attachment> out = new ArrayList<>();
        for (Vm vm : vsphere.vms()) {
            for (VmDisk d : vsphere.disks(vm)) {
                Matcher m = SPINDLE_DISK.matcher(d.fileName());
                if (!m.matches()) {
                    continue;
                }
                UUID id = UUID.fromString(m.group(2));
                String ds = m.group(1);
                boolean managed = ds.equals(VolumeLayout.datastoreName(id));
                if (managed || statics.offers(ds)) {
                    out.add(new Attachment(id, vm.instanceUuid(), vm.name(), hostNames.getOrDefault(vm.hostRef(), ""), d.fileName(),
                            ds, managed));
                }
            }
        }
        out.addAll(halfMade(hostNames.keySet(), out));
        return out;
    }

    /**
     * Attaches a crash or a lost answer cut between the datastore and the disk: a Spindle datastore
     * {@code spindle-<hex id>} mounted on a host of this cluster whose volume's disk is on none of its VMs. Listed
     * with no VM and an empty device, so that a detach of it (which finds everything by the volume id) takes the
     * datastore's mounts and the static targets away.
     */
    private List<Attachment> halfMade(Set<String> hostRefs, List<Attachment> disks) {
        Set<UUID> onVms = new HashSet<>();
        disks.forEach(a -> onVms.add(a.volumeId()));
        List<Attachment> out = new ArrayList<>();
        for (Datastore ds : vsphere.datastores()) {
            Optional<UUID> id = VolumeLayout.volumeOf(ds.name());
            if (id.isPresent() && !onVms.contains(id.get()) && ds.mounts().stream().anyMatch(m -> hostRefs.contains(m.hostRef()))) {
                out.add(new Attachment(id.get(), "", "", "", "", ds.name(), true));
            }
        }
        return out;
    }

    /**
     * Where the volume's disk is on a VM of the cluster. A half-made attach (a datastore, no disk) is not an
     * attachment: {@link #attachments()} lists it for the core's sweep to detach, recovery must not take it for one.
     */
    Optional<Attachment> findAttachment(UUID volumeId) {
        return attachments().stream().filter(a -> a.volumeId().equals(volumeId) && !a.device().isEmpty()).findFirst();
    }
}
