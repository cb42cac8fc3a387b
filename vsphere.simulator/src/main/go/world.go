package main

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"
)

// world is the state the iSCSI and VMFS extensions share across hosts: which disks each host sees through its
// software iSCSI adapter, and the VMFS volumes made on those disks (one datastore each, mounted on every host
// that sees the disk). One lock serialises every change, so a model is never seen half-updated.
type world struct {
	mu        sync.Mutex
	dir       string
	iqnPrefix string
	prober    prober
	hosts     map[string]*hostState // by HostSystem moref value
	volumes   map[string]*vmfsVolume // by VMFS uuid
	next      int
}

type hostState struct {
	host      *simulator.HostSystem
	storage   *iscsiStorage
	datastore *vmfsDatastores
	hba       *types.HostInternetScsiHba
	disks     map[string]seenDisk // by NAA hex
	unmounted map[string]bool     // VMFS uuids unmounted on this host
}

// seenDisk is a LUN found by the last rescan of a static target.
type seenDisk struct {
	info    lunInfo
	target  string
	address string
}

type vmfsVolume struct {
	uuid      string
	name      string
	naa       string
	capacity  int64
	datastore *simulator.Datastore
}

func newWorld(dir, iqnPrefix string, p prober) *world {
	return &world{dir: dir, iqnPrefix: iqnPrefix, prober: p,
		hosts: map[string]*hostState{}, volumes: map[string]*vmfsVolume{}}
}

const softwareHba = "vmhba65"

// install gives every host of the inventory its own storage device info with a software iSCSI adapter, and
// replaces its storage and datastore systems by the extended ones.
func (w *world) install() {
	for _, e := range simulator.Map.All("HostSystem") {
		host := e.(*simulator.HostSystem)
		state := &hostState{host: host, disks: map[string]seenDisk{}, unmounted: map[string]bool{}}
		base := simulator.Map.Get(*host.ConfigManager.StorageSystem).(*simulator.HostStorageSystem)
		info := *base.StorageDeviceInfo // the library shares one value between hosts: copy it
		state.hba = &types.HostInternetScsiHba{
			HostHostBusAdapter: types.HostHostBusAdapter{
				Key: "key-vim.host.InternetScsiHba-" + softwareHba, Device: softwareHba,
				Status: "online", Model: "iSCSI Software Adapter", Driver: "iscsi_vmk",
			},
			IsSoftwareBased: true,
			DiscoveryCapabilities: types.HostInternetScsiHbaDiscoveryCapabilities{
				SendTargetsDiscoverySettable: true, StaticTargetDiscoverySettable: true,
			},
			AuthenticationCapabilities: types.HostInternetScsiHbaAuthenticationCapabilities{
				ChapAuthSettable: true, TargetChapSettable: types.NewBool(true),
				TargetMutualChapSettable: types.NewBool(true), MutualChapSettable: types.NewBool(true),
			},
			AuthenticationProperties: types.HostInternetScsiHbaAuthenticationProperties{ChapAuthEnabled: false},
			IScsiName:                fmt.Sprintf("%s-%s", w.iqnPrefix, strings.ToLower(strings.ReplaceAll(host.Name, "_", "-"))),
		}
		info.HostBusAdapter = append(append([]types.BaseHostHostBusAdapter{}, info.HostBusAdapter...), state.hba)
		info.SoftwareInternetScsiEnabled = true
		base.StorageDeviceInfo = &info
		base.HBA = info.HostBusAdapter // RescanAllHba of the library swaps these two lists: keep both equal
		host.Config.StorageDevice = &info
		state.storage = &iscsiStorage{HostStorageSystem: *base, world: w, hostID: host.Self.Value}
		simulator.Map.Put(state.storage)
		dss := simulator.Map.Get(*host.ConfigManager.DatastoreSystem).(*simulator.HostDatastoreSystem)
		state.datastore = &vmfsDatastores{HostDatastoreSystem: *dss, world: w, hostID: host.Self.Value}
		simulator.Map.Put(state.datastore)
		w.hosts[host.Self.Value] = state
	}
}

