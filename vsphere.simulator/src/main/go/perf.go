package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

// The virtualDisk counters of vCenter's performance manager (the keys of the library's vCenter model, which are
// vCenter's own): average read / write commands per second and read / write KB per second of one virtual disk,
// instance "scsi<bus>:<unit>", over each real-time interval.
const (
	counterReadOps   = int32(171) // virtualDisk.numberReadAveraged.average, number (per second)
	counterWriteOps  = int32(172) // virtualDisk.numberWriteAveraged.average
	counterReadKBps  = int32(173) // virtualDisk.read.average, kiloBytesPerSecond
	counterWriteKBps = int32(174) // virtualDisk.write.average
)

// realtimeSamples is how many real-time samples are kept per disk: an hour's worth at vSphere's 20 s, as an ESXi
// host keeps them.
const realtimeSamples = 180

// ioCounters are a block device's cumulative counters from /sys/block/NAME/stat.
type ioCounters struct {
	readOps, readBytes, writeOps, writeBytes int64
}

// ioSample is one real-time interval of one virtual disk: what its LUN did from end-interval to end.
type ioSample struct {
	end      time.Time
	interval int32
	io       ioCounters
}

// diskSeries is the real-time history of one VM's disk instance.
type diskSeries struct {
	file    string // the backing file the last reading was for
	device  string // the block device under the LUN
	last    ioCounters
	samples []ioSample
}

// perfManager is vCenter's PerformanceManager with real-time virtualDisk counters measured on the real LUNs: every
// interval, for each VM disk whose file is in a VMFS datastore on an iSCSI LUN, the kernel's counters of the block
// device tgt serves that LUN from (a loop device; tgt's backing store found with tgtadm) are read, and the
// difference since the previous reading is the interval's sample. Every other counter is the library's canned data.
type perfManager struct {
	simulator.PerformanceManager
	world    *world
	interval int32
	tgtadm   string

	mu     sync.Mutex
	series map[string]*diskSeries // by VM moref value + "/" + instance
}

func installPerf(w *world, interval time.Duration) *perfManager {
	base := simulator.Map.Get(types.ManagedObjectReference{Type: "PerformanceManager", Value: "PerfMgr"}).(*simulator.PerformanceManager)
	p := &perfManager{PerformanceManager: *base, world: w, interval: int32(interval / time.Second), tgtadm: "tgtadm",
		series: map[string]*diskSeries{}}
	simulator.Map.Put(p)
	return p
}

// run samples every interval until stop is closed.
func (p *perfManager) run(stop <-chan struct{}) {
	t := time.NewTicker(time.Duration(p.interval) * time.Second)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case now := <-t.C:
			p.sample(now.UTC().Truncate(time.Second))
		}
	}
}

func ours(id int32) bool {
	return id == counterReadOps || id == counterWriteOps || id == counterReadKBps || id == counterWriteKBps
}

// QueryPerfProviderSummary: VMs and hosts refresh at this simulator's interval (vSphere's is 20 s).
func (p *perfManager) QueryPerfProviderSummary(ctx *simulator.Context, req *types.QueryPerfProviderSummary) soap.HasFault {
	res := p.PerformanceManager.QueryPerfProviderSummary(ctx, req)
	if body, ok := res.(*methods.QueryPerfProviderSummaryBody); ok && body.Res != nil && body.Res.Returnval.CurrentSupported {
		body.Res.Returnval.RefreshRate = p.interval
	}
	return res
}

// QueryAvailablePerfMetric adds a VM's per-disk virtualDisk counters (real-time) to the library's list.
func (p *perfManager) QueryAvailablePerfMetric(ctx *simulator.Context, req *types.QueryAvailablePerfMetric) soap.HasFault {
	res := p.PerformanceManager.QueryAvailablePerfMetric(ctx, req)
	body, ok := res.(*methods.QueryAvailablePerfMetricBody)
	if !ok || body.Res == nil || req.Entity.Type != "VirtualMachine" || (req.IntervalId != 0 && req.IntervalId != p.interval) {
		return res
	}
	for _, d := range p.vmDisks() {
		if d.vm == req.Entity.Value {
			for _, c := range []int32{counterReadOps, counterWriteOps, counterReadKBps, counterWriteKBps} {
				body.Res.Returnval = append(body.Res.Returnval, types.PerfMetricId{CounterId: c, Instance: d.instance})
			}
		}
	}
	return res
}

// QueryPerf answers a query for a VM's virtualDisk counters of given instances at the real-time interval from the
// measured samples, oldest first, after startTime (exclusive) up to endTime, the last maxSample of them; -1 where
// an instance has no sample at a time another has. Any other query goes to the library.
func (p *perfManager) QueryPerf(ctx *simulator.Context, req *types.QueryPerf) soap.HasFault {
	for _, qs := range req.QuerySpec {
		if !p.measured(qs) {
			return p.PerformanceManager.QueryPerf(ctx, req)
		}
	}
	body := &methods.QueryPerfBody{Res: &types.QueryPerfResponse{}}
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, qs := range req.QuerySpec {
		if simulator.Map.Get(qs.Entity) == nil {
			body.Fault_ = simulator.Fault("no "+qs.Entity.Value, &types.ManagedObjectNotFound{Obj: qs.Entity})
			return body
		}
		body.Res.Returnval = append(body.Res.Returnval, p.entityMetric(qs))
	}
	return body
}

