package org.spindle.hyper.vmware.internal;

import java.util.List;

import org.spindle.hyper.vmware.internal.VSphere.Datastore;
import org.spindle.hyper.vmware.internal.VSphere.Host;
import org.spindle.hyper.vmware.internal.VSphere.StaticTarget;
import org.spindle.hyper.vmware.internal.VSphere.Vm;
import org.spindle.hyper.vmware.internal.VSphere.VmDisk;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.attach.Attachment;
import org.spindle.storage.api.qos.IoLimits;

/**
 * Keeping an attached volume right when the cluster or the volume changes: a host that joined gets the volume's
 * static target and mount, a grown SAN volume grows the datastore and the VMDK, new limits go to the disk.
 */
final class ClusterUpkeep {
    private final VSphere vsphere;
    private final VmwareCluster cluster;

    ClusterUpkeep(VSphere vsphere, VmwareCluster cluster) {
        this.vsphere = vsphere;
        this.cluster = cluster;
    }

    /**
     * Brings an attached volume to the cluster's current hosts: the static target (with the target's CHAP) and a
     * rescan on every host that lacks it, and the datastore mounted there. Hosts that left are out of vCenter's
     * cluster and keep nothing Spindle can reach.
     */
    Attachment updateHosts(Attachment attachment, Target target) {
        StaticTarget t = VmwareCluster.staticTarget(target);
        List<Host> hosts = cluster.hostsWithIscsi();
        for (Host h : hosts) {
            if (!vsphere.staticTargets(h).contains(t)) {
                vsphere.addStaticTarget(h, t, target.chap());
                vsphere.rescan(h);
            }
        }
        String dsName = VolumeLayout.datastoreName(attachment.volumeId());
        Datastore ds = vsphere.datastore(dsName).orElseThrow(() -> new StorageException(StorageException.Reason.NOT_FOUND,
                "volume", "vCenter lists no datastore " + dsName, null));
        cluster.mountEverywhere(hosts, ds);
        Vm vm = cluster.vm(attachment.vmId());
        return new Attachment(attachment.volumeId(), vm.instanceUuid(), vm.name(), cluster.info(vm).host(), attachment.device(),
                dsName, true);
    }

    /**
     * The SAN volume grew to {@code newSizeBytes}: every host rescans, the datastore is expanded over the grown
     * LUN (from the VM's host), and the VMDK grows to fill it again. Idempotent: a datastore that already fills the
     * LUN is not expanded again, a disk that already fills the datastore is left as it is.
     */
    void grow(Attachment attachment, long newSizeBytes) {
        if (!attachment.managed()) {
            Vm vm = cluster.vm(attachment.vmId());
            VmDisk d = cluster.disk(vm, attachment.device()).orElseThrow(() -> new StorageException(StorageException.Reason.NOT_FOUND,
                    "volume", "VM " + vm.name() + " has no disk " + attachment.device(), null));
            long kb = (newSizeBytes + 1023) / 1024;
            if (kb > d.capacityKb()) {
                vsphere.changeDisk(vm, d, kb, d.iopsLimit(), "custom".equals(d.sharesLevel()) ? d.shares() : 0);
            }
            return;
        }
        List<Host> hosts = cluster.hostsWithIscsi();
        for (Host h : hosts) {
            vsphere.rescan(h);
        }
        Vm vm = cluster.vm(attachment.vmId());
        String dsName = VolumeLayout.datastoreName(attachment.volumeId());
        Datastore ds = vsphere.datastore(dsName).orElseThrow(() -> new StorageException(StorageException.Reason.NOT_FOUND,
                "volume", "vCenter lists no datastore " + dsName, null));
        Host vmHost = hosts.stream().filter(h -> h.ref().equals(vm.hostRef())).findFirst().orElse(hosts.get(0));
        if (ds.capacityBytes() < newSizeBytes) {
            vsphere.expandVmfsDatastore(vmHost, ds);
            ds = vsphere.datastore(dsName).orElseThrow();
        }
        if (ds.capacityBytes() < newSizeBytes) {
            throw new StorageException(StorageException.Reason.BACKEND_FAILURE, "size", "datastore " + dsName + " holds "
                    + ds.capacityBytes() + " bytes after the rescan and expansion, the SAN volume " + newSizeBytes
                    + " (does host " + vmHost.name() + " see the grown LUN?)", null);
        }
        String file = VolumeLayout.vmdkPath(attachment.volumeId());
        VmDisk d = cluster.disk(vm, file).orElseThrow(() -> new StorageException(StorageException.Reason.NOT_FOUND, "volume",
                "VM " + vm.name() + " has no disk " + file, null));
        long kb = VolumeLayout.vmdkKb(ds.capacityBytes());
        if (kb > d.capacityKb()) {
            vsphere.changeDisk(vm, d, kb, d.iopsLimit(), "custom".equals(d.sharesLevel()) ? d.shares() : 0);
        }
    }

    /** The disk's limit and shares as vCenter has them now, as Spindle limits (see {@link VolumeLayout#limitsOf}). */
    IoLimits limits(Attachment attachment) {
        Vm vm = cluster.vm(attachment.vmId());
        String file = VmwareCluster.fileOf(attachment);
        VmDisk d = cluster.disk(vm, file).orElseThrow(() -> new StorageException(StorageException.Reason.NOT_FOUND, "volume",
                "VM " + vm.name() + " has no disk " + file, null));
        return VolumeLayout.limitsOf(d.iopsLimit(), d.sharesLevel(), d.shares());
    }

    /** Sets the disk's limit and shares live, and reads them back. */
    void changeLimits(Attachment attachment, IoLimits limits) {
        VmwareCluster.checkLimits(limits);
        Vm vm = cluster.vm(attachment.vmId());
        String file = VmwareCluster.fileOf(attachment);
        VmDisk d = cluster.disk(vm, file).orElseThrow(() -> new StorageException(StorageException.Reason.NOT_FOUND, "volume",
                "VM " + vm.name() + " has no disk " + file, null));
        long limit = VolumeLayout.iopsLimit(limits);
        int shares = VolumeLayout.shares(limits);
        vsphere.changeDisk(vm, d, d.capacityKb(), limit, shares);
        VmDisk after = cluster.disk(vm, file).orElseThrow();
        if (after.iopsLimit() != limit || (shares > 0 && after.shares() != shares)) {
            throw new StorageException(StorageException.Reason.BACKEND_FAILURE, "qos", "vCenter kept IOPS limit "
                    + after.iopsLimit() + " and shares " + after.shares() + " on " + file + " (asked " + limit + ", " + shares + ")",
                    null);
        }
    }
}