// rescan logs in to every static target of a host's software adapter and records the disks found. A target
// whose login fails (wrong CHAP, unknown IQN) contributes no disk, as on ESXi, where the failure is only logged.
func (w *world) rescan(state *hostState) {
	disks := map[string]seenDisk{}
	for _, t := range state.hba.ConfiguredStaticTarget {
		portal := fmt.Sprintf("%s:%d", t.Address, t.Port)
		luns, err := w.prober.probe(state.hba.IScsiName, portal, t.IScsiName, chapOf(t.AuthenticationProperties))
		if err != nil {
			fmt.Fprintf(os.Stderr, "spindle-vcsim: %s %s: %v\n", state.host.Name, softwareHba, err)
			continue
		}
		for _, l := range luns {
			disks[l.naa] = seenDisk{info: l, target: t.IScsiName, address: portal}
		}
	}
	state.disks = disks
	w.publishDevices(state)
	w.reconcileMounts()
}

func chapOf(a *types.HostInternetScsiHbaAuthenticationProperties) *chap {
	if a == nil || !a.ChapAuthEnabled || a.ChapAuthenticationType == string(types.HostInternetScsiHbaChapAuthenticationTypeChapProhibited) {
		return nil
	}
	c := &chap{name: a.ChapName, secret: a.ChapSecret}
	if a.MutualChapName != "" && a.MutualChapAuthenticationType != string(types.HostInternetScsiHbaChapAuthenticationTypeChapProhibited) {
		c.mutualName, c.mutualSecret = a.MutualChapName, a.MutualChapSecret
	}
	return c
}

// publishDevices rewrites the host's SCSI LUN list and topology from the disks it sees (plus the library's
// local devices), in the shapes an ESXi host reports: canonical name naa.<id>, device path under
// /vmfs/devices/disks, one topology target per iSCSI target with its IQN.
func (w *world) publishDevices(state *hostState) {
	info := state.storage.StorageDeviceInfo
	var luns []types.BaseScsiLun
	for _, l := range info.ScsiLun {
		if d, ok := l.(*types.HostScsiDisk); ok && strings.HasPrefix(d.CanonicalName, "naa.") && d.Vendor == spindleMark {
			continue
		}
		luns = append(luns, l)
	}
	byTarget := map[string][]seenDisk{}
	var targets []string
	for _, naa := range sortedKeys(state.disks) {
		d := state.disks[naa]
		luns = append(luns, scsiDisk(d))
		if _, ok := byTarget[d.target]; !ok {
			targets = append(targets, d.target)
		}
		byTarget[d.target] = append(byTarget[d.target], d)
	}
	iface := types.HostScsiTopologyInterface{Key: "key-vim.host.ScsiTopology.Interface-" + softwareHba, Adapter: state.hba.Key}
	for i, t := range targets {
		target := types.HostScsiTopologyTarget{
			Key:       fmt.Sprintf("key-vim.host.ScsiTopology.Target-%s:0:%d", softwareHba, i),
			Target:    int32(i),
			Transport: &types.HostInternetScsiTargetTransport{IScsiName: t, Address: []string{byTarget[t][0].address}},
		}
		for _, d := range byTarget[t] {
			target.Lun = append(target.Lun, types.HostScsiTopologyLun{
				Key: fmt.Sprintf("key-vim.host.ScsiTopology.Lun-%s", diskUUID(d.info)), Lun: int32(d.info.lun),
				ScsiLun: "key-vim.host.ScsiDisk-" + diskUUID(d.info),
			})
		}
		iface.Target = append(iface.Target, target)
	}
	topology := &types.HostScsiTopology{}
	if info.ScsiTopology != nil {
		for _, a := range info.ScsiTopology.Adapter {
			if a.Adapter != state.hba.Key {
				topology.Adapter = append(topology.Adapter, a)
			}
		}
	}
	topology.Adapter = append(topology.Adapter, iface)
	info.ScsiLun = luns
	info.ScsiTopology = topology
}

// spindleMark is the vendor field of disks this extension publishes (tgt reports its own vendor in the
// INQUIRY, which is kept in the model field instead), so a rescan replaces exactly what an earlier one added.
const spindleMark = "SPINDLE"

func scsiDisk(d seenDisk) *types.HostScsiDisk {
	name := "naa." + d.info.naa
	uuid := diskUUID(d.info)
	return &types.HostScsiDisk{
		ScsiLun: types.ScsiLun{
			HostDevice:       types.HostDevice{DeviceName: "/vmfs/devices/disks/" + name, DeviceType: "disk"},
			Key:              "key-vim.host.ScsiDisk-" + uuid,
			Uuid:             uuid,
			CanonicalName:    name,
			DisplayName:      fmt.Sprintf("%s iSCSI Disk (%s)", d.info.vendor, name),
			LunType:          "disk",
			Vendor:           spindleMark,
			Model:            strings.TrimSpace(d.info.vendor + " " + d.info.model),
			OperationalState: []string{"ok"},
		},
		Capacity:   types.HostDiskDimensionsLba{BlockSize: d.info.blockSize, Block: d.info.blocks},
		DevicePath: "/vmfs/devices/disks/" + name,
		Ssd:        types.NewBool(false),
		LocalDisk:  types.NewBool(false),
	}
}

