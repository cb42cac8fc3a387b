package org.spindle.hyper.vmware.internal;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.spindle.storage.api.Chap;

/**
 * What the VMware attach service needs from vCenter, and nothing more: the cluster's hosts with their software
 * iSCSI adapters, static targets and rescans, VMFS datastores, VMs and their disks. One implementation speaks
 * the SOAP API ({@code internal.vim.SoapVSphere}); tests can hold the attach logic against a fake of this
 * interface without a server. Every call may fail with a {@code VimFault} or a {@code StorageException}.
 */
public interface VSphere extends AutoCloseable {

    /** A host of the cluster: its name, reference, managers and software iSCSI adapter (device "" when none). */
    record Host(String name, String ref, String storageSystem, String datastoreSystem, String iscsiDevice, String iqn,
                boolean connected) {
    }

    /** A static target of a host's iSCSI adapter (no credentials: vSphere never returns the secrets). */
    record StaticTarget(String address, int port, String iqn) {
    }

    /** A disk a host sees: canonical name (naa.…), device path, size, and the iSCSI target it came through. */
    record Disk(String canonicalName, String devicePath, long bytes, String targetIqn) {
    }

    /** How one host mounts a datastore. */
    record Mount(String hostRef, boolean mounted, boolean accessible) {
    }

    /** A datastore: name, reference, VMFS uuid ("" when not VMFS), capacity, and its mounts. */
    record Datastore(String name, String ref, String vmfsUuid, long capacityBytes, List<Mount> mounts) {
    }

    /** A VM: reference, name, instance UUID, host reference, power state. */
    record Vm(String ref, String name, String instanceUuid, String hostRef, boolean poweredOn) {
    }

    /**
     * A virtual disk of a VM: device key, the file ({@code [datastore] path.vmdk}), size, the controller and
     * unit it sits on, its IOPS limit (-1: none) and its shares (level and value).
     */
    record VmDisk(int key, String fileName, long capacityKb, int controllerKey, int unitNumber, long iopsLimit,
                  String sharesLevel, int shares, int busNumber) {
        /** The disk's instance in the performance manager's virtualDisk counters: {@code scsi<bus>:<unit>}. */
        public String perfInstance() {
            return "scsi" + busNumber + ":" + unitNumber;
        }
    }

    /**
     * One real-time sample of a virtual disk's counters (vCenter's {@code virtualDisk} group): the interval that
     * ended at {@code end} and lasted {@code seconds}, the average read and write commands per second, and the
     * average KB (1024 bytes) read and written per second; -1 where vCenter has no value for the interval.
     */
    record DiskIo(Instant end, int seconds, long readsPerSecond, long writesPerSecond, long readKBps, long writeKBps) {
    }

    /** A virtual disk of a VM of the cluster, by its file ({@code [datastore] path.vmdk}) only. */
    record DiskFile(String vmRef, String vmName, String fileName) {
        /** The datastore the file is in ("" when the name is not {@code [datastore] path}). */
        public String datastore() {
            int end = fileName.indexOf(']');
            return fileName.startsWith("[") && end > 0 ? fileName.substring(1, end) : "";
        }
    }

    /** Where a VM can take a new disk: a SCSI controller's key and a free unit number on it. */
    record Slot(int controllerKey, int unitNumber) {
    }

    List<Host> hosts();

    List<StaticTarget> staticTargets(Host host);

    void addStaticTarget(Host host, StaticTarget target, Chap chap);

    void removeStaticTarget(Host host, StaticTarget target);

    void rescan(Host host);

    List<Disk> disks(Host host);

    Optional<Datastore> datastore(String name);

    /** Every datastore of the datacenter. */
    List<Datastore> datastores();

    Datastore createVmfsDatastore(Host host, Disk disk, String name);

    /**
     * Grows a VMFS datastore over the rest of its disk (after the LUN grew and {@code host} rescanned); false when
     * vCenter offers no expansion (the disk is no larger than the datastore).
     */
    boolean expandVmfsDatastore(Host host, Datastore datastore);

    void mountVmfs(Host host, String vmfsUuid);

    void unmountVmfs(Host host, String vmfsUuid);

    void removeDatastore(Host host, Datastore datastore);

    List<Vm> vms();

    List<VmDisk> disks(Vm vm);

    /** The disk files of every VM of the cluster, read in one retrieval (not a call per VM). */
    List<DiskFile> diskFiles();

    Slot freeSlot(Vm vm);

    /** Adds a new disk file of {@code capacityKb} in the datastore, with its limit and shares. */
    void addDisk(Vm vm, String fileName, long capacityKb, Slot slot, long iopsLimit, int shares);

    /** Adds an existing disk file. */
    void attachDisk(Vm vm, String fileName, long capacityKb, Slot slot, long iopsLimit, int shares);

    void changeDisk(Vm vm, VmDisk disk, long capacityKb, long iopsLimit, int shares);

    /** Removes the disk from the VM; the file stays. */
    void removeDisk(Vm vm, VmDisk disk);

    /** The seconds of one real-time performance sample of the VM (vCenter's refresh rate, 20 on vSphere). */
    int realtimeSeconds(Vm vm);

    /**
     * The real-time samples vCenter holds for the VM's disk instance ({@code scsi0:1}) that ended after
     * {@code after} (all it holds when null), oldest first, at {@code seconds} per sample.
     */
    List<DiskIo> diskIo(Vm vm, String instance, Instant after, int seconds);

    boolean fileExists(String fileName);

    /** Creates a thin virtual disk file of {@code capacityKb} ({@code [datastore] path.vmdk}). */
    void createVirtualDisk(String fileName, long capacityKb);

    /** Deletes a virtual disk file. */
    void deleteVirtualDisk(String fileName);

    @Override
    void close();
}
