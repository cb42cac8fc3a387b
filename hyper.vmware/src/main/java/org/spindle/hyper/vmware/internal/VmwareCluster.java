package org.spindle.hyper.vmware.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spindle.hyper.vmware.internal.VSphere.Datastore;
import org.spindle.hyper.vmware.internal.VSphere.Disk;
import org.spindle.hyper.vmware.internal.VSphere.Host;
import org.spindle.hyper.vmware.internal.VSphere.Mount;
import org.spindle.hyper.vmware.internal.VSphere.StaticTarget;
import org.spindle.hyper.vmware.internal.VSphere.Vm;
import org.spindle.hyper.vmware.internal.VSphere.VmDisk;
import org.spindle.hyper.vmware.internal.vim.VimFault;
import org.spindle.storage.api.Portal;
import org.spindle.storage.api.Protocols;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.attach.AttachProperties;
import org.spindle.storage.api.attach.AttachRequest;
import org.spindle.storage.api.attach.Attachment;
import org.spindle.storage.api.attach.VmInfo;
import org.spindle.storage.api.qos.IoLimits;

/**
 * Managed iSCSI volumes on one vSphere cluster: every step finds what an earlier, interrupted call made (by the
 * names {@link VolumeLayout} derives from the volume id), so attach and detach can be repeated until they converge.
 *
 * <p>Attach: on every host the target as a static target with CHAP, and a rescan; the LUN by its device id
 * (or, without one, by the target in the SCSI topology); one VMFS datastore on it, mounted on every host; one VMDK
 * filling it, added to the VM with its IOPS limit and shares. A failure takes back what this volume has in
 * vSphere. Detach, in the order vSphere needs: the disk off the VM (its file stays: it is the volume's data), the
 * VMFS volume unmounted on every host, the static targets removed, a rescan.
 */
public final class VmwareCluster {
    private static final Logger LOG = LoggerFactory.getLogger(VmwareCluster.class);

    private final VSphere vsphere;
    private final String name;
    private final StaticDatastores statics;
    private final ClusterUpkeep upkeep;
    private final SpindleDisks disks;
    private final DatastoreLeftovers leftovers;

    public VmwareCluster(VSphere vsphere, String name) {
        this(vsphere, name, List.of());
    }

    public VmwareCluster(VSphere vsphere, String name, List<String> staticDatastores) {
        this.vsphere = vsphere;
        this.name = name;
        this.statics = new StaticDatastores(vsphere, staticDatastores);
        this.upkeep = new ClusterUpkeep(vsphere, this);
        this.disks = new SpindleDisks(vsphere, statics);
        this.leftovers = new DatastoreLeftovers(vsphere, name);
    }

    /** The datastores no disk uses, as the service publishes them. */
    DatastoreLeftovers leftovers() {
        return leftovers;
    }

    public Target createDisk(org.spindle.storage.api.attach.StaticDiskRequest request) {
        return statics.createDisk(request);
    }

    public void deleteDisk(Target disk) {
        statics.deleteDisk(disk);
    }

    /** See {@link SpindleDisks#attachments}. */
    public List<Attachment> attachments() {
        return disks.attachments();
    }

    /** See {@link SpindleDisks#findAttachment}. */
    public Optional<Attachment> findAttachment(UUID volumeId) {
        return disks.findAttachment(volumeId);
    }

    /** See {@link ClusterUpkeep#limits}. */
    public IoLimits limits(Attachment attachment) {
        return upkeep.limits(attachment);
    }

    /** The disk's file: the recorded device, or for a managed volume without one the name its id gives. */
    static String fileOf(Attachment attachment) {
        return attachment.device().isEmpty() && attachment.managed() ? VolumeLayout.vmdkPath(attachment.volumeId())
                : attachment.device();
    }

    public Optional<VmInfo> findVm(String idOrName) {
        if (idOrName == null || idOrName.isBlank()) {
            throw StorageException.invalid("vm", "must be a VM's instance UUID, managed object id or name");
        }
        List<Vm> byId = new ArrayList<>();
        List<Vm> byName = new ArrayList<>();
        for (Vm vm : vsphere.vms()) {
            if (vm.instanceUuid().equalsIgnoreCase(idOrName) || vm.ref().equals(idOrName)) {
                byId.add(vm);
            } else if (vm.name().equals(idOrName)) {
                byName.add(vm);
            }
        }
        List<Vm> found = byId.isEmpty() ? byName : byId;
        if (found.size() > 1) {
            throw new StorageException(StorageException.Reason.CONFLICT, "vm", found.size() + " VMs in cluster " + name
                    + " are named '" + idOrName + "': give the instance UUID", null);
        }
        return found.stream().findFirst().map(this::info);
    }