func diskUUID(l lunInfo) string { return "0200" + fmt.Sprintf("%02x", l.lun) + "0000" + l.naa }

// reconcileMounts makes every VMFS datastore mounted and accessible exactly on the hosts that see its disk
// (unless unmounted there). A host that lost the disk keeps a mounted datastore, inaccessible, as ESXi shows it;
// one where it was unmounted forgets it (the unmount stays recorded, as ESXi keeps it, so the volume comes back
// unmounted when the disk does). vCenter lists a datastore only while some host knows it.
func (w *world) reconcileMounts() {
	for _, v := range w.volumes {
		ds := v.datastore
		accessibleAnywhere := false
		for _, id := range sortedKeys(w.hosts) {
			state := w.hosts[id]
			_, sees := state.disks[v.naa]
			mounted := sees && !state.unmounted[v.uuid]
			idx := mountIndex(ds, state.host.Self)
			if !sees && state.unmounted[v.uuid] {
				if idx >= 0 {
					ds.Host = append(ds.Host[:idx], ds.Host[idx+1:]...)
					detachHost(state, ds.Self)
				}
				continue
			}
			if idx < 0 {
				if !sees {
					continue
				}
				ds.Host = append(ds.Host, types.DatastoreHostMount{Key: state.host.Self})
				idx = len(ds.Host) - 1
				attach(state, ds.Self)
			}
			ds.Host[idx].MountInfo = types.HostMountInfo{
				Path:       "/vmfs/volumes/" + v.uuid,
				AccessMode: string(types.HostMountModeReadWrite),
				Mounted:    types.NewBool(!state.unmounted[v.uuid]),
				Accessible: types.NewBool(mounted),
			}
			if !mounted {
				reason := "NotMounted"
				if !sees {
					reason = "AllPathsDown_Start"
				}
				ds.Host[idx].MountInfo.InaccessibleReason = reason
			}
			accessibleAnywhere = accessibleAnywhere || mounted
		}
		ds.Summary.Accessible = accessibleAnywhere
		w.list(v, len(ds.Host) > 0)
	}
	for _, state := range w.hosts {
		w.publishVolumes(state)
	}
}

// list shows or hides a VMFS datastore in its datacenter and folder.
func (w *world) list(v *vmfsVolume, listed bool) {
	ds := v.datastore
	var folder *simulator.Folder
	if ds.Parent != nil {
		folder, _ = simulator.Map.Get(*ds.Parent).(*simulator.Folder)
	}
	for _, e := range simulator.Map.All("Datacenter") {
		dc, ok := e.(*simulator.Datacenter)
		if !ok || folder == nil || dc.DatastoreFolder != folder.Self {
			continue
		}
		if listed {
			dc.Datastore = withRef(dc.Datastore, ds.Self)
		} else {
			dc.Datastore = withoutRef(dc.Datastore, ds.Self)
		}
	}
	if !listed {
		forgetFiles(ds.Name, ds.Self)
	}
	if folder != nil {
		if listed {
			folder.ChildEntity = withRef(folder.ChildEntity, ds.Self)
		} else {
			folder.ChildEntity = withoutRef(folder.ChildEntity, ds.Self)
		}
	}
}

// publishVolumes lists the VMFS volumes a host has mounted in its file system volume info.
func (w *world) publishVolumes(state *hostState) {
	var mounts []types.HostFileSystemMountInfo
	for _, m := range state.storage.FileSystemVolumeInfo.MountInfo {
		if _, ok := m.Volume.(*types.HostVmfsVolume); !ok {
			mounts = append(mounts, m)
		}
	}
	for _, uuid := range sortedKeys(w.volumes) {
		v := w.volumes[uuid]
		idx := mountIndex(v.datastore, state.host.Self)
		if idx < 0 {
			continue
		}
		mounts = append(mounts, types.HostFileSystemMountInfo{
			MountInfo: v.datastore.Host[idx].MountInfo,
			Volume:    vmfsVolumeInfo(v),
		})
	}
	state.storage.FileSystemVolumeInfo.MountInfo = mounts
	if state.host.Config != nil {
		state.host.Config.FileSystemVolume = &state.storage.FileSystemVolumeInfo
	}
}

