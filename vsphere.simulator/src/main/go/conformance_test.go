package main

// Holds the simulator's iSCSI and VMFS calls against govmomi's client (VMware's own Go SDK for the vSphere API),
// over HTTPS with the certificate pinned, on a real tgt target with CHAP. Needs root and a running tgtd
// (scripts/tgt.sh start); without them the tests skip, unless SPINDLE_REQUIRE_TGT=true, where they fail.

import (
	"context"
	"crypto/x509"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/vmware/govmomi"
	"github.com/vmware/govmomi/find"
	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/property"
	"github.com/vmware/govmomi/session"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

const (
	testTid    = 47110 // a tgt target id of this module's own
	testIqn    = "iqn.2026-12.org.spindle.vsphere-simulator:conformance"
	chapUser   = "vmwconformance"
	chapSecret = "vmw-secret-1234"
	lunBytes   = 64 << 20
)

type fixture struct {
	client *govmomi.Client
	hosts  []*object.HostSystem
}

func tgtadm(t *testing.T, args ...string) {
	t.Helper()
	out, err := exec.Command("tgtadm", append([]string{"--lld", "iscsi"}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("tgtadm %v: %v: %s", args, err, out)
	}
}

func setup(t *testing.T) *fixture {
	t.Helper()
	if exec.Command("tgtadm", "--lld", "iscsi", "--mode", "target", "--op", "show").Run() != nil {
		if os.Getenv("SPINDLE_REQUIRE_TGT") == "true" {
			t.Fatal("tgtd does not answer tgtadm (start it with scripts/tgt.sh start)")
		}
		t.Skip("tgtd not reachable")
	}
	_ = exec.Command("tgtadm", "--lld", "iscsi", "--mode", "target", "--op", "delete", "--force", "--tid", fmt.Sprint(testTid)).Run()
	_ = exec.Command("tgtadm", "--lld", "iscsi", "--mode", "account", "--op", "delete", "--user", chapUser).Run()
	dir := t.TempDir()
	image := filepath.Join(dir, "lun1.img")
	if err := os.WriteFile(image, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(image, lunBytes); err != nil {
		t.Fatal(err)
	}
	tgtadm(t, "--mode", "target", "--op", "new", "--tid", fmt.Sprint(testTid), "--targetname", testIqn)
	t.Cleanup(func() {
		_ = exec.Command("tgtadm", "--lld", "iscsi", "--mode", "target", "--op", "delete", "--force", "--tid", fmt.Sprint(testTid)).Run()
		_ = exec.Command("tgtadm", "--lld", "iscsi", "--mode", "account", "--op", "delete", "--user", chapUser).Run()
	})
	tgtadm(t, "--mode", "logicalunit", "--op", "new", "--tid", fmt.Sprint(testTid), "--lun", "1", "--backing-store", image)
	tgtadm(t, "--mode", "target", "--op", "bind", "--tid", fmt.Sprint(testTid), "--initiator-address", "127.0.0.1")
	tgtadm(t, "--mode", "account", "--op", "new", "--user", chapUser, "--password", chapSecret)
	tgtadm(t, "--mode", "account", "--op", "bind", "--tid", fmt.Sprint(testTid), "--user", chapUser)

	sim, err := start(options{listen: "127.0.0.1:0", user: "spindle", password: "conformance-pass", clusterHosts: 3,
		vms: 1, dir: filepath.Join(dir, "vmfs"), iqnPrefix: "iqn.1998-01.com.vmware:conformance"}, newLibiscsiProber())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sim.stop)

	u, _ := url.Parse(sim.url)
	if _, err := govmomi.NewClient(context.Background(), u, false); err == nil {
		t.Fatal("a client that does not know the certificate must not connect")
	}
	f := connect(t, sim, "spindle", "conformance-pass")
	t.Cleanup(func() { _ = f.client.Logout(context.Background()) })
	if len(f.hosts) != 3 {
		t.Fatalf("cluster DC0_C0 has %d hosts, want 3", len(f.hosts))
	}
	return f
}

// connect logs in to sim with govmomi's client, its certificate pinned, and finds the hosts of cluster DC0_C0.
func connect(t *testing.T, sim *simulation, user, password string) *fixture {
	t.Helper()
	u, _ := url.Parse(sim.url)
	u.User = url.UserPassword(user, password)
	cert, err := x509.ParseCertificate(sim.certificate)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	c, err := newPinnedClient(ctx, u, cert)
	if err != nil {
		t.Fatal(err)
	}
	finder := find.NewFinder(c.Client, true)
	dc, err := finder.Datacenter(ctx, "DC0")
	if err != nil {
		t.Fatal(err)
	}
	finder.SetDatacenter(dc)
	hosts, err := finder.HostSystemList(ctx, "DC0_C0/*")
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{client: c, hosts: hosts}
}

func newPinnedClient(ctx context.Context, u *url.URL, cert *x509.Certificate) (*govmomi.Client, error) {
	sc := soap.NewClient(u, false)
	sc.SetThumbprint(u.Host, soap.ThumbprintSHA1(cert))
	vc, err := vim25.NewClient(ctx, sc)
	if err != nil {
		return nil, err
	}
	c := &govmomi.Client{Client: vc, SessionManager: session.NewManager(vc)}
	return c, c.Login(ctx, u.User)
}

func (f *fixture) storage(t *testing.T, h *object.HostSystem) (types.ManagedObjectReference, mo.HostStorageSystem) {
	t.Helper()
	ss, err := h.ConfigManager().StorageSystem(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var m mo.HostStorageSystem
	if err := property.DefaultCollector(f.client.Client).RetrieveOne(context.Background(), ss.Reference(),
		[]string{"storageDeviceInfo", "fileSystemVolumeInfo"}, &m); err != nil {
		t.Fatal(err)
	}
	return ss.Reference(), m
}

func iscsiHba(t *testing.T, m mo.HostStorageSystem) *types.HostInternetScsiHba {
	t.Helper()
	for _, a := range m.StorageDeviceInfo.HostBusAdapter {
		if h, ok := a.(*types.HostInternetScsiHba); ok {
			return h
		}
	}
	t.Fatal("no software iSCSI adapter")
	return nil
}

func spindleDisks(m mo.HostStorageSystem) []*types.HostScsiDisk {
	var disks []*types.HostScsiDisk
	for _, l := range m.StorageDeviceInfo.ScsiLun {
		if d, ok := l.(*types.HostScsiDisk); ok && d.DevicePath != "" && strings.HasPrefix(d.CanonicalName, "naa.") &&
			d.LocalDisk != nil && !*d.LocalDisk {
			disks = append(disks, d)
		}
	}
	return disks
}

func target(secret string) types.HostInternetScsiHbaStaticTarget {
	return types.HostInternetScsiHbaStaticTarget{Address: "127.0.0.1", Port: 3260, IScsiName: testIqn,
		AuthenticationProperties: &types.HostInternetScsiHbaAuthenticationProperties{
			ChapAuthEnabled: true, ChapAuthenticationType: "chapRequired", ChapInherited: types.NewBool(false),
			ChapName: chapUser, ChapSecret: secret}}
}

func (f *fixture) addTarget(t *testing.T, ss types.ManagedObjectReference, tgt types.HostInternetScsiHbaStaticTarget) error {
	_, err := methods.AddInternetScsiStaticTargets(context.Background(), f.client.Client,
		&types.AddInternetScsiStaticTargets{This: ss, IScsiHbaDevice: "vmhba65", Targets: []types.HostInternetScsiHbaStaticTarget{tgt}})
	return err
}

func (f *fixture) removeTarget(t *testing.T, ss types.ManagedObjectReference, tgt types.HostInternetScsiHbaStaticTarget) error {
	_, err := methods.RemoveInternetScsiStaticTargets(context.Background(), f.client.Client,
		&types.RemoveInternetScsiStaticTargets{This: ss, IScsiHbaDevice: "vmhba65", Targets: []types.HostInternetScsiHbaStaticTarget{tgt}})
	return err
}

func (f *fixture) rescan(t *testing.T, ss types.ManagedObjectReference) {
	t.Helper()
	if _, err := methods.RescanHba(context.Background(), f.client.Client, &types.RescanHba{This: ss, HbaDevice: "vmhba65"}); err != nil {
		t.Fatal(err)
	}
}

// faultOf is the vSphere fault a call answered (a value such as types.NotFound), or nil.
func faultOf(results ...interface{}) interface{} {
	err, _ := results[len(results)-1].(error)
	if err != nil && soap.IsSoapFault(err) {
		return soap.ToSoapFault(err).VimFault()
	}
	return nil
}

func TestEveryHostHasItsOwnSoftwareIscsiAdapter(t *testing.T) {
	f := setup(t)
	seen := map[string]bool{}
	for _, h := range f.hosts {
		_, m := f.storage(t, h)
		hba := iscsiHba(t, m)
		if !hba.IsSoftwareBased || hba.Device != "vmhba65" || !strings.HasPrefix(hba.IScsiName, "iqn.1998-01.com.vmware:conformance-") {
			t.Errorf("%s: adapter %s %s software=%v", h.Name(), hba.Device, hba.IScsiName, hba.IsSoftwareBased)
		}
		seen[hba.IScsiName] = true
	}
	if len(seen) != 3 {
		t.Errorf("initiator IQNs not distinct: %v", seen)
	}
}

func TestStaticTargetWithChapFindsTheRealLunAndWrongCallsFault(t *testing.T) {
	f := setup(t)
	ss, _ := f.storage(t, f.hosts[0])
	if err := f.addTarget(t, ss, target(chapSecret)); err != nil {
		t.Fatal(err)
	}
	f.rescan(t, ss)
	_, m := f.storage(t, f.hosts[0])
	disks := spindleDisks(m)
	if len(disks) != 1 {
		t.Fatalf("after rescan %d iSCSI disks, want 1", len(disks))
	}
	d := disks[0]
	// tgt's NAA designator ends in the target id and LUN (real-peers.md): read from the LUN, not made up
	if !regexp.MustCompile(`^naa\.[0-9a-f]{32}$`).MatchString(d.CanonicalName) ||
		!strings.HasSuffix(d.CanonicalName, fmt.Sprintf("%04x%04x", testTid, 1)) {
		t.Errorf("canonical name %s", d.CanonicalName)
	}
	if int64(d.Capacity.BlockSize)*d.Capacity.Block != lunBytes || d.DevicePath != "/vmfs/devices/disks/"+d.CanonicalName {
		t.Errorf("capacity %d x %d, path %s", d.Capacity.Block, d.Capacity.BlockSize, d.DevicePath)
	}
	var transport *types.HostInternetScsiTargetTransport
	for _, a := range m.StorageDeviceInfo.ScsiTopology.Adapter {
		for _, tt := range a.Target {
			for _, l := range tt.Lun {
				if l.ScsiLun == d.Key {
					transport, _ = tt.Transport.(*types.HostInternetScsiTargetTransport)
				}
			}
		}
	}
	if transport == nil || transport.IScsiName != testIqn {
		t.Errorf("the disk is not under target %s in the topology: %+v", testIqn, transport)
	}

	if _, ok := faultOf(f.addTarget(t, ss, target(chapSecret))).(types.AlreadyExists); !ok {
		t.Error("a second identical static target must fault AlreadyExists")
	}
	_, err := methods.AddInternetScsiStaticTargets(context.Background(), f.client.Client, &types.AddInternetScsiStaticTargets{
		This: ss, IScsiHbaDevice: "vmhba9", Targets: []types.HostInternetScsiHbaStaticTarget{target(chapSecret)}})
	if _, ok := faultOf(err).(types.NotFound); !ok {
		t.Errorf("unknown adapter: %v", err)
	}
	_, err = methods.AddInternetScsiStaticTargets(context.Background(), f.client.Client, &types.AddInternetScsiStaticTargets{
		This: ss, IScsiHbaDevice: "vmhba0", Targets: []types.HostInternetScsiHbaStaticTarget{target(chapSecret)}})
	if _, ok := faultOf(err).(types.InvalidArgument); !ok {
		t.Errorf("a non-iSCSI adapter: %v", err)
	}
	noSecret := target("")
	noSecret.IScsiName = "iqn.2026-12.org.spindle.vsphere-simulator:other"
	if _, ok := faultOf(f.addTarget(t, ss, noSecret)).(types.InvalidArgument); !ok {
		t.Error("CHAP required without a secret must fault InvalidArgument")
	}

	// wrong CHAP on another host: the rescan succeeds, the login fails, no disk (as ESXi, which only logs it)
	other, _ := f.storage(t, f.hosts[1])
	if err := f.addTarget(t, other, target("wrong-secret-99")); err != nil {
		t.Fatal(err)
	}
	f.rescan(t, other)
	if _, m := f.storage(t, f.hosts[1]); len(spindleDisks(m)) != 0 {
		t.Error("a target with a wrong CHAP secret must show no disk")
	}
	if err := f.removeTarget(t, other, target("wrong-secret-99")); err != nil {
		t.Fatal(err)
	}

	// removing the target: the disk goes at the next rescan; removing it again faults
	if err := f.removeTarget(t, ss, target(chapSecret)); err != nil {
		t.Fatal(err)
	}
	if _, ok := faultOf(f.removeTarget(t, ss, target(chapSecret))).(types.NotFound); !ok {
		t.Error("removing a static target that is not there must fault NotFound")
	}
	f.rescan(t, ss)
	if _, m := f.storage(t, f.hosts[0]); len(spindleDisks(m)) != 0 || len(iscsiHba(t, m).ConfiguredStaticTarget) != 0 {
		t.Error("after removal and rescan the disk and the target must be gone")
	}
}

func TestVmfsDatastoreOnTheLunFollowsTheHostsThatSeeIt(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	ss0, _ := f.storage(t, f.hosts[0])
	if err := f.addTarget(t, ss0, target(chapSecret)); err != nil {
		t.Fatal(err)
	}
	f.rescan(t, ss0)
	dss, err := f.hosts[0].ConfigManager().DatastoreSystem(ctx)
	if err != nil {
		t.Fatal(err)
	}
	free, err := dss.QueryAvailableDisksForVmfs(ctx)
	if err != nil || len(free) != 1 {
		t.Fatalf("available disks %d, %v", len(free), err)
	}
	if _, err := dss.QueryVmfsDatastoreCreateOptions(ctx, "/vmfs/devices/disks/naa.0000"); faultOf(err) == nil {
		t.Error("create options for an unknown device must fault")
	} else if _, ok := faultOf(err).(types.NotFound); !ok {
		t.Errorf("unknown device: %v", err)
	}
	options, err := dss.QueryVmfsDatastoreCreateOptions(ctx, free[0].DevicePath)
	if err != nil || len(options) == 0 {
		t.Fatalf("create options: %v", err)
	}
	spec := options[0].Spec.(*types.VmfsDatastoreCreateSpec)
	if spec.Vmfs.Extent.DiskName != free[0].CanonicalName {
		t.Errorf("spec extent %s, disk %s", spec.Vmfs.Extent.DiskName, free[0].CanonicalName)
	}
	_, err = methods.CreateVmfsDatastore(ctx, f.client.Client, &types.CreateVmfsDatastore{This: dss.Reference(), Spec: *spec})
	if _, ok := faultOf(err).(types.InvalidArgument); !ok {
		t.Errorf("a spec without a volume name: %v", err)
	}
	spec.Vmfs.VolumeName = "spindle-conformance"
	ds, err := dss.CreateVmfsDatastore(ctx, *spec)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dss.CreateVmfsDatastore(ctx, *spec); faultOf(err) == nil {
		t.Error("a second datastore on the same disk must fault")
	}
	var dsm mo.Datastore
	collect := func() {
		t.Helper()
		if err := property.DefaultCollector(f.client.Client).RetrieveOne(ctx, ds.Reference(), []string{"summary", "host", "info"}, &dsm); err != nil {
			t.Fatal(err)
		}
	}
	collect()
	if dsm.Summary.Type != "VMFS" || dsm.Summary.Capacity != lunBytes || len(dsm.Host) != 1 || !dsm.Summary.Accessible {
		t.Fatalf("datastore %+v on %d hosts", dsm.Summary, len(dsm.Host))
	}
	uuid := dsm.Info.(*types.VmfsDatastoreInfo).Vmfs.Uuid

	// a second host that adds the target sees the same datastore after its rescan
	ss1, _ := f.storage(t, f.hosts[1])
	if err := f.addTarget(t, ss1, target(chapSecret)); err != nil {
		t.Fatal(err)
	}
	f.rescan(t, ss1)
	collect()
	if len(dsm.Host) != 2 {
		t.Fatalf("datastore on %d hosts after the second host's rescan, want 2", len(dsm.Host))
	}
	if free, _ := dss.QueryAvailableDisksForVmfs(ctx); len(free) != 0 {
		t.Error("a disk holding VMFS must not be available for VMFS")
	}
	// the second host loses the target: its mount stays, inaccessible
	if err := f.removeTarget(t, ss1, target(chapSecret)); err != nil {
		t.Fatal(err)
	}
	f.rescan(t, ss1)
	collect()
	for _, h := range dsm.Host {
		accessible := *h.MountInfo.Accessible
		if (h.Key == f.hosts[1].Reference()) == accessible {
			t.Errorf("host %s accessible=%v", h.Key.Value, accessible)
		}
	}
	// unmount on the first host; a second unmount faults InvalidState
	storage0 := object.NewHostStorageSystem(f.client.Client, ss0)
	if err := storage0.UnmountVmfsVolume(ctx, uuid); err != nil {
		t.Fatal(err)
	}
	if _, ok := faultOf(storage0.UnmountVmfsVolume(ctx, uuid)).(types.InvalidState); !ok {
		t.Error("unmounting an unmounted volume must fault InvalidState")
	}
	collect()
	if dsm.Summary.Accessible {
		t.Error("unmounted everywhere it is visible: the datastore must be inaccessible")
	}
	// removal deletes it from every host; the disk is free again
	if err := dss.Remove(ctx, object.NewDatastore(f.client.Client, ds.Reference())); err != nil {
		t.Fatal(err)
	}
	if err := property.DefaultCollector(f.client.Client).RetrieveOne(ctx, ds.Reference(), []string{"summary"}, &dsm); err == nil {
		t.Error("the removed datastore still answers")
	}
	for _, h := range f.hosts {
		var hm mo.HostSystem
		if err := property.DefaultCollector(f.client.Client).RetrieveOne(ctx, h.Reference(), []string{"datastore"}, &hm); err != nil {
			t.Fatal(err)
		}
		for _, r := range hm.Datastore {
			if r == ds.Reference() {
				t.Errorf("%s still lists the removed datastore", h.Name())
			}
		}
	}
	if free, _ := dss.QueryAvailableDisksForVmfs(ctx); len(free) != 1 {
		t.Error("after removal the disk must be available for VMFS again")
	}
	if err := f.removeTarget(t, ss0, target(chapSecret)); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) datacenterDatastores(t *testing.T) []types.ManagedObjectReference {
	t.Helper()
	dc, err := find.NewFinder(f.client.Client, true).Datacenter(context.Background(), "DC0")
	if err != nil {
		t.Fatal(err)
	}
	var m mo.Datacenter
	if err := property.DefaultCollector(f.client.Client).RetrieveOne(context.Background(), dc.Reference(), []string{"datastore"}, &m); err != nil {
		t.Fatal(err)
	}
	return m.Datastore
}

func TestAnUnmountedVmfsWhoseDiskIsGoneIsForgottenAndComesBackUnmounted(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	ss, _ := f.storage(t, f.hosts[0])
	if err := f.addTarget(t, ss, target(chapSecret)); err != nil {
		t.Fatal(err)
	}
	f.rescan(t, ss)
	dss, _ := f.hosts[0].ConfigManager().DatastoreSystem(ctx)
	free, _ := dss.QueryAvailableDisksForVmfs(ctx)
	options, err := dss.QueryVmfsDatastoreCreateOptions(ctx, free[0].DevicePath)
	if err != nil {
		t.Fatal(err)
	}
	spec := options[0].Spec.(*types.VmfsDatastoreCreateSpec)
	spec.Vmfs.VolumeName = "spindle-comeback"
	ds, err := dss.CreateVmfsDatastore(ctx, *spec)
	if err != nil {
		t.Fatal(err)
	}
	var dsm mo.Datastore
	if err := property.DefaultCollector(f.client.Client).RetrieveOne(ctx, ds.Reference(), []string{"info"}, &dsm); err != nil {
		t.Fatal(err)
	}
	uuid := dsm.Info.(*types.VmfsDatastoreInfo).Vmfs.Uuid
	if !containsRef(f.datacenterDatastores(t), ds.Reference()) {
		t.Fatal("the datacenter does not list the new datastore")
	}

	// a detach as vSphere wants it: unmount, remove the target, rescan
	if err := object.NewHostStorageSystem(f.client.Client, ss).UnmountVmfsVolume(ctx, uuid); err != nil {
		t.Fatal(err)
	}
	if err := f.removeTarget(t, ss, target(chapSecret)); err != nil {
		t.Fatal(err)
	}
	f.rescan(t, ss)
	if containsRef(f.datacenterDatastores(t), ds.Reference()) {
		t.Error("no host knows the datastore any more: vCenter must not list it")
	}
	var hm mo.HostSystem
	if err := property.DefaultCollector(f.client.Client).RetrieveOne(ctx, f.hosts[0].Reference(), []string{"datastore"}, &hm); err != nil {
		t.Fatal(err)
	}
	if containsRef(hm.Datastore, ds.Reference()) {
		t.Error("the host still lists the datastore it forgot")
	}

	// the disk comes back: so does the VMFS, unmounted; mounting makes it accessible; the LUN is not free for VMFS
	if err := f.addTarget(t, ss, target(chapSecret)); err != nil {
		t.Fatal(err)
	}
	f.rescan(t, ss)
	if !containsRef(f.datacenterDatastores(t), ds.Reference()) {
		t.Fatal("the datastore must be listed again once a host sees its disk")
	}
	if free, _ := dss.QueryAvailableDisksForVmfs(ctx); len(free) != 0 {
		t.Error("the disk holds the VMFS: it is not free")
	}
	if err := property.DefaultCollector(f.client.Client).RetrieveOne(ctx, ds.Reference(), []string{"host"}, &dsm); err != nil {
		t.Fatal(err)
	}
	if len(dsm.Host) != 1 || *dsm.Host[0].MountInfo.Mounted {
		t.Fatalf("the volume must come back unmounted: %+v", dsm.Host)
	}
	_, err = methods.MountVmfsVolume(ctx, f.client.Client, &types.MountVmfsVolume{This: ss, VmfsUuid: uuid})
	if err != nil {
		t.Fatal(err)
	}
	if err := property.DefaultCollector(f.client.Client).RetrieveOne(ctx, ds.Reference(), []string{"host", "summary"}, &dsm); err != nil {
		t.Fatal(err)
	}
	if !*dsm.Host[0].MountInfo.Mounted || !*dsm.Host[0].MountInfo.Accessible || !dsm.Summary.Accessible {
		t.Errorf("after MountVmfsVolume: %+v", dsm.Host[0].MountInfo)
	}
	if _, ok := faultOf(methods.MountVmfsVolume(ctx, f.client.Client, &types.MountVmfsVolume{This: ss, VmfsUuid: uuid})).(types.InvalidState); !ok {
		t.Error("mounting a mounted volume must fault InvalidState")
	}

	// no expansion while the disk is no larger than the volume
	expand, err := methods.QueryVmfsDatastoreExpandOptions(ctx, f.client.Client, &types.QueryVmfsDatastoreExpandOptions{
		This: dss.Reference(), Datastore: ds.Reference()})
	if err != nil || len(expand.Returnval) != 0 {
		t.Errorf("expand options for a datastore filling its disk: %v %v", expand, err)
	}
	if err := dss.Remove(ctx, object.NewDatastore(f.client.Client, ds.Reference())); err != nil {
		t.Fatal(err)
	}
	if err := f.removeTarget(t, ss, target(chapSecret)); err != nil {
		t.Fatal(err)
	}
}
