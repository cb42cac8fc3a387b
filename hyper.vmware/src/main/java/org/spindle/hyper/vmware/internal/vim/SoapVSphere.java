package org.spindle.hyper.vmware.internal.vim;

import static org.spindle.hyper.vmware.internal.vim.Xml.children;
import static org.spindle.hyper.vmware.internal.vim.Xml.el;
import static org.spindle.hyper.vmware.internal.vim.Xml.ref;
import static org.spindle.hyper.vmware.internal.vim.Xml.text;
import static org.spindle.hyper.vmware.internal.vim.Xml.value;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.spindle.hyper.vmware.internal.VSphere;
import org.spindle.storage.api.Chap;
import org.spindle.storage.api.StorageException;
import org.w3c.dom.Element;

/**
 * {@link VSphere} over the SOAP API of a vCenter, for one cluster (or standalone host) of one datacenter.
 */
public final class SoapVSphere implements VSphere {
    private static final Set<String> SCSI_CONTROLLERS = Set.of("VirtualLsiLogicController", "VirtualLsiLogicSASController",
            "ParaVirtualSCSIController", "VirtualBusLogicController");

    private final VimConnection vim;
    private final Properties props;
    private final String datacenter;
    private final String computeResource;
    private final Duration taskTimeout;
    private final PerfQueries perf;

    public SoapVSphere(VimConnection vim, String datacenter, String computeResource, Duration taskTimeout) {
        this.vim = vim;
        this.props = new Properties(vim);
        this.datacenter = datacenter;
        this.computeResource = computeResource;
        this.taskTimeout = taskTimeout;
        this.perf = new PerfQueries(vim, props);
    }

    private MoRef find(String path, String field) {
        return vim.callForValue("FindByInventoryPath", vim.content().searchIndex(), value("inventoryPath", path))
                .map(Xml::moRef).orElseThrow(() -> new StorageException(StorageException.Reason.NOT_FOUND, field,
                        "vCenter has no " + path, null));
    }

    private MoRef datacenterRef() {
        return find(datacenter, "datacenter");
    }

    private MoRef computeResourceRef() {
        return find(datacenter + "/host/" + computeResource, "cluster");
    }

    @Override
    public List<Host> hosts() {
        List<MoRef> refs = props.read(computeResourceRef(), "host").flatMap(o -> o.get("host"))
                .map(v -> children(v, "ManagedObjectReference").stream().map(Xml::moRef).toList()).orElse(List.of());
        List<Host> hosts = new ArrayList<>();
        for (Properties.Obj h : props.read("HostSystem", refs, "name", "configManager.storageSystem",
                "configManager.datastoreSystem", "runtime.connectionState")) {
            MoRef ss = h.get("configManager.storageSystem").map(Xml::moRef).orElseThrow();
            String device = "";
            String iqn = "";
            Element info = props.read(ss, "storageDeviceInfo").flatMap(o -> o.get("storageDeviceInfo")).orElse(null);
            for (Element hba : children(info, "hostBusAdapter")) {
                if ("HostInternetScsiHba".equals(Xml.xsiType(hba)) && device.isEmpty()) {
                    device = text(hba, "device");
                    iqn = text(hba, "iScsiName");
                }
            }
            hosts.add(new Host(h.text("name"), h.ref().value(), ss.value(),
                    h.get("configManager.datastoreSystem").map(Xml::moRef).orElseThrow().value(), device, iqn,
                    "connected".equals(h.text("runtime.connectionState"))));
        }
        hosts.sort((a, b) -> a.name().compareTo(b.name()));
        return hosts;
    }

    private static MoRef storage(Host h) {
        return new MoRef("HostStorageSystem", h.storageSystem());
    }

    private static MoRef datastores(Host h) {
        return new MoRef("HostDatastoreSystem", h.datastoreSystem());
    }

    private Element deviceInfo(Host h) {
        return props.read(storage(h), "storageDeviceInfo").flatMap(o -> o.get("storageDeviceInfo")).orElseThrow(() ->
                new VimFault("ManagedObjectNotFound", "host " + h.name() + " has no storage system", null));
    }

    @Override
    public List<StaticTarget> staticTargets(Host host) {
        List<StaticTarget> out = new ArrayList<>();
        for (Element hba : children(deviceInfo(host), "hostBusAdapter")) {
            if (host.iscsiDevice().equals(text(hba, "device"))) {
                for (Element t : children(hba, "configuredStaticTarget")) {
                    out.add(new StaticTarget(text(t, "address"), (int) Xml.longText(t, "port", 3260), text(t, "iScsiName")));
                }
            }
        }
        return out;
    }

