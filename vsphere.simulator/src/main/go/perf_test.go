package main

// The performance manager's own logic, without a server: tgt's backing stores read from tgtadm's listing, and a
// sample's per-second averages as vCenter rounds them, in both answer formats.

import (
	"strings"
	"testing"
	"time"

	"github.com/vmware/govmomi/vim25/types"
	"github.com/vmware/govmomi/vim25/xml"
)

func TestBackingStoresAreReadFromTgtadmsListing(t *testing.T) {
	p := &perfManager{}
	// two targets: LUN 1 of one on a loop device, of the other on a file
	listing := `Target 1: iqn.2026-12.org.spindle:a
    System information:
    LUN information:
        LUN: 0
            Backing store path: None
        LUN: 1
            Backing store path: /dev/loop0
Target 2: iqn.2026-12.org.spindle:b
    LUN information:
        LUN: 1
            Backing store path: /tmp/b.img
`
	found := p.backingStoresFrom(listing)
	if _, loop0 := found["iqn.2026-12.org.spindle:a/1"]; !loop0 && fileExists(statFile("/dev/loop0")) {
		t.Fatalf("LUN 1 of target a on /dev/loop0 not found: %v", found)
	}
	for k := range found {
		if strings.HasPrefix(k, "iqn.2026-12.org.spindle:b") || strings.HasSuffix(k, "/0") {
			t.Fatalf("a file backing store or the controller LUN has no kernel counters, yet %s was found", k)
		}
	}
}

func TestASampleIsReportedAsRoundedAveragesPerSecond(t *testing.T) {
	x := ioSample{end: time.Unix(1000, 0), interval: 20, io: ioCounters{readOps: 209, readBytes: 20 * 1024 * 7, writeOps: 11, writeBytes: 1023}}
	for counter, want := range map[int32]int64{counterReadOps: 10, counterWriteOps: 1, counterReadKBps: 7, counterWriteKBps: 0} {
		if got := x.value(counter); got != want {
			t.Errorf("counter %d: %d, want %d", counter, got, want)
		}
	}
	p := &perfManager{interval: 20, series: map[string]*diskSeries{"vm-1/scsi0:1": {samples: []ioSample{
		{end: time.Unix(980, 0).UTC(), interval: 20, io: ioCounters{readOps: 40}},
		x,
	}}}}
	start := time.Unix(980, 0)
	spec := types.PerfQuerySpec{Entity: types.ManagedObjectReference{Type: "VirtualMachine", Value: "vm-1"}, StartTime: &start,
		IntervalId: 20, Format: "csv", MetricId: []types.PerfMetricId{{CounterId: counterReadOps, Instance: "scsi0:1"},
			{CounterId: counterWriteKBps, Instance: "scsi0:1"}}}
	if !p.measured(spec) {
		t.Fatal("a VM's virtualDisk counters of one instance at the real-time interval are measured")
	}
	csv := p.entityMetric(spec).(*types.PerfEntityMetricCSV)
	if csv.SampleInfoCSV != "20,1970-01-01T00:16:40Z" {
		t.Errorf("only the sample after the start time (exclusive): %q", csv.SampleInfoCSV)
	}
	if csv.Value[0].Value != "10" || csv.Value[1].Value != "0" {
		t.Errorf("values %q %q, want 10 and 0 (a zero is written, not dropped)", csv.Value[0].Value, csv.Value[1].Value)
	}
	spec.Format = "normal"
	normal := p.entityMetric(spec).(*types.PerfEntityMetric)
	out, err := xml.Marshal(normal)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "<value>10</value>") || !strings.Contains(string(out), "<value>0</value>") ||
		!strings.Contains(string(out), `type="PerfMetricIntSeries"`) {
		t.Errorf("a normal series writes every value, zeros too, as a PerfMetricIntSeries: %s", out)
	}
	spec.MetricId = append(spec.MetricId, types.PerfMetricId{CounterId: 2, Instance: ""})
	if p.measured(spec) {
		t.Error("a query with another counter goes to the library")
	}
}
