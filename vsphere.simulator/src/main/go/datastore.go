package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

// vmfsDatastores is a host's HostDatastoreSystem with VMFS: the disks free for VMFS, the create options for one
// of them, creating a datastore on it (the library keeps its files in a directory) and removing it.
type vmfsDatastores struct {
	simulator.HostDatastoreSystem
	world  *world
	hostID string
}

func (d *vmfsDatastores) state() *hostState { return d.world.hosts[d.hostID] }

// freeDisk finds a disk this host sees by device path, and says whether a VMFS volume already uses it.
func (d *vmfsDatastores) disk(devicePath string) (seenDisk, *vmfsVolume, bool) {
	for _, seen := range d.state().disks {
		if "/vmfs/devices/disks/naa."+seen.info.naa == devicePath {
			return seen, d.world.volumeOn(seen.info.naa), true
		}
	}
	return seenDisk{}, nil, false
}

func (w *world) volumeOn(naa string) *vmfsVolume {
	for _, v := range w.volumes {
		if v.naa == naa {
			return v
		}
	}
	return nil
}

func (d *vmfsDatastores) QueryAvailableDisksForVmfs(req *types.QueryAvailableDisksForVmfs) soap.HasFault {
	body := &methods.QueryAvailableDisksForVmfsBody{Res: &types.QueryAvailableDisksForVmfsResponse{}}
	d.world.mu.Lock()
	defer d.world.mu.Unlock()
	for _, naa := range sortedKeys(d.state().disks) {
		if d.world.volumeOn(naa) == nil {
			body.Res.Returnval = append(body.Res.Returnval, *scsiDisk(d.state().disks[naa]))
		}
	}
	return body
}

func (d *vmfsDatastores) QueryVmfsDatastoreCreateOptions(req *types.QueryVmfsDatastoreCreateOptions) soap.HasFault {
	body := &methods.QueryVmfsDatastoreCreateOptionsBody{}
	d.world.mu.Lock()
	defer d.world.mu.Unlock()
	if req.VmfsMajorVersion != 0 && req.VmfsMajorVersion != 5 && req.VmfsMajorVersion != 6 {
		body.Fault_ = simulator.Fault("vmfsMajorVersion must be 5 or 6", &types.InvalidArgument{InvalidProperty: "vmfsMajorVersion"})
		return body
	}
	seen, used, ok := d.disk(req.DevicePath)
	if !ok {
		body.Fault_ = simulator.Fault("no disk "+req.DevicePath+" on "+d.state().host.Name, &types.NotFound{})
		return body
	}
	if used != nil {
		body.Fault_ = simulator.Fault("disk "+req.DevicePath+" holds VMFS volume "+used.name,
			&types.HostConfigFault{})
		return body
	}
	major := req.VmfsMajorVersion
	if major == 0 {
		major = 6
	}
	name := "naa." + seen.info.naa
	last := seen.info.blocks - 1
	extent := types.HostScsiDiskPartition{DiskName: name, Partition: 1}
	spec := &types.VmfsDatastoreCreateSpec{
		VmfsDatastoreSpec: types.VmfsDatastoreSpec{DiskUuid: diskUUID(seen.info)},
		Partition: types.HostDiskPartitionSpec{
			PartitionFormat: "gpt", TotalSectors: seen.info.blocks,
			Partition: []types.HostDiskPartitionAttributes{{
				Partition: 1, StartSector: 2048, EndSector: last, Type: "vmfs",
				Guid: "AA31E02A400F11DB9590000C2911D1B8", Logical: false, Attributes: 0,
			}},
		},
		Vmfs:   types.HostVmfsSpec{Extent: extent, MajorVersion: major, BlockSizeMb: 1},
		Extent: nil,
	}
	body.Res = &types.QueryVmfsDatastoreCreateOptionsResponse{Returnval: []types.VmfsDatastoreOption{{
		Info: &types.VmfsDatastoreAllExtentOption{VmfsDatastoreSingleExtentOption: types.VmfsDatastoreSingleExtentOption{
			VmfsDatastoreBaseOption: types.VmfsDatastoreBaseOption{Layout: types.HostDiskPartitionLayout{
				Total: &types.HostDiskDimensionsLba{BlockSize: seen.info.blockSize, Block: seen.info.blocks},
			}},
			VmfsExtent: types.HostDiskPartitionBlockRange{
				Partition: 1, Type: "vmfs",
				Start: types.HostDiskDimensionsLba{BlockSize: seen.info.blockSize, Block: 2048},
				End:   types.HostDiskDimensionsLba{BlockSize: seen.info.blockSize, Block: last},
			},
		}},
		Spec: spec,
	}}}
	return body
}