    @Override
    public void addStaticTarget(Host host, StaticTarget target, Chap chap) {
        Xml.El auth = el("authenticationProperties").add("chapAuthEnabled", chap != null);
        if (chap != null) {
            auth.add("chapName", chap.username()).add("chapSecret", chap.secret().reveal())
                    .add("chapAuthenticationType", "chapRequired").add("chapInherited", false);
            if (chap.isMutual()) {
                auth.add("mutualChapName", chap.targetUsername()).add("mutualChapSecret", chap.targetSecret().reveal())
                        .add("mutualChapAuthenticationType", "chapRequired").add("mutualChapInherited", false);
            }
        }
        vim.call("AddInternetScsiStaticTargets", storage(host), value("iScsiHbaDevice", host.iscsiDevice()),
                el("targets").add("address", target.address()).add("port", target.port()).add("iScsiName", target.iqn()).add(auth));
    }

    @Override
    public void removeStaticTarget(Host host, StaticTarget target) {
        vim.call("RemoveInternetScsiStaticTargets", storage(host), value("iScsiHbaDevice", host.iscsiDevice()),
                el("targets").add("address", target.address()).add("port", target.port()).add("iScsiName", target.iqn()));
    }

    @Override
    public void rescan(Host host) {
        vim.call("RescanHba", storage(host), value("hbaDevice", host.iscsiDevice()));
        vim.call("RescanVmfs", storage(host));
    }

    @Override
    public List<Disk> disks(Host host) {
        Element info = deviceInfo(host);
        Map<String, String> targetOfLun = new HashMap<>();
        Xml.child(info, "scsiTopology").ifPresent(topology -> {
            for (Element adapter : children(topology, "adapter")) {
                for (Element target : children(adapter, "target")) {
                    String iqn = Xml.child(target, "transport").map(t -> text(t, "iScsiName")).orElse("");
                    for (Element lun : children(target, "lun")) {
                        targetOfLun.put(text(lun, "scsiLun"), iqn);
                    }
                }
            }
        });
        List<Disk> out = new ArrayList<>();
        for (Element lun : children(info, "scsiLun")) {
            if ("HostScsiDisk".equals(Xml.xsiType(lun))) {
                long bytes = Xml.longText(lun, "capacity/block", 0) * Xml.longText(lun, "capacity/blockSize", 0);
                out.add(new Disk(text(lun, "canonicalName"), text(lun, "devicePath"), bytes,
                        targetOfLun.getOrDefault(text(lun, "key"), "")));
            }
        }
        return out;
    }

    @Override
    public Optional<Datastore> datastore(String name) {
        return datastores().stream().filter(d -> d.name().equals(name)).findFirst();
    }

    @Override
    public List<Datastore> datastores() {
        List<MoRef> refs = props.read(datacenterRef(), "datastore").flatMap(o -> o.get("datastore"))
                .map(v -> children(v, "ManagedObjectReference").stream().map(Xml::moRef).toList()).orElse(List.of());
        return props.read("Datastore", refs, "name", "summary.capacity", "info", "host").stream().map(SoapVSphere::datastoreOf)
                .toList();
    }

    private static Datastore datastoreOf(Properties.Obj ds) {
        String uuid = ds.get("info").flatMap(i -> Xml.child(i, "vmfs")).map(v -> text(v, "uuid")).orElse("");
        List<Mount> mounts = new ArrayList<>();
        ds.get("host").ifPresent(h -> {
            for (Element m : children(h)) {
                mounts.add(new Mount(Xml.child(m, "key").map(Xml::moRef).map(MoRef::value).orElse(""),
                        !"false".equals(text(m, "mountInfo/mounted")), "true".equals(text(m, "mountInfo/accessible"))));
            }
        });
        String capacity = ds.text("summary.capacity");
        long bytes;
        try {
            bytes = capacity.isEmpty() ? 0 : Long.parseLong(capacity);
        } catch (NumberFormatException e) {
            throw Xml.wrong(ds.values().get("summary.capacity"), "summary.capacity", "'" + ReplyLimit.clip(capacity) + "', not a whole number");
        }
        return new Datastore(ds.text("name"), ds.ref().value(), uuid, bytes, List.copyOf(mounts));
    }

    @Override
    public Datastore createVmfsDatastore(Host host, Disk disk, String name) {
        Element option = vim.callForValue("QueryVmfsDatastoreCreateOptions", datastores(host),
                value("devicePath", disk.devicePath()), value("vmfsMajorVersion", 6)).orElseThrow(() ->
                new VimFault("NotFound", "no VMFS create option for " + disk.canonicalName(), null));
        Element spec = Xml.child(option, "spec").orElseThrow();
        Xml.El created = VmfsSpec.withVolumeName(spec, name);
        MoRef ds = vim.callForValue("CreateVmfsDatastore", datastores(host), created).map(Xml::moRef).orElseThrow();
        return datastoreOf(props.read(ds, "name", "summary.capacity", "info", "host").orElseThrow());
    }

