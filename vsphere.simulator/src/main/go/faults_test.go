package main

// The faults' control against govmomi's client, without tgt (a prober that finds no LUN): a call held before it
// acts has no effect until released (or none at all when dropped), a call held after it acted has its effect while
// its client still waits, a lost reply has its effect and the client an error; the control reports calls as they
// arrive and end, and refuses what it cannot do.

import (
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/types"
)

type noLuns struct{}

func (noLuns) probe(string, string, string, *chap) ([]lunInfo, error) { return nil, nil }

type controlled struct {
	fixture
	control string
}

func setupControlled(t *testing.T) *controlled {
	t.Helper()
	sim, err := start(options{listen: "127.0.0.1:0", user: "spindle", password: "faults-pass", clusterHosts: 2, vms: 1,
		dir: filepath.Join(t.TempDir(), "vmfs"), iqnPrefix: "iqn.1998-01.com.vmware:faults", control: "127.0.0.1:0"}, noLuns{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sim.stop)
	if !strings.HasPrefix(sim.control, "http://127.0.0.1:") {
		t.Fatalf("control %q", sim.control)
	}
	return &controlled{fixture: *connect(t, sim, "spindle", "faults-pass"), control: sim.control}
}

func (c *controlled) post(t *testing.T, path string) int {
	t.Helper()
	res, err := http.Post(c.control+path, "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	_ = res.Body.Close()
	return res.StatusCode
}

func (c *controlled) status(t *testing.T) status {
	t.Helper()
	res, err := http.Get(c.control + "/faults")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var s status
	if err := json.NewDecoder(res.Body).Decode(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

// awaitHeld waits until a call of method is held, and returns it.
func (c *controlled) awaitHeld(t *testing.T, method string) heldCall {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		for _, h := range c.status(t).Held {
			if h.Method == method {
				return h
			}
		}
	}
	t.Fatalf("no call of %s held", method)
	return heldCall{}
}

func (c *controlled) targets(t *testing.T, h *object.HostSystem) int {
	t.Helper()
	_, m := c.storage(t, h)
	return len(iscsiHba(t, m).ConfiguredStaticTarget)
}

func (c *controlled) addAsync(t *testing.T, h *object.HostSystem, iqn string) chan error {
	ss, _ := c.storage(t, h)
	done := make(chan error, 1)
	go func() {
		_, err := methods.AddInternetScsiStaticTargets(context.Background(), c.client.Client, &types.AddInternetScsiStaticTargets{
			This: ss, IScsiHbaDevice: "vmhba65", Targets: []types.HostInternetScsiHbaStaticTarget{{Address: "127.0.0.1", IScsiName: iqn}}})
		done <- err
	}()
	return done
}

func waitFor(t *testing.T, done chan error) error {
	t.Helper()
	select {
	case err := <-done:
		return err
	case <-time.After(10 * time.Second):
		t.Fatal("the call did not end")
		return nil
	}
}

func stillWaiting(t *testing.T, done chan error) {
	t.Helper()
	select {
	case err := <-done:
		t.Fatalf("the held call ended: %v", err)
	case <-time.After(100 * time.Millisecond):
	}
}

func TestAHoldBeforeTheCallActsKeepsItFromActingUntilReleased(t *testing.T) {
	c := setupControlled(t)
	h := c.hosts[0]
	// skip=1: the first call passes, the second is held
	if code := c.post(t, "/faults/hold?method=AddInternetScsiStaticTargets&phase=before&skip=1"); code != 200 {
		t.Fatalf("hold: HTTP %d", code)
	}
	if err := waitFor(t, c.addAsync(t, h, "iqn.2026-12.org.spindle:a")); err != nil {
		t.Fatal(err)
	}
	done := c.addAsync(t, h, "iqn.2026-12.org.spindle:b")
	held := c.awaitHeld(t, "AddInternetScsiStaticTargets")
	if held.Phase != "before" || !strings.HasPrefix(held.This, "host") && !strings.Contains(held.This, "storage") {
		t.Errorf("held call %+v", held)
	}
	stillWaiting(t, done)
	if n := c.targets(t, h); n != 1 {
		t.Errorf("while held before acting the host has %d static targets, want 1", n)
	}
	if s := c.status(t); s.Calls["AddInternetScsiStaticTargets"] != 2 || s.Done["AddInternetScsiStaticTargets"] != 1 {
		t.Errorf("calls %v done %v", s.Calls, s.Done)
	}
	if code := c.post(t, "/faults/release?method=AddInternetScsiStaticTargets"); code != 200 {
		t.Fatalf("release: HTTP %d", code)
	}
	if err := waitFor(t, done); err != nil {
		t.Fatal(err)
	}
	if n := c.targets(t, h); n != 2 {
		t.Errorf("after the release the host has %d static targets, want 2", n)
	}
	// the hold took one call: the next passes
	if err := waitFor(t, c.addAsync(t, h, "iqn.2026-12.org.spindle:c")); err != nil {
		t.Fatal(err)
	}

	// dropped before it acted: no effect, the client's connection is cut
	c.post(t, "/faults/hold?method=AddInternetScsiStaticTargets&phase=before")
	done = c.addAsync(t, h, "iqn.2026-12.org.spindle:d")
	c.awaitHeld(t, "AddInternetScsiStaticTargets")
	c.post(t, "/faults/release?drop=true")
	if err := waitFor(t, done); err == nil {
		t.Error("a dropped call must fail on the client")
	}
	if n := c.targets(t, h); n != 3 {
		t.Errorf("a dropped call acted: %d static targets, want 3", n)
	}
}

func TestAHoldAfterTheCallActedKeepsOnlyItsReply(t *testing.T) {
	c := setupControlled(t)
	h := c.hosts[1]
	c.post(t, "/faults/hold?method=AddInternetScsiStaticTargets&phase=after")
	done := c.addAsync(t, h, "iqn.2026-12.org.spindle:a")
	if held := c.awaitHeld(t, "AddInternetScsiStaticTargets"); held.Phase != "after" {
		t.Errorf("held %+v", held)
	}
	stillWaiting(t, done)
	if n := c.targets(t, h); n != 1 {
		t.Errorf("held after acting, the host has %d static targets, want 1", n)
	}
	// drop does not undo what was done: the held reply is sent
	c.post(t, "/faults/release?drop=true")
	if err := waitFor(t, done); err != nil {
		t.Fatal(err)
	}
	if s := c.status(t); len(s.Held) != 0 || s.Done["AddInternetScsiStaticTargets"] != 1 {
		t.Errorf("after the release: held %v done %v", s.Held, s.Done)
	}
}

func TestALostReplyActsAndCutsTheConnection(t *testing.T) {
	c := setupControlled(t)
	h := c.hosts[0]
	c.post(t, "/faults/lose?method=AddInternetScsiStaticTargets")
	if err := waitFor(t, c.addAsync(t, h, "iqn.2026-12.org.spindle:a")); err == nil {
		t.Error("a lost reply must fail on the client")
	}
	if n := c.targets(t, h); n != 1 {
		t.Errorf("the call whose reply was lost did not act: %d static targets", n)
	}
	// once only: the same call again is answered (AlreadyExists: it was made)
	if _, ok := faultOf(waitFor(t, c.addAsync(t, h, "iqn.2026-12.org.spindle:a"))).(types.AlreadyExists); !ok {
		t.Error("the second call must be answered with AlreadyExists")
	}
}

func TestClearReleasesEveryHeldCallAndTheControlRefusesNonsense(t *testing.T) {
	c := setupControlled(t)
	c.post(t, "/faults/hold?method=AddInternetScsiStaticTargets&phase=before")
	done := c.addAsync(t, c.hosts[0], "iqn.2026-12.org.spindle:a")
	c.awaitHeld(t, "AddInternetScsiStaticTargets")
	c.post(t, "/faults/hold?method=RescanHba&phase=after")
	c.post(t, "/faults/lose?method=RescanHba")
	c.post(t, "/faults/clear")
	if err := waitFor(t, done); err != nil {
		t.Fatal(err)
	}
	if s := c.status(t); len(s.Held) != 0 || len(s.Holds) != 0 || len(s.Lose) != 0 {
		t.Errorf("after clear: %+v", s)
	}
	for _, bad := range []string{"/faults/hold?method=X&phase=during", "/faults/hold?phase=before", "/faults/hold?method=X&phase=after&skip=-1",
		"/faults/hold?method=X&phase=after&skip=two", "/faults/lose?method=X&count=0", "/faults/lose?count=1"} {
		if code := c.post(t, bad); code != http.StatusBadRequest {
			t.Errorf("%s: HTTP %d, want 400", bad, code)
		}
	}
	if res, err := http.Get(c.control + "/faults/clear"); err != nil || res.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET of a change must be refused: %v %v", err, res)
	}
	if _, _, err := newFaults().serveControl("0.0.0.0:0"); err == nil {
		t.Error("a control on a non-loopback address must be refused")
	}
}

func TestSoapCallReadsTheMethodAndItsThis(t *testing.T) {
	m, this := soapCall([]byte(`<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">` +
		`<soapenv:Body><ReconfigVM_Task xmlns="urn:vim25"><_this type="VirtualMachine">vm-42</_this><spec/></ReconfigVM_Task>` +
		`</soapenv:Body></soapenv:Envelope>`))
	if m != "ReconfigVM_Task" || this != "vm-42" {
		t.Errorf("method %q this %q", m, this)
	}
	if m, _ := soapCall([]byte("not xml")); m != "" {
		t.Errorf("method of nonsense %q", m)
	}
}