func (d *vmfsDatastores) CreateVmfsDatastore(ctx *simulator.Context, req *types.CreateVmfsDatastore) soap.HasFault {
	body := &methods.CreateVmfsDatastoreBody{}
	d.world.mu.Lock()
	defer d.world.mu.Unlock()
	spec := &req.Spec
	name := spec.Vmfs.VolumeName
	if name == "" || len(name) > 42 || strings.ContainsAny(name, "/[]") {
		body.Fault_ = simulator.Fault("spec.vmfs.volumeName must be 1 to 42 characters without / [ ]",
			&types.InvalidArgument{InvalidProperty: "spec.vmfs.volumeName"})
		return body
	}
	if e := simulator.Map.FindByName(name, allDatastores()); e != nil {
		body.Fault_ = simulator.Fault(name, &types.DuplicateName{Name: name, Object: e.Reference()})
		return body
	}
	seen, used, found := d.disk("/vmfs/devices/disks/" + spec.Vmfs.Extent.DiskName)
	if !found {
		body.Fault_ = simulator.Fault("no disk "+spec.Vmfs.Extent.DiskName+" on "+d.state().host.Name, &types.NotFound{})
		return body
	}
	if used != nil {
		body.Fault_ = simulator.Fault("disk "+spec.Vmfs.Extent.DiskName+" holds VMFS volume "+used.name, &types.HostConfigFault{})
		return body
	}
	d.world.next++
	uuid := fmt.Sprintf("5f5e%04x-%08x-%04x-%012s", d.world.next, os.Getpid(), seen.info.lun, seen.info.naa[len(seen.info.naa)-12:])
	dir := filepath.Join(d.world.dir, uuid)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		body.Fault_ = simulator.Fault(err.Error(), &types.HostConfigFault{})
		return body
	}
	res, ok := d.HostDatastoreSystem.CreateLocalDatastore(ctx, &types.CreateLocalDatastore{This: d.Self, Name: name, Path: dir}).(*methods.CreateLocalDatastoreBody)
	if !ok || res.Fault_ != nil {
		_ = os.RemoveAll(dir)
		if ok {
			body.Fault_ = res.Fault_
		} else {
			body.Fault_ = simulator.Fault("datastore not created", &types.HostConfigFault{})
		}
		return body
	}
	ds := simulator.Map.Get(res.Res.Returnval).(*simulator.Datastore)
	capacity := seen.info.blocks * int64(seen.info.blockSize)
	v := &vmfsVolume{uuid: uuid, name: name, naa: seen.info.naa, capacity: capacity, datastore: ds}
	ds.Info = &types.VmfsDatastoreInfo{
		DatastoreInfo: types.DatastoreInfo{Name: name, Url: dir, FreeSpace: capacity, MaxFileSize: capacity},
		Vmfs:          vmfsVolumeInfo(v),
	}
	ds.Summary.Type = "VMFS"
	ds.Summary.Capacity = capacity
	ds.Summary.FreeSpace = capacity
	ds.Summary.MultipleHostAccess = types.NewBool(true)
	ds.Host = nil // reconcileMounts mounts it on every host that sees the disk
	d.world.volumes[uuid] = v
	d.world.reconcileMounts()
	body.Res = &types.CreateVmfsDatastoreResponse{Returnval: ds.Self}
	return body
}