    @Override
    public boolean expandVmfsDatastore(Host host, Datastore datastore) {
        MoRef ds = new MoRef("Datastore", datastore.ref());
        Optional<Element> option = vim.callForValue("QueryVmfsDatastoreExpandOptions", datastores(host), ref("datastore", ds));
        if (option.isEmpty()) {
            return false;
        }
        Element spec = Xml.child(option.get(), "spec").orElseThrow(() -> new VimFault("InvalidResponse",
                "an expand option without a spec", null));
        vim.call("ExpandVmfsDatastore", datastores(host), ref("datastore", ds), VmfsSpec.asIs(spec));
        return true;
    }

    @Override
    public void mountVmfs(Host host, String vmfsUuid) {
        vim.call("MountVmfsVolume", storage(host), value("vmfsUuid", vmfsUuid));
    }

    @Override
    public void unmountVmfs(Host host, String vmfsUuid) {
        vim.call("UnmountVmfsVolume", storage(host), value("vmfsUuid", vmfsUuid));
    }

    @Override
    public void removeDatastore(Host host, Datastore datastore) {
        vim.call("RemoveDatastore", datastores(host), ref("datastore", new MoRef("Datastore", datastore.ref())));
    }

    @Override
    public List<Vm> vms() {
        List<Vm> out = new ArrayList<>();
        for (Properties.Obj vm : props.within(computeResourceRef(), "VirtualMachine", "name", "config.instanceUuid",
                "runtime.host", "runtime.powerState")) {
            out.add(new Vm(vm.ref().value(), vm.text("name"), vm.text("config.instanceUuid"), vm.text("runtime.host"),
                    "poweredOn".equals(vm.text("runtime.powerState"))));
        }
        return out;
    }

    private List<Element> devices(Vm vm) {
        return props.read(new MoRef("VirtualMachine", vm.ref()), "config.hardware.device")
                .flatMap(o -> o.get("config.hardware.device")).map(Xml::children).orElse(List.of());
    }

    @Override
    public List<VmDisk> disks(Vm vm) {
        List<VmDisk> out = new ArrayList<>();
        List<Element> devices = devices(vm);
        Map<Integer, Integer> buses = new HashMap<>();
        for (Element d : devices) {
            if (SCSI_CONTROLLERS.contains(Xml.xsiType(d))) {
                buses.put((int) Xml.longText(d, "key", 0), (int) Xml.longText(d, "busNumber", 0));
            }
        }
        for (Element d : devices) {
            if ("VirtualDisk".equals(Xml.xsiType(d))) {
                out.add(new VmDisk((int) Xml.longText(d, "key", 0), text(d, "backing/fileName"), Xml.longText(d, "capacityInKB", 0),
                        (int) Xml.longText(d, "controllerKey", 0), (int) Xml.longText(d, "unitNumber", -1),
                        Xml.longText(d, "storageIOAllocation/limit", -1), text(d, "storageIOAllocation/shares/level"),
                        (int) Xml.longText(d, "storageIOAllocation/shares/shares", 0),
                        buses.getOrDefault((int) Xml.longText(d, "controllerKey", 0), 0)));
            }
        }
        return out;
    }

    @Override
    public List<DiskFile> diskFiles() {
        List<DiskFile> out = new ArrayList<>();
        for (Properties.Obj vm : props.within(computeResourceRef(), "VirtualMachine", "name", "config.hardware.device")) {
            for (Element d : vm.get("config.hardware.device").map(Xml::children).orElse(List.of())) {
                if ("VirtualDisk".equals(Xml.xsiType(d))) {
                    out.add(new DiskFile(vm.ref().value(), vm.text("name"), text(d, "backing/fileName")));
                }
            }
        }
        return out;
    }

    @Override
    public Slot freeSlot(Vm vm) {
        List<Element> devices = devices(vm);
        Map<Integer, Set<Integer>> used = new HashMap<>();
        for (Element d : devices) {
            used.computeIfAbsent((int) Xml.longText(d, "controllerKey", 0), k -> new HashSet<>())
                    .add((int) Xml.longText(d, "unitNumber", -1));
        }
        for (Element d : devices) {
            if (SCSI_CONTROLLERS.contains(Xml.xsiType(d))) {
                int key = (int) Xml.longText(d, "key", 0);
                for (int unit = 0; unit < 16; unit++) {
                    if (unit != 7 && !used.getOrDefault(key, Set.of()).contains(unit)) {
                        return new Slot(key, unit);
                    }
                }
            }
        }
        throw new StorageException(StorageException.Reason.CAPACITY, "vm", "VM " + vm.name()
                + " has no free unit on a SCSI controller (15 disks per controller)", null);
    }