    VmInfo info(Vm vm) {
        String host = vsphere.hosts().stream().filter(h -> h.ref().equals(vm.hostRef())).map(Host::name).findFirst().orElse("");
        return new VmInfo(vm.instanceUuid(), vm.name(), host, vm.poweredOn());
    }

    Vm vm(String id) {
        return vsphere.vms().stream().filter(v -> v.instanceUuid().equalsIgnoreCase(id) || v.ref().equals(id)).findFirst()
                .orElseThrow(() -> new StorageException(StorageException.Reason.NOT_FOUND, "vm", "cluster " + name
                        + " has no VM " + id, null));
    }

    static StaticTarget staticTarget(Target target) {
        if (!Protocols.ISCSI.equals(target.protocol())) {
            throw StorageException.invalid("target.protocol", "vSphere attaches iscsi targets here (was " + target.protocol() + ")");
        }
        Portal p = target.portal();
        return new StaticTarget(p.host(), p.port(), target.name());
    }

    /** Refuses limits a vSphere disk cannot enforce: it has one IOPS limit over reads and writes, and shares. */
    static void checkLimits(IoLimits limits) {
        if (limits.hasBytes()) {
            throw new StorageException(StorageException.Reason.QOS_REFUSED, "qos", "vSphere limits a disk in IOPS only "
                    + "(storageIOAllocation.limit): a bandwidth cap cannot be enforced on VMware", null);
        }
        if (limits.hasSplit()) {
            throw new StorageException(StorageException.Reason.QOS_REFUSED, "qos", "vSphere limits reads and writes "
                    + "together: give a total IOPS limit, not separate read and write ones", null);
        }
        if (limits.hasBurst() || limits.hasBurstLength()) {
            throw new StorageException(StorageException.Reason.QOS_REFUSED, "qos", "vSphere has no burst above a disk's "
                    + "IOPS limit", null);
        }
    }

    List<Host> hostsWithIscsi() {
        List<Host> hosts = vsphere.hosts();
        if (hosts.isEmpty()) {
            throw new StorageException(StorageException.Reason.UNAVAILABLE, "cluster", "cluster " + name + " has no host", null);
        }
        for (Host h : hosts) {
            if (h.iscsiDevice().isEmpty()) {
                throw new StorageException(StorageException.Reason.UNAVAILABLE, "cluster", "host " + h.name() + " of cluster "
                        + name + " has no software iSCSI adapter: enable it before attaching", null);
            }
        }
        return hosts;
    }

    public Attachment attach(AttachRequest request) {
        leftovers.attaching(request.volumeId());
        try {
            return attachTracked(request);
        } finally {
            leftovers.attachEnded(request.volumeId());
        }
    }

