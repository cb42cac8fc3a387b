package main

import (
	"strings"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"
)

// The VMFS side of the model: which hosts mount which datastore, and where vCenter lists it.

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
