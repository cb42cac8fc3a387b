package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

// The performance manager's sampler: which VM disks sit on which iSCSI LUN, which block device tgt serves that LUN
// from, and the kernel's counters of that device, read every interval.

// vmDisk is a VM disk as the sampler needs it.
type vmDisk struct {
	vm, host, instance, file string
}

func (p *perfManager) vmDisks() []vmDisk {
	var out []vmDisk
	for _, e := range simulator.Map.All("VirtualMachine") {
		vm := e.(*simulator.VirtualMachine)
		simulator.Map.WithLock(vm, func() {
			if vm.Config == nil || vm.Runtime.Host == nil {
				return
			}
			buses := map[int32]int32{}
			for _, d := range vm.Config.Hardware.Device {
				if c, ok := d.(types.BaseVirtualSCSIController); ok {
					buses[c.GetVirtualSCSIController().Key] = c.GetVirtualSCSIController().BusNumber
				}
			}
			for _, d := range vm.Config.Hardware.Device {
				disk, ok := d.(*types.VirtualDisk)
				if !ok || disk.UnitNumber == nil {
					continue
				}
				bus, ok := buses[disk.ControllerKey]
				backing, isFile := disk.Backing.(types.BaseVirtualDeviceFileBackingInfo)
				if !ok || !isFile {
					continue
				}
				out = append(out, vmDisk{vm: vm.Self.Value, host: vm.Runtime.Host.Value,
					instance: fmt.Sprintf("scsi%d:%d", bus, *disk.UnitNumber), file: backing.GetVirtualDeviceFileBackingInfo().FileName})
			}
		})
	}
	return out
}

// lunOf is the iSCSI target and LUN under a file's VMFS datastore, as the VM's host (or any host) sees it.
func (w *world) lunOf(file, hostID string) (string, int, bool) {
	if !strings.HasPrefix(file, "[") || !strings.Contains(file, "]") {
		return "", 0, false
	}
	name := file[1:strings.Index(file, "]")]
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, v := range w.volumes {
		if v.name != name {
			continue
		}
		if h, ok := w.hosts[hostID]; ok {
			if d, ok := h.disks[v.naa]; ok {
				return d.target, d.info.lun, true
			}
		}
		for _, h := range w.hosts {
			if d, ok := h.disks[v.naa]; ok {
				return d.target, d.info.lun, true
			}
		}
	}
	return "", 0, false
}

// sample records one interval for every VM disk on an iSCSI LUN whose block device can be read.
func (p *perfManager) sample(now time.Time) {
	disks := p.vmDisks()
	backing := map[string]string{}
	var backingErr error
	looked := false
	p.mu.Lock()
	defer p.mu.Unlock()
	seen := map[string]bool{}
	for _, d := range disks {
		key := d.vm + "/" + d.instance
		seen[key] = true
		target, lun, ok := p.world.lunOf(d.file, d.host)
		if !ok {
			continue
		}
		if !looked {
			backing, backingErr = p.backingStores()
			looked = true
			if backingErr != nil {
				fmt.Fprintln(os.Stderr, "spindle-vcsim: performance sample:", backingErr)
			}
		}
		device := backing[fmt.Sprintf("%s/%d", target, lun)]
		if device == "" {
			continue // a file backing store: the kernel counts nothing per LUN, so nothing is reported
		}
		c, err := readCounters(device)
		if err != nil {
			fmt.Fprintln(os.Stderr, "spindle-vcsim: performance sample:", err)
			continue
		}
		s := p.series[key]
		if s == nil {
			s = &diskSeries{}
			p.series[key] = s
		}
		if s.file != d.file || s.device != device {
			// a new disk in this slot, or a new device under it: this reading is the baseline
			s.file, s.device, s.last = d.file, device, c
			continue
		}
		delta := ioCounters{c.readOps - s.last.readOps, c.readBytes - s.last.readBytes, c.writeOps - s.last.writeOps,
			c.writeBytes - s.last.writeBytes}
		s.last = c
		if delta.readOps < 0 || delta.writeOps < 0 || delta.readBytes < 0 || delta.writeBytes < 0 {
			continue // the device was made again: no sample for this interval
		}
		s.samples = append(s.samples, ioSample{end: now, interval: p.interval, io: delta})
		if len(s.samples) > realtimeSamples {
			s.samples = append([]ioSample{}, s.samples[len(s.samples)-realtimeSamples:]...)
		}
	}
	for key, s := range p.series {
		if !seen[key] {
			s.file = "" // the disk left the VM: the next one in this slot starts from its own baseline
		}
	}
}

// backingStores maps "<target IQN>/<LUN>" to the block device tgt serves it from, for LUNs backed by a block
// device whose kernel counters exist.
func (p *perfManager) backingStores() (map[string]string, error) {
	out, err := exec.Command(p.tgtadm, "--lld", "iscsi", "--mode", "target", "--op", "show").Output()
	if err != nil {
		return map[string]string{}, fmt.Errorf("tgtadm: %v", err)
	}
	return p.backingStoresFrom(string(out)), nil
}

// backingStoresFrom reads tgtadm's target listing.
func (p *perfManager) backingStoresFrom(listing string) map[string]string {
	found := map[string]string{}
	target, lun := "", -1
	scanner := bufio.NewScanner(strings.NewReader(listing))
	for scanner.Scan() {
		line := strings.TrimSpace(scanner.Text())
		switch {
		case strings.HasPrefix(line, "Target ") && strings.Contains(line, ": "):
			target, lun = line[strings.Index(line, ": ")+2:], -1
		case strings.HasPrefix(line, "LUN: "):
			lun, _ = strconv.Atoi(strings.TrimPrefix(line, "LUN: "))
		case strings.HasPrefix(line, "Backing store path: ") && lun >= 0:
			path := strings.TrimPrefix(line, "Backing store path: ")
			if strings.HasPrefix(path, "/dev/") && fileExists(statFile(path)) {
				found[fmt.Sprintf("%s/%d", target, lun)] = path
			}
		}
	}
	return found
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func statFile(device string) string {
	return filepath.Join("/sys/block", filepath.Base(device), "stat")
}

// readCounters reads the kernel's counters of a block device (Documentation/block/stat: read I/Os, read merges,
// read sectors, read ticks, write I/Os, write merges, write sectors, …; sectors of 512 bytes).
func readCounters(device string) (ioCounters, error) {
	raw, err := os.ReadFile(statFile(device))
	if err != nil {
		return ioCounters{}, err
	}
	f := strings.Fields(string(raw))
	if len(f) < 7 {
		return ioCounters{}, fmt.Errorf("%s: unreadable stat %q", device, string(raw))
	}
	n := make([]int64, 7)
	for i := range n {
		if n[i], err = strconv.ParseInt(f[i], 10, 64); err != nil {
			return ioCounters{}, fmt.Errorf("%s: %v", device, err)
		}
	}
	return ioCounters{readOps: n[0], readBytes: n[2] * 512, writeOps: n[4], writeBytes: n[6] * 512}, nil
}
