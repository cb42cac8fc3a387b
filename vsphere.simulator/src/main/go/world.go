package main

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"

	"github.com/vmware/govmomi/simulator"
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
	hosts     map[string]*hostState  // by HostSystem moref value
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
