package main

import (
	"fmt"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

// iscsiStorage is a host's HostStorageSystem with the software iSCSI calls the library lacks: static targets,
// rescans that log in to the real targets, and VMFS unmount/mount.
type iscsiStorage struct {
	simulator.HostStorageSystem
	world  *world
	hostID string
}

func (s *iscsiStorage) state() *hostState { return s.world.hosts[s.hostID] }

// hba finds a host bus adapter by device name; only the software iSCSI one takes iSCSI calls.
func (s *iscsiStorage) iscsiHba(device string) (*types.HostInternetScsiHba, *soap.Fault) {
	state := s.state()
	if device == state.hba.Device {
		return state.hba, nil
	}
	for _, h := range s.StorageDeviceInfo.HostBusAdapter {
		if h.GetHostHostBusAdapter().Device == device {
			return nil, simulator.Fault(device+" is not an iSCSI adapter",
				&types.InvalidArgument{InvalidProperty: "iScsiHbaDevice"})
		}
	}
	return nil, simulator.Fault("no host bus adapter "+device, &types.NotFound{})
}

func sameTarget(a, b types.HostInternetScsiHbaStaticTarget) bool {
	return a.Address == b.Address && a.Port == b.Port && a.IScsiName == b.IScsiName
}

func (s *iscsiStorage) AddInternetScsiStaticTargets(req *types.AddInternetScsiStaticTargets) soap.HasFault {
	body := &methods.AddInternetScsiStaticTargetsBody{}
	s.world.mu.Lock()
	defer s.world.mu.Unlock()
	hba, fault := s.iscsiHba(req.IScsiHbaDevice)
	if fault != nil {
		body.Fault_ = fault
		return body
	}
	var add []types.HostInternetScsiHbaStaticTarget
	for i, t := range req.Targets {
		if t.Port == 0 {
			t.Port = 3260
		}
		field := fmt.Sprintf("targets[%d]", i)
		switch {
		case t.Address == "":
			body.Fault_ = simulator.Fault(field+".address is required", &types.InvalidArgument{InvalidProperty: field + ".address"})
		case t.IScsiName == "":
			body.Fault_ = simulator.Fault(field+".iScsiName is required", &types.InvalidArgument{InvalidProperty: field + ".iScsiName"})
		case t.Port < 1 || t.Port > 65535:
			body.Fault_ = simulator.Fault(field+".port out of range", &types.InvalidArgument{InvalidProperty: field + ".port"})
		default:
			body.Fault_ = checkChap(field, t.AuthenticationProperties)
		}
		if body.Fault_ != nil {
			return body
		}
		for _, existing := range append(append([]types.HostInternetScsiHbaStaticTarget{}, hba.ConfiguredStaticTarget...), add...) {
			if sameTarget(existing, t) {
				// an existing static target is refused, not merged (the caller must look before adding)
				body.Fault_ = simulator.Fault(fmt.Sprintf("static target %s:%d %s already exists", t.Address, t.Port, t.IScsiName),
					&types.AlreadyExists{Name: t.IScsiName})
				return body
			}
		}
		t.DiscoveryMethod = "staticMethod"
		t.Parent = ""
		add = append(add, t)
	}
	hba.ConfiguredStaticTarget = append(hba.ConfiguredStaticTarget, add...)
	body.Res = &types.AddInternetScsiStaticTargetsResponse{}
	return body
}

func checkChap(field string, a *types.HostInternetScsiHbaAuthenticationProperties) *soap.Fault {
	if a == nil || !a.ChapAuthEnabled {
		return nil
	}
	prop := field + ".authenticationProperties"
	switch a.ChapAuthenticationType {
	case "chapRequired", "chapPreferred", "chapDiscouraged", "chapProhibited":
	default:
		return simulator.Fault(prop+".chapAuthenticationType must be chapRequired, chapPreferred, chapDiscouraged or chapProhibited",
			&types.InvalidArgument{InvalidProperty: prop + ".chapAuthenticationType"})
	}
	if a.ChapAuthenticationType != "chapProhibited" && (a.ChapName == "" || a.ChapSecret == "") {
		return simulator.Fault(prop+": CHAP needs chapName and chapSecret", &types.InvalidArgument{InvalidProperty: prop + ".chapName"})
	}
	if a.MutualChapName != "" && a.MutualChapSecret == "" {
		return simulator.Fault(prop+": mutual CHAP needs mutualChapSecret", &types.InvalidArgument{InvalidProperty: prop + ".mutualChapSecret"})
	}
	return nil
}

func (s *iscsiStorage) RemoveInternetScsiStaticTargets(req *types.RemoveInternetScsiStaticTargets) soap.HasFault {
	body := &methods.RemoveInternetScsiStaticTargetsBody{}
	s.world.mu.Lock()
	defer s.world.mu.Unlock()
	hba, fault := s.iscsiHba(req.IScsiHbaDevice)
	if fault != nil {
		body.Fault_ = fault
		return body
	}
	keep := append([]types.HostInternetScsiHbaStaticTarget{}, hba.ConfiguredStaticTarget...)
	for _, t := range req.Targets {
		if t.Port == 0 {
			t.Port = 3260
		}
		found := false
		for i, existing := range keep {
			if sameTarget(existing, t) {
				keep = append(keep[:i], keep[i+1:]...)
				found = true
				break
			}
		}
		if !found {
			body.Fault_ = simulator.Fault(fmt.Sprintf("no static target %s:%d %s", t.Address, t.Port, t.IScsiName), &types.NotFound{})
			return body
		}
	}
	// the disks stay visible until the next rescan, as on ESXi
	hba.ConfiguredStaticTarget = keep
	body.Res = &types.RemoveInternetScsiStaticTargetsResponse{}
	return body
}

func (s *iscsiStorage) RescanHba(req *types.RescanHba) soap.HasFault {
	body := &methods.RescanHbaBody{}
	s.world.mu.Lock()
	defer s.world.mu.Unlock()
	if req.HbaDevice == s.state().hba.Device {
		s.world.rescan(s.state())
	} else if _, fault := s.iscsiHba(req.HbaDevice); fault != nil && !isInvalidArgument(fault) {
		body.Fault_ = fault
		return body
	}
	body.Res = &types.RescanHbaResponse{}
	return body
}

func isInvalidArgument(f *soap.Fault) bool {
	_, ok := f.VimFault().(*types.InvalidArgument)
	return ok
}

// RescanAllHba rescans the software iSCSI adapter (the library's version swaps in Fibre Channel adapters instead).
func (s *iscsiStorage) RescanAllHba(*simulator.Context, *types.RescanAllHba) soap.HasFault {
	s.world.mu.Lock()
	defer s.world.mu.Unlock()
	s.world.rescan(s.state())
	return &methods.RescanAllHbaBody{Res: &types.RescanAllHbaResponse{}}
}

func (s *iscsiStorage) RescanVmfs(*simulator.Context, *types.RescanVmfs) soap.HasFault {
	s.world.mu.Lock()
	defer s.world.mu.Unlock()
	s.world.reconcileMounts()
	return &methods.RescanVmfsBody{Res: &types.RescanVmfsResponse{}}
}

// vmfsOnHost finds the VMFS volume vmfsUuid on this host and checks that it is mounted there (wantMounted) or not:
// a fault otherwise, as ESXi answers. The caller holds the world's lock.
func (s *iscsiStorage) vmfsOnHost(vmfsUuid string, wantMounted bool) (*hostState, *vmfsVolume, *soap.Fault) {
	state := s.state()
	v, ok := s.world.volumes[vmfsUuid]
	if !ok || mountIndex(v.datastore, state.host.Self) < 0 {
		return nil, nil, simulator.Fault("no VMFS volume "+vmfsUuid+" on "+state.host.Name, &types.NotFound{})
	}
	if state.unmounted[v.uuid] == wantMounted {
		what := "is not mounted"
		if !wantMounted {
			what = "is already mounted"
		}
		return nil, nil, simulator.Fault("VMFS volume "+vmfsUuid+" "+what, &types.InvalidState{})
	}
	return state, v, nil
}

func (s *iscsiStorage) UnmountVmfsVolume(req *types.UnmountVmfsVolume) soap.HasFault {
	body := &methods.UnmountVmfsVolumeBody{}
	s.world.mu.Lock()
	defer s.world.mu.Unlock()
	state, v, fault := s.vmfsOnHost(req.VmfsUuid, true)
	if fault != nil {
		body.Fault_ = fault
		return body
	}
	if vm := vmUsing(v.datastore.Name, &state.host.Self); vm != "" {
		body.Fault_ = simulator.Fault("virtual machine "+vm+" on this host has files on "+v.name,
			&types.ResourceInUse{Type: "Datastore", Name: v.name})
		return body
	}
	state.unmounted[v.uuid] = true
	s.world.reconcileMounts()
	body.Res = &types.UnmountVmfsVolumeResponse{}
	return body
}

func (s *iscsiStorage) MountVmfsVolume(req *types.MountVmfsVolume) soap.HasFault {
	body := &methods.MountVmfsVolumeBody{}
	s.world.mu.Lock()
	defer s.world.mu.Unlock()
	state, v, fault := s.vmfsOnHost(req.VmfsUuid, false)
	if fault != nil {
		body.Fault_ = fault
		return body
	}
	delete(state.unmounted, v.uuid)
	s.world.reconcileMounts()
	body.Res = &types.MountVmfsVolumeResponse{}
	return body
}