    @Override
    public void addDisk(Vm vm, String fileName, long capacityKb, Slot slot, long iopsLimit, int shares) {
        reconfig(vm, "add", "create", disk(-100, fileName, capacityKb, slot.controllerKey(), slot.unitNumber(), iopsLimit, shares));
    }

    @Override
    public void attachDisk(Vm vm, String fileName, long capacityKb, Slot slot, long iopsLimit, int shares) {
        reconfig(vm, "add", null, disk(-100, fileName, capacityKb, slot.controllerKey(), slot.unitNumber(), iopsLimit, shares));
    }

    @Override
    public void changeDisk(Vm vm, VmDisk d, long capacityKb, long iopsLimit, int shares) {
        reconfig(vm, "edit", null, disk(d.key(), d.fileName(), capacityKb, d.controllerKey(), d.unitNumber(), iopsLimit, shares));
    }

    @Override
    public void removeDisk(Vm vm, VmDisk d) {
        reconfig(vm, "remove", null, disk(d.key(), d.fileName(), d.capacityKb(), d.controllerKey(), d.unitNumber(), d.iopsLimit(),
                d.shares()));
    }

    private void reconfig(Vm vm, String operation, String fileOperation, Xml.El device) {
        Xml.El spec = el("spec").add(Xml.typed("deviceChange", "VirtualDeviceConfigSpec").add("operation", operation).add("fileOperation", fileOperation).add(device));
        MoRef task = vim.callForValue("ReconfigVM_Task", new MoRef("VirtualMachine", vm.ref()), spec).map(Xml::moRef).orElseThrow();
        props.await(task, taskTimeout);
    }

    private static Xml.El disk(int key, String fileName, long capacityKb, int controllerKey, int unit, long iopsLimit, int shares) {
        Xml.El sharesInfo = el("shares").add("shares", shares > 0 ? shares : 1000).add("level", shares > 0 ? "custom" : "normal");
        // deviceInfo is optional in the schema; vcsim 0.24 dereferences it on edit, so it is always sent
        return Xml.typed("device", "VirtualDisk").add("key", key)
                .add(el("deviceInfo").add("label", "Spindle disk").add("summary", ""))
                .add(Xml.typed("backing", "VirtualDiskFlatVer2BackingInfo").add("fileName", fileName).add("diskMode", "persistent")
                        .add("thinProvisioned", false))
                .add(el("connectable").add("startConnected", true).add("allowGuestControl", false).add("connected", true))
                .add("controllerKey", controllerKey).add("unitNumber", unit).add("capacityInKB", capacityKb)
                .add(el("storageIOAllocation").add("limit", iopsLimit > 0 ? iopsLimit : -1).add(sharesInfo));
    }

    @Override
    public int realtimeSeconds(Vm vm) {
        return perf.realtimeSeconds(new MoRef("VirtualMachine", vm.ref()));
    }

    @Override
    public List<DiskIo> diskIo(Vm vm, String instance, java.time.Instant after, int seconds) {
        return perf.query(new MoRef("VirtualMachine", vm.ref()), instance, after, seconds);
    }

    @Override
    public boolean fileExists(String fileName) {
        try {
            vim.call("QueryVirtualDiskUuid", vim.content().virtualDiskManager(), value("name", fileName),
                    ref("datacenter", datacenterRef()));
            return true;
        } catch (VimFault f) {
            if (f.is("FileNotFound") || f.is("NotFound")) {
                return false;
            }
            throw f;
        }
    }

    @Override
    public void createVirtualDisk(String fileName, long capacityKb) {
        MoRef task = vim.callForValue("CreateVirtualDisk_Task", vim.content().virtualDiskManager(), value("name", fileName),
                ref("datacenter", datacenterRef()), Xml.typed("spec", "FileBackedVirtualDiskSpec").add("diskType", "thin")
                        .add("adapterType", "lsiLogic").add("capacityKb", capacityKb)).map(Xml::moRef).orElseThrow();
        props.await(task, taskTimeout);
    }

    @Override
    public void deleteVirtualDisk(String fileName) {
        MoRef task = vim.callForValue("DeleteVirtualDisk_Task", vim.content().virtualDiskManager(), value("name", fileName),
                ref("datacenter", datacenterRef())).map(Xml::moRef).orElseThrow();
        props.await(task, taskTimeout);
    }

    @Override
    public void close() {
        vim.close();
    }
}