func (p *perfManager) measured(qs types.PerfQuerySpec) bool {
	if qs.Entity.Type != "VirtualMachine" || qs.IntervalId != p.interval || len(qs.MetricId) == 0 {
		return false
	}
	for _, m := range qs.MetricId {
		if !ours(m.CounterId) || m.Instance == "" || m.Instance == "*" {
			return false
		}
	}
	return true
}

func (p *perfManager) entityMetric(qs types.PerfQuerySpec) types.BasePerfEntityMetricBase {
	times := map[time.Time]bool{}
	for _, m := range qs.MetricId {
		if s := p.series[qs.Entity.Value+"/"+m.Instance]; s != nil {
			for _, x := range s.samples {
				if (qs.StartTime == nil || x.end.After(*qs.StartTime)) && (qs.EndTime == nil || !x.end.After(*qs.EndTime)) {
					times[x.end] = true
				}
			}
		}
	}
	var ends []time.Time
	for t := range times {
		ends = append(ends, t)
	}
	sortTimes(ends)
	if qs.MaxSample > 0 && int(qs.MaxSample) < len(ends) {
		ends = ends[len(ends)-int(qs.MaxSample):]
	}
	if qs.Format == string(types.PerfFormatCsv) {
		return p.csvMetric(qs, ends)
	}
	metric := &types.PerfEntityMetric{PerfEntityMetricBase: types.PerfEntityMetricBase{Entity: qs.Entity}}
	for _, t := range ends {
		metric.SampleInfo = append(metric.SampleInfo, types.PerfSampleInfo{Timestamp: t, Interval: p.interval})
	}
	for _, m := range qs.MetricId {
		byEnd := map[time.Time]ioSample{}
		if s := p.series[qs.Entity.Value+"/"+m.Instance]; s != nil {
			for _, x := range s.samples {
				byEnd[x.end] = x
			}
		}
		series := &PerfMetricIntSeries{PerfMetricSeries: types.PerfMetricSeries{Id: m}}
		for _, t := range ends {
			x, ok := byEnd[t]
			if !ok {
				series.Value = append(series.Value, -1)
				continue
			}
			series.Value = append(series.Value, x.value(m.CounterId))
		}
		metric.Value = append(metric.Value, series)
	}
	return metric
}

// csvMetric is the same answer in the CSV format (PerfEntityMetricCSV): "interval,timestamp,…" and one
// comma-separated value list per counter. (The library's XML encoder drops zeros from a normal series' value list,
// so a zero would read as a missing sample there; the CSV strings carry every value.)
func (p *perfManager) csvMetric(qs types.PerfQuerySpec, ends []time.Time) *types.PerfEntityMetricCSV {
	metric := &types.PerfEntityMetricCSV{PerfEntityMetricBase: types.PerfEntityMetricBase{Entity: qs.Entity}}
	var info []string
	for _, t := range ends {
		info = append(info, fmt.Sprintf("%d,%s", p.interval, t.UTC().Format(time.RFC3339)))
	}
	metric.SampleInfoCSV = strings.Join(info, ",")
	for _, m := range qs.MetricId {
		byEnd := map[time.Time]ioSample{}
		if s := p.series[qs.Entity.Value+"/"+m.Instance]; s != nil {
			for _, x := range s.samples {
				byEnd[x.end] = x
			}
		}
		var values []string
		for _, t := range ends {
			if x, ok := byEnd[t]; ok {
				values = append(values, strconv.FormatInt(x.value(m.CounterId), 10))
			} else {
				values = append(values, "-1")
			}
		}
		metric.Value = append(metric.Value, types.PerfMetricSeriesCSV{PerfMetricSeries: types.PerfMetricSeries{Id: m},
			Value: strings.Join(values, ",")})
	}
	return metric
}

// PerfMetricIntSeries is the library's series with every value written: its own type's `omitempty` makes the XML
// encoder drop zero values from the list, so a client would read the values after a zero at the wrong times. The
// type name is what the encoder writes as xsi:type.
type PerfMetricIntSeries struct {
	types.PerfMetricSeries
	Value []int64 `xml:"value"`
}

// value is what vCenter reports for a counter over the sample: an average per second, rounded to a whole number
// (commands per second, or KB of 1024 bytes per second).
func (x ioSample) value(counter int32) int64 {
	per := func(n int64, unit float64) int64 { return int64(math.Round(float64(n) / unit / float64(x.interval))) }
	switch counter {
	case counterReadOps:
		return per(x.io.readOps, 1)
	case counterWriteOps:
		return per(x.io.writeOps, 1)
	case counterReadKBps:
		return per(x.io.readBytes, 1024)
	default:
		return per(x.io.writeBytes, 1024)
	}
}

func sortTimes(ts []time.Time) {
	for i := 1; i < len(ts); i++ {
		for j := i; j > 0 && ts[j].Before(ts[j-1]); j-- {
			ts[j], ts[j-1] = ts[j-1], ts[j]
		}
	}
}