func vmfsVolumeInfo(v *vmfsVolume) *types.HostVmfsVolume {
	return &types.HostVmfsVolume{
		HostFileSystemVolume: types.HostFileSystemVolume{Type: "VMFS", Name: v.name, Capacity: v.capacity},
		BlockSizeMb:          1, BlockSize: 1024, MajorVersion: 6, Version: "6.82",
		MaxBlocks: 63963136, Uuid: v.uuid,
		Extent: []types.HostScsiDiskPartition{{DiskName: "naa." + v.naa, Partition: 1}},
		Local:  types.NewBool(false), Ssd: types.NewBool(false),
	}
}

func mountIndex(ds *simulator.Datastore, host types.ManagedObjectReference) int {
	for i, m := range ds.Host {
		if m.Key == host {
			return i
		}
	}
	return -1
}

// attach lists a datastore on a host, its compute resource and its datastore system.
func attach(state *hostState, ds types.ManagedObjectReference) {
	host := state.host
	host.Datastore = withRef(host.Datastore, ds)
	if cr := computeResource(host); cr != nil {
		cr.Datastore = withRef(cr.Datastore, ds)
	}
	state.datastore.Datastore = withRef(state.datastore.Datastore, ds)
}

// detachHost removes a datastore from one host and its datastore system (and from the host's compute resource
// when no other host of it still has the datastore).
func detachHost(state *hostState, ds types.ManagedObjectReference) {
	host := state.host
	host.Datastore = withoutRef(host.Datastore, ds)
	state.datastore.Datastore = withoutRef(state.datastore.Datastore, ds)
	if cr := computeResource(host); cr != nil {
		for _, h := range cr.Host {
			if other, ok := simulator.Map.Get(h).(*simulator.HostSystem); ok && containsRef(other.Datastore, ds) {
				return
			}
		}
		cr.Datastore = withoutRef(cr.Datastore, ds)
	}
}

// detachEverywhere removes a datastore from every host, compute resource, datastore system and datacenter.
func (w *world) detachEverywhere(ds types.ManagedObjectReference) {
	for _, state := range w.hosts {
		detachHost(state, ds)
	}
	for _, e := range simulator.Map.All("Datacenter") {
		if dc, ok := e.(*simulator.Datacenter); ok {
			dc.Datastore = withoutRef(dc.Datastore, ds)
		}
	}
}

func computeResource(host *simulator.HostSystem) *mo.ComputeResource {
	if host.Parent == nil {
		return nil
	}
	switch parent := simulator.Map.Get(*host.Parent).(type) {
	case *mo.ComputeResource:
		return parent
	case *simulator.ClusterComputeResource:
		return &parent.ComputeResource
	}
	return nil
}

func containsRef(refs []types.ManagedObjectReference, ref types.ManagedObjectReference) bool {
	for _, r := range refs {
		if r == ref {
			return true
		}
	}
	return false
}

// forgetFiles drops a datastore from every VM's file layout and datastore list. The library keeps the files of
// a disk removed from a VM in the VM's layout, and looks their datastore up on the VM's host at every later
// reconfiguration: once the datastore is gone from the host, that lookup would fail.
func forgetFiles(name string, ds types.ManagedObjectReference) {
	prefix := "[" + name + "]"
	for _, e := range simulator.Map.All("VirtualMachine") {
		vm := e.(*simulator.VirtualMachine)
		if vmUsing(name, nil) == vm.Name {
			continue
		}
		vm.Datastore = withoutRef(vm.Datastore, ds)
		if vm.LayoutEx != nil {
			var files []types.VirtualMachineFileLayoutExFileInfo
			for _, f := range vm.LayoutEx.File {
				if !strings.HasPrefix(f.Name, prefix) {
					files = append(files, f)
				}
			}
			vm.LayoutEx.File = files
		}
	}
}

// withRef and withoutRef always return a new slice: the library shares one slice between a host and its
// datastore system, and appending in place to one would overwrite the other.
func withRef(refs []types.ManagedObjectReference, ref types.ManagedObjectReference) []types.ManagedObjectReference {
	out := append([]types.ManagedObjectReference{}, refs...)
	if !containsRef(out, ref) {
		out = append(out, ref)
	}
	return out
}

func withoutRef(refs []types.ManagedObjectReference, ref types.ManagedObjectReference) []types.ManagedObjectReference {
	out := []types.ManagedObjectReference{}
	for _, r := range refs {
		if r != ref {
			out = append(out, r)
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