// RemoveDatastore deletes a VMFS datastore (its volume is gone from every host and the disk is free again);
// other datastores go to the library.
func (d *vmfsDatastores) RemoveDatastore(ctx *simulator.Context, req *types.RemoveDatastore) soap.HasFault {
	body := &methods.RemoveDatastoreBody{}
	d.world.mu.Lock()
	defer d.world.mu.Unlock()
	var v *vmfsVolume
	for _, candidate := range d.world.volumes {
		if candidate.datastore.Self == req.Datastore {
			v = candidate
		}
	}
	if v == nil || !containsRef(d.Datastore, req.Datastore) {
		body.Fault_ = simulator.Fault("no datastore "+req.Datastore.Value+" on "+d.state().host.Name, &types.NotFound{})
		return body
	}
	if vm := vmUsing(v.name, nil); vm != "" {
		body.Fault_ = simulator.Fault("virtual machine "+vm+" has files on "+v.name, &types.ResourceInUse{Type: "Datastore", Name: v.name})
		return body
	}
	forgetFiles(v.name, v.datastore.Self)
	d.world.detachEverywhere(v.datastore.Self)
	v.datastore.Host = nil
	simulator.Map.Remove(v.datastore.Self)
	if v.datastore.Parent != nil {
		if folder, ok := simulator.Map.Get(*v.datastore.Parent).(*simulator.Folder); ok {
			folder.ChildEntity = withoutRef(folder.ChildEntity, v.datastore.Self)
		}
	}
	delete(d.world.volumes, v.uuid)
	for _, state := range d.world.hosts {
		delete(state.unmounted, v.uuid)
	}
	_ = os.RemoveAll(v.datastore.Info.GetDatastoreInfo().Url)
	d.world.reconcileMounts()
	body.Res = &types.RemoveDatastoreResponse{}
	return body
}

func allDatastores() []types.ManagedObjectReference {
	var refs []types.ManagedObjectReference
	for _, e := range simulator.Map.All("Datastore") {
		refs = append(refs, e.Reference())
	}
	return refs
}

// vmUsing names a virtual machine (on the given host, or anywhere) with a disk file on the named datastore.
func vmUsing(datastore string, host *types.ManagedObjectReference) string {
	prefix := "[" + datastore + "]"
	for _, e := range simulator.Map.All("VirtualMachine") {
		vm := e.(*simulator.VirtualMachine)
		if host != nil && (vm.Runtime.Host == nil || *vm.Runtime.Host != *host) {
			continue
		}
		if vm.Config == nil {
			continue
		}
		for _, dev := range vm.Config.Hardware.Device {
			disk, ok := dev.(*types.VirtualDisk)
			if !ok {
				continue
			}
			if b, ok := disk.Backing.(types.BaseVirtualDeviceFileBackingInfo); ok &&
				strings.HasPrefix(b.GetVirtualDeviceFileBackingInfo().FileName, prefix) {
				return vm.Name
			}
		}
	}
	return ""
}

// volumeOf finds the VMFS volume behind a datastore reference.
func (w *world) volumeOf(ds types.ManagedObjectReference) *vmfsVolume {
	for _, v := range w.volumes {
		if v.datastore.Self == ds {
			return v
		}
	}
	return nil
}

