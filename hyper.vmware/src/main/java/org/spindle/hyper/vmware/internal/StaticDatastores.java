package org.spindle.hyper.vmware.internal;

import java.util.List;
import java.util.Optional;

import org.spindle.hyper.vmware.internal.VSphere.Vm;
import org.spindle.hyper.vmware.internal.VSphere.VmDisk;
import org.spindle.hyper.vmware.internal.vim.VimFault;
import org.spindle.storage.api.Protocols;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.attach.AttachRequest;
import org.spindle.storage.api.attach.Attachment;
import org.spindle.storage.api.attach.StaticDiskRequest;

/**
 * Volumes in datastores the operator made (named in the configuration's {@code structures}): each volume is one
 * thin VMDK {@code [datastore] spindle-<volume id>.vmdk}, created and deleted through the virtual disk manager, and
 * attached to a VM like a managed volume's disk (with the same limit and shares), without touching any host's
 * storage configuration.
 */
final class StaticDatastores {
    private final VSphere vsphere;
    private final List<String> structures;

    StaticDatastores(VSphere vsphere, List<String> structures) {
        this.vsphere = vsphere;
        this.structures = List.copyOf(structures);
    }

    boolean offers(String datastore) {
        return structures.contains(datastore);
    }

    static String file(String datastore, java.util.UUID volumeId) {
        return "[" + datastore + "] " + VolumeLayout.PREFIX + volumeId + ".vmdk";
    }

    Target createDisk(StaticDiskRequest r) {
        if (!structures.contains(r.structure())) {
            throw StorageException.invalid("structure", "'" + r.structure() + "' is not one of this service's datastores "
                    + structures);
        }
        if (vsphere.datastore(r.structure()).isEmpty()) {
            throw new StorageException(StorageException.Reason.NOT_FOUND, "structure", "vCenter lists no datastore "
                    + r.structure(), null);
        }
        String file = file(r.structure(), r.volumeId());
        if (!vsphere.fileExists(file)) {
            vsphere.createVirtualDisk(file, Math.max(1, (r.sizeBytes() + 1023) / 1024));
        }
        return new Target(Protocols.FILE, List.of(), file, 0, null, null);
    }

    void deleteDisk(Target disk) {
        String file = checked(disk);
        try {
            vsphere.deleteVirtualDisk(file);
        } catch (VimFault f) {
            if (!f.is("FileNotFound") && !f.is("NotFound")) {
                throw f;
            }
        }
    }

    /** The disk file a static target names, refused unless it is a Spindle disk in one of the configured datastores. */
    String checked(Target disk) {
        if (!Protocols.FILE.equals(disk.protocol())) {
            throw StorageException.invalid("target.protocol", "a static vSphere disk is a file (was " + disk.protocol() + ")");
        }
        for (String ds : structures) {
            if (disk.name().startsWith("[" + ds + "] " + VolumeLayout.PREFIX) && disk.name().endsWith(".vmdk")) {
                return disk.name();
            }
        }
        throw StorageException.invalid("target.name", "'" + disk.name() + "' is not a Spindle disk in " + structures);
    }

    Attachment attach(AttachRequest request, Vm vm) {
        String file = checked(request.target());
        if (!file.equals(file(file.substring(1, file.indexOf(']')), request.volumeId()))) {
            throw StorageException.invalid("target.name", "'" + file + "' is not volume " + request.volumeId() + "'s disk");
        }
        if (!vsphere.fileExists(file)) {
            throw new StorageException(StorageException.Reason.NOT_FOUND, "target", "no disk file " + file, null);
        }
        long limit = VolumeLayout.iopsLimit(request.limits());
        int shares = VolumeLayout.shares(request.limits());
        Optional<VmDisk> present = disk(vm, file);
        if (present.isEmpty()) {
            vsphere.attachDisk(vm, file, Math.max(1, (request.sizeBytes() + 1023) / 1024), vsphere.freeSlot(vm), limit, shares);
        } else if (present.get().iopsLimit() != limit) {
            vsphere.changeDisk(vm, present.get(), present.get().capacityKb(), limit, shares);
        }
        disk(vm, file).orElseThrow(() -> new StorageException(StorageException.Reason.BACKEND_FAILURE,
                "VM " + vm.name() + " does not show disk " + file + " after adding it"));
        return new Attachment(request.volumeId(), vm.instanceUuid(), vm.name(), "", file, file.substring(1, file.indexOf(']')), false);
    }

    void detach(Vm vm, String file) {
        if (vm != null) {
            disk(vm, file).ifPresent(d -> vsphere.removeDisk(vm, d));
        }
    }

    private Optional<VmDisk> disk(Vm vm, String file) {
        return vsphere.disks(vm).stream().filter(d -> d.fileName().equals(file)).findFirst();
    }
}