    private Attachment attachTracked(AttachRequest request) {
        checkLimits(request.limits());
        if (!request.managed()) {
            Vm vm = vm(request.vm().id());
            Attachment a = statics.attach(request, vm);
            return new Attachment(a.volumeId(), a.vmId(), a.vmName(), info(vm).host(), a.device(), a.structure(), false);
        }
        StaticTarget target = staticTarget(request.target());
        Vm vm = vm(request.vm().id());
        try {
            return attach(request, target, vm);
        } catch (RuntimeException e) {
            LOG.warn("attach of volume {} to VM {} failed ({}); taking back what it made", request.volumeId(), vm.name(),
                    e.getMessage());
            try {
                detach(request.volumeId(), vm, target);
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private Attachment attach(AttachRequest request, StaticTarget target, Vm vm) {
        UUID id = request.volumeId();
        List<Host> hosts = hostsWithIscsi();
        for (Host h : hosts) {
            if (!vsphere.staticTargets(h).contains(target)) {
                vsphere.addStaticTarget(h, target, request.target().chap());
            }
            vsphere.rescan(h);
        }
        Host vmHost = hosts.stream().filter(h -> h.ref().equals(vm.hostRef())).findFirst().orElseThrow(() ->
                new StorageException(StorageException.Reason.UNAVAILABLE, "vm", "VM " + vm.name() + " runs on a host outside cluster "
                        + name, null));
        String dsName = VolumeLayout.datastoreName(id);
        Datastore ds = vsphere.datastore(dsName).orElse(null);
        if (ds == null) {
            Disk disk = lun(vmHost, request.target());
            ds = vsphere.createVmfsDatastore(vmHost, disk, dsName);
            for (Host h : hosts) {
                vsphere.rescan(h);
            }
            ds = vsphere.datastore(dsName).orElseThrow(() -> new StorageException(StorageException.Reason.BACKEND_FAILURE,
                    "vCenter does not list datastore " + dsName + " it just created"));
        }
        mountEverywhere(hosts, ds);
        ds = accessibleEverywhere(hosts, dsName);

        String file = VolumeLayout.vmdkPath(id);
        long limit = VolumeLayout.iopsLimit(request.limits());
        int shares = VolumeLayout.shares(request.limits());
        Optional<VmDisk> present = disk(vm, file);
        if (present.isEmpty()) {
            if (vsphere.fileExists(file)) {
                long kb = VolumeLayout.vmdkKb(ds.capacityBytes());
                vsphere.attachDisk(vm, file, kb, vsphere.freeSlot(vm), limit, shares);
            } else {
                vsphere.addDisk(vm, file, VolumeLayout.vmdkKb(ds.capacityBytes()), vsphere.freeSlot(vm), limit, shares);
            }
        } else if (present.get().iopsLimit() != limit || present.get().shares() != shares && shares != 0) {
            vsphere.changeDisk(vm, present.get(), present.get().capacityKb(), limit, shares);
        }
        VmDisk attached = disk(vm, file).orElseThrow(() -> new StorageException(StorageException.Reason.BACKEND_FAILURE,
                "VM " + vm.name() + " does not show disk " + file + " after adding it"));
        LOG.info("volume {} attached to VM {} as {} (IOPS limit {}, shares {})", id, vm.name(), file, attached.iopsLimit(),
                attached.shares());
        return new Attachment(id, vm.instanceUuid(), vm.name(), info(vm).host(), file, dsName, true);
    }

    /** The LUN of the target as {@code host} sees it: by device id when the SAN gave one, else by the target's IQN. */
    private Disk lun(Host host, Target target) {
        List<Disk> disks = vsphere.disks(host);
        Optional<Disk> found = target.deviceId() != null
                ? disks.stream().filter(d -> d.canonicalName().equals(target.deviceId())).findFirst()
                : disks.stream().filter(d -> d.targetIqn().equals(target.name())).findFirst();
        return found.orElseThrow(() -> new StorageException(StorageException.Reason.UNAVAILABLE, "target",
                "host " + host.name() + " does not see " + (target.deviceId() != null ? "device " + target.deviceId()
                        : "a disk of target " + target.name()) + " after a rescan (is its initiator " + host.iqn()
                        + " granted access, is the CHAP right?)", null));
    }

    /** How many more rescans a host that does not reach the datastore gets before the attach gives up. */
    private static final int RESCANS = 2;

    /**
     * The datastore once every host mounts it and reaches it: a host whose rescan found no path to the LUN (a login
     * that failed for the moment) is rescanned again, up to {@value #RESCANS} times, then the attach is refused
     * naming the hosts, rather than leave the volume off part of the cluster.
     */
    private Datastore accessibleEverywhere(List<Host> hosts, String dsName) {
        for (int attempt = 0; ; attempt++) {
            Datastore ds = vsphere.datastore(dsName).orElseThrow(() -> new StorageException(StorageException.Reason.BACKEND_FAILURE,
                    "vCenter no longer lists datastore " + dsName));
            List<Host> missing = hosts.stream().filter(h -> ds.mounts().stream()
                    .noneMatch(m -> m.hostRef().equals(h.ref()) && m.mounted() && m.accessible())).toList();
            if (missing.isEmpty()) {
                return ds;
            }
            if (attempt == RESCANS) {
                throw new StorageException(StorageException.Reason.UNAVAILABLE, "target", "host(s) "
                        + missing.stream().map(Host::name).toList() + " do not reach datastore " + dsName + " after "
                        + (RESCANS + 1) + " rescans (is the initiator granted, is the CHAP right?)", null);
            }
            LOG.info("datastore {} not reached on {}: rescanning them", dsName, missing.stream().map(Host::name).toList());
            missing.forEach(vsphere::rescan);
            mountEverywhere(hosts, vsphere.datastore(dsName).orElse(ds));
        }
    }

    void mountEverywhere(List<Host> hosts, Datastore ds) {
        for (Host h : hosts) {
            for (Mount m : ds.mounts()) {
                if (m.hostRef().equals(h.ref()) && !m.mounted()) {
                    vsphere.mountVmfs(h, ds.vmfsUuid());
                }
            }
        }
    }

    Optional<VmDisk> disk(Vm vm, String file) {
        return vsphere.disks(vm).stream().filter(d -> d.fileName().equals(file)).findFirst();
    }

    /**
     * Detaches; an attachment of vm {@value AttachProperties#NO_VM} is a leftover datastore (see
     * {@link DatastoreLeftovers}): only its structure is removed, only if no disk uses it ({@link #clearLeftover}).
     */
    public void detach(Attachment attachment, Target target) {
        boolean leftover = AttachProperties.NO_VM.equals(attachment.vmId());
        Vm vm = leftover ? null : vsphere.vms().stream().filter(v -> v.instanceUuid().equalsIgnoreCase(attachment.vmId())
                || v.ref().equals(attachment.vmId())).findFirst().orElse(null);
        if (!attachment.managed()) {
            statics.detach(vm, statics.checked(target));
            return;
        }
        if (target == null) {
            LOG.warn("detach of volume {}: no target given, so the hosts' static targets of it stay (their address is not "
                    + "known here)", attachment.volumeId());
        }
        StaticTarget st = target == null ? null : staticTarget(target);
        Runnable pass = leftover ? () -> clearLeftover(attachment.volumeId(), st) : () -> detach(attachment.volumeId(), vm, st);
        try {
            pass.run();
        } catch (StorageException e) {
            if (e.reason() != StorageException.Reason.UNAVAILABLE) {
                throw e;
            }
            // a call whose reply was lost may have acted (the disk removed, a target gone): one more pass over what is
            // left, rather than leave the volume recorded ATTACHED with its disk gone
            LOG.warn("detach of volume {}: {}; one more pass over what is left", attachment.volumeId(), e.getMessage());
            try {
                pass.run();
            } catch (RuntimeException again) {
                again.addSuppressed(e);
                throw again;
            }
        }
    }

    /**
     * Removes a leftover datastore as {@link #detach(UUID, Vm, StaticTarget)} does (no disk: unmounted on every host,
     * the static targets off, a rescan; the data on the LUN stays), after reading right before that nothing uses it. A
     * disk on it is never touched, whatever its VM: the clearing is refused ({@code CONFLICT} naming the VM) and the
     * line leaves the published drift at the next check.
     */
    private void clearLeftover(UUID id, StaticTarget target) {
        leftovers.inUse(id).ifPresent(why -> {
            throw new StorageException(StorageException.Reason.CONFLICT, "volume", "datastore " + VolumeLayout.datastoreName(id)
                    + " is no leftover: " + why + "; nothing was removed", null);
        });
        detach(id, null, target);
    }

    /** Removes what this volume has in vSphere, whatever of it exists, in vSphere's order. */
    private void detach(UUID id, Vm vm, StaticTarget target) {
        String file = VolumeLayout.vmdkPath(id);
        if (vm != null) {
            Optional<VmDisk> d = disk(vm, file);
            if (d.isPresent()) {
                vsphere.removeDisk(vm, d.get());
            }
        }
        List<Host> hosts = vsphere.hosts();
        Optional<Datastore> ds = vsphere.datastore(VolumeLayout.datastoreName(id));
        if (ds.isPresent()) {
            for (Host h : hosts) {
                for (Mount m : ds.get().mounts()) {
                    if (m.hostRef().equals(h.ref()) && m.mounted()) {
                        unmount(h, ds.get());
                    }
                }
            }
        }
        for (Host h : hosts) {
            if (target != null && !h.iscsiDevice().isEmpty() && vsphere.staticTargets(h).contains(target)) {
                vsphere.removeStaticTarget(h, target);
            }
        }
        for (Host h : hosts) {
            if (!h.iscsiDevice().isEmpty()) {
                vsphere.rescan(h);
            }
        }
    }

    private void unmount(Host h, Datastore ds) {
        try {
            vsphere.unmountVmfs(h, ds.vmfsUuid());
        } catch (VimFault f) {
            if (f.is("ResourceInUse")) {
                throw new StorageException(StorageException.Reason.BUSY, "volume", "datastore " + ds.name() + " on host "
                        + h.name() + " is still used by a VM (another disk or file on it)", f);
            }
            if (!f.is("InvalidState") && !f.is("NotFound")) {
                throw f;
            }
        }
    }

    /** See {@link ClusterUpkeep#updateHosts}. */
    public Attachment updateHosts(Attachment attachment, Target target) {
        return upkeep.updateHosts(attachment, target);
    }

    /** See {@link ClusterUpkeep#grow}. */
    public void grow(Attachment attachment, long newSizeBytes) {
        upkeep.grow(attachment, newSizeBytes);
    }

    /** See {@link ClusterUpkeep#changeLimits}. */
    public void changeLimits(Attachment attachment, IoLimits limits) {
        upkeep.changeLimits(attachment, limits);
    }
}