// QueryVmfsDatastoreExpandOptions offers to grow a VMFS datastore over its whole disk when the disk, as this host
// saw it at its last rescan, is larger than the volume; no option otherwise.
func (d *vmfsDatastores) QueryVmfsDatastoreExpandOptions(req *types.QueryVmfsDatastoreExpandOptions) soap.HasFault {
	body := &methods.QueryVmfsDatastoreExpandOptionsBody{Res: &types.QueryVmfsDatastoreExpandOptionsResponse{}}
	d.world.mu.Lock()
	defer d.world.mu.Unlock()
	v := d.world.volumeOf(req.Datastore)
	if v == nil || !containsRef(d.Datastore, req.Datastore) {
		body.Res = nil
		body.Fault_ = simulator.Fault("no VMFS datastore "+req.Datastore.Value+" on "+d.state().host.Name, &types.NotFound{})
		return body
	}
	seen, ok := d.state().disks[v.naa]
	if !ok || seen.info.blocks*int64(seen.info.blockSize) <= v.capacity {
		return body
	}
	last := seen.info.blocks - 1
	body.Res.Returnval = []types.VmfsDatastoreOption{{
		Info: &types.VmfsDatastoreSingleExtentOption{
			VmfsDatastoreBaseOption: types.VmfsDatastoreBaseOption{Layout: types.HostDiskPartitionLayout{
				Total: &types.HostDiskDimensionsLba{BlockSize: seen.info.blockSize, Block: seen.info.blocks},
			}},
			VmfsExtent: types.HostDiskPartitionBlockRange{Partition: 1, Type: "vmfs",
				Start: types.HostDiskDimensionsLba{BlockSize: seen.info.blockSize, Block: 2048},
				End:   types.HostDiskDimensionsLba{BlockSize: seen.info.blockSize, Block: last}},
		},
		Spec: &types.VmfsDatastoreExpandSpec{
			VmfsDatastoreSpec: types.VmfsDatastoreSpec{DiskUuid: diskUUID(seen.info)},
			Partition: types.HostDiskPartitionSpec{PartitionFormat: "gpt", TotalSectors: seen.info.blocks,
				Partition: []types.HostDiskPartitionAttributes{{Partition: 1, StartSector: 2048, EndSector: last, Type: "vmfs",
					Guid: "AA31E02A400F11DB9590000C2911D1B8"}}},
			Extent: types.HostScsiDiskPartition{DiskName: "naa." + v.naa, Partition: 1},
		},
	}}
	return body
}

// ExpandVmfsDatastore grows a VMFS datastore to the size of its disk as this host sees it.
func (d *vmfsDatastores) ExpandVmfsDatastore(req *types.ExpandVmfsDatastore) soap.HasFault {
	body := &methods.ExpandVmfsDatastoreBody{}
	d.world.mu.Lock()
	defer d.world.mu.Unlock()
	v := d.world.volumeOf(req.Datastore)
	if v == nil || !containsRef(d.Datastore, req.Datastore) {
		body.Fault_ = simulator.Fault("no VMFS datastore "+req.Datastore.Value+" on "+d.state().host.Name, &types.NotFound{})
		return body
	}
	if req.Spec.Extent.DiskName != "naa."+v.naa {
		body.Fault_ = simulator.Fault("spec.extent.diskName "+req.Spec.Extent.DiskName+" is not the disk of "+v.name,
			&types.InvalidArgument{InvalidProperty: "spec.extent"})
		return body
	}
	seen, ok := d.state().disks[v.naa]
	if !ok {
		body.Fault_ = simulator.Fault("host "+d.state().host.Name+" does not see the disk of "+v.name, &types.NotFound{})
		return body
	}
	grown := seen.info.blocks * int64(seen.info.blockSize)
	if grown <= v.capacity {
		body.Fault_ = simulator.Fault("the disk of "+v.name+" has no free space to expand into", &types.HostConfigFault{})
		return body
	}
	used := v.capacity - v.datastore.Summary.FreeSpace
	v.capacity = grown
	ds := v.datastore
	ds.Summary.Capacity = grown
	ds.Summary.FreeSpace = grown - used
	if info, ok := ds.Info.(*types.VmfsDatastoreInfo); ok {
		info.FreeSpace = ds.Summary.FreeSpace
		info.MaxFileSize = grown
		info.Vmfs = vmfsVolumeInfo(v)
	}
	d.world.reconcileMounts()
	body.Res = &types.ExpandVmfsDatastoreResponse{Returnval: ds.Self}
	return body
}
