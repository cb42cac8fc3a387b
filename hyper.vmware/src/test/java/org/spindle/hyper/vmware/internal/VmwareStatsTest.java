package org.spindle.hyper.vmware.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.spindle.hyper.vmware.internal.VSphere.Host;
import org.spindle.hyper.vmware.internal.VSphere.Vm;
import org.spindle.hyper.vmware.internal.VSphere.VmDisk;
import org.spindle.hyper.vmware.internal.vim.SoapVSphere;
import org.spindle.storage.api.IoStats;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.attach.Attachment;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.Limit;

/**
 * Disk I/O counters and limits read back from vCenter, on spindle-vcsim (real-time samples every 2 s instead of
 * vSphere's 20) and a tgt LUN served from a loop device: real SCSI reads and writes sent to the LUN over iSCSI
 * (qemu-io, as a guest's disk would) must show in {@code diskStats} as the kernel counted them, within vCenter's
 * rounding; limits changed by an operator's own vCenter session show in {@code limits}.
 */
class VmwareStatsTest extends ClusterFixture {
    static final int INTERVAL = 2;

    /** Hides {@link VcsimFixture#start}: real-time samples every {@value #INTERVAL} s. */
    @BeforeAll
    static void start() throws Exception {
        vcsim = Vcsim.start(dir, "iqn.1998-01.com.vmware:statstest", "-perf-interval", "" + INTERVAL);
    }

    /** A LUN on a loop device, whose kernel counters the test reads. */
    @Override
    TgtLun newLun(int tid) throws IOException {
        return TgtLun.create(dir, tid, "stats-test-" + tid, 64L << 20, "vmwstatstest", "stats-secret-1234", true);
    }

    @AfterEach
    void detachTheVolume() {
        cluster.detach(new Attachment(volume, vm().instanceUuid(), vm().name(), "", "", null, true), target());
    }

    Target target() {
        return target(lun.chap);
    }

    @Override
    Vm vm() {
        return vsphere.vms().stream().filter(v -> v.name().endsWith("VM1")).findFirst().orElseThrow();
    }

    Attachment attach(IoLimits limits) {
        return cluster.attach(request(limits, lun.chap));
    }

    /**
     * Reads the counters once vCenter holds a real-time sample that ended after {@code after} (the simulator samples
     * every 2 s; before its first sample of a disk, the counters' time is only the time of the reading).
     */
    IoStats readPast(DiskStats stats, Attachment a, Instant after) throws InterruptedException {
        Vm vm = vm();
        String instance = vsphere.disks(vm).stream().filter(d -> d.fileName().equals(a.device())).findFirst().orElseThrow()
                .perfInstance();
        for (int i = 0; i < 100 && vsphere.diskIo(vm, instance, after, INTERVAL).isEmpty(); i++) {
            Thread.sleep(500);
        }
        IoStats s = stats.read(a);
        assertTrue(s.sampledAt().isAfter(after), "a sample after " + after + " (last " + s.sampledAt() + ")");
        return s;
    }

    @Test
    void countersAddUpTheRealIoOfTheLun() throws Exception {
        Attachment a = attach(IoLimits.NONE);
        Path kept = dir.resolve("counters-" + volume + ".txt");
        DiskStats stats = new DiskStats(vsphere, cluster, new DiskCounters(kept));
        // a baseline: a sample after the simulator's first reading of the disk (it counts from there)
        IoStats before = readPast(stats, a, Instant.now().plusSeconds(INTERVAL));
        long[] loopBefore = lun.counters();

        String host = vsphere.hosts().stream().filter(h -> h.ref().equals(vm().hostRef())).map(Host::iqn).findFirst().orElseThrow();
        List<String> io = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            io.add("write -P 0x5a " + (i * 4096L) + " 4k");
        }
        for (int i = 0; i < 50; i++) {
            io.add("read " + (i * 65536L) + " 64k");
        }
        lun.qemuIo(dir, host, io);
        long[] loopAfter = lun.counters();
        IoStats after = readPast(stats, a, Instant.now().plusSeconds(INTERVAL));
        // nothing else touches the LUN now: a later reading of the kernel's counters is the same
        assertEquals(loopAfter[2], lun.counters()[2], "the LUN is idle");

        long readOps = loopAfter[0] - loopBefore[0];
        long readBytes = loopAfter[1] - loopBefore[1];
        long writeOps = loopAfter[2] - loopBefore[2];
        long writeBytes = loopAfter[3] - loopBefore[3];
        assertTrue(writeOps >= 400 && writeBytes == 400 * 4096L, "the kernel counted the writes: " + writeOps + " / " + writeBytes);
        assertTrue(readOps >= 50 && readBytes == 50 * 65536L, "the kernel counted the reads: " + readOps + " / " + readBytes);
        // vCenter rounds each sample's per-second averages: off by at most half an interval's worth per sample
        long samples = Duration.between(before.sampledAt(), after.sampledAt()).toSeconds() / INTERVAL;
        long opsSlack = samples * INTERVAL / 2 + samples;
        long bytesSlack = samples * INTERVAL * 512L + samples * 1024;
        assertClose("write ops", writeOps, after.writeOps() - before.writeOps(), opsSlack);
        assertClose("read ops", readOps, after.readOps() - before.readOps(), opsSlack);
        assertClose("bytes written", writeBytes, after.writeBytes() - before.writeBytes(), bytesSlack);
        assertClose("bytes read", readBytes, after.readBytes() - before.readBytes(), bytesSlack);

        // the totals go on across a restart of the service (kept in the file): no sample is added twice
        DiskStats restarted = new DiskStats(vsphere, cluster, new DiskCounters(kept));
        IoStats again = restarted.read(a);
        assertTrue(again.writeOps() >= after.writeOps() && again.writeOps() <= after.writeOps() + opsSlack,
                "went on from " + after.writeOps() + ", not from zero or twice: " + again.writeOps());
        assertTrue(again.writeBytes() >= after.writeBytes());

        // the periodic sweep keeps an attached disk's totals, and forgets them once the disk is detached
        restarted.sampleAll();
        assertEquals(again.writeOps(), new DiskCounters(kept).get(volume, a.vmId(), "scsi0:1").writeOps(), "kept while attached");
        cluster.detach(a, target());
        restarted.sampleAll();
        assertEquals(DiskCounters.Totals.start("scsi0:1"), new DiskCounters(kept).get(volume, a.vmId(), "scsi0:1"), "forgotten");
    }

    static void assertClose(String what, long kernel, long spindle, long slack) {
        assertTrue(Math.abs(kernel - spindle) <= slack, what + ": the LUN's kernel counted " + kernel + ", the counters say " + spindle
                + " (allowed rounding " + slack + ")");
    }

    @Test
    void limitsAreReadBackAsAnOperatorLeftThem() {
        Attachment a = attach(new IoLimits(Limit.NONE, Limit.NONE, Limit.of(600), Limit.NONE, Limit.NONE, Limit.NONE, 0));
        assertEquals(Limit.of(600), cluster.limits(a).totalIops());
        assertEquals(0, cluster.limits(a).weight());

        // an operator in the vSphere client: another session reconfigures the disk (ReconfigVM_Task, edit)
        try (SoapVSphere operator = vcsim.vsphere()) {
            Vm vm = operator.vms().stream().filter(v -> v.instanceUuid().equals(a.vmId())).findFirst().orElseThrow();
            VmDisk d = operator.disks(vm).stream().filter(x -> x.fileName().equals(a.device())).findFirst().orElseThrow();
            operator.changeDisk(vm, d, d.capacityKb(), 250, 4000);
        }
        IoLimits found = cluster.limits(a);
        assertEquals(Limit.of(250), found.totalIops(), "the limit vCenter has now");
        assertEquals(IoLimits.MAX_WEIGHT, found.weight(), "custom shares 4000 are the highest weight");
        assertTrue(found.readIops().rate() == 0 && found.writeIops().rate() == 0 && !found.hasBytes(), "IOPS total only");

        try (SoapVSphere operator = vcsim.vsphere()) {
            Vm vm = operator.vms().stream().filter(v -> v.instanceUuid().equals(a.vmId())).findFirst().orElseThrow();
            VmDisk d = operator.disks(vm).stream().filter(x -> x.fileName().equals(a.device())).findFirst().orElseThrow();
            operator.changeDisk(vm, d, d.capacityKb(), -1, 0);
        }
        assertEquals(IoLimits.NONE, cluster.limits(a), "unlimited at normal shares: nothing set");

        // Spindle's own change reads back the same way
        cluster.changeLimits(a, new IoLimits(Limit.NONE, Limit.NONE, Limit.of(900), Limit.NONE, Limit.NONE, Limit.NONE, 500));
        assertEquals(new IoLimits(Limit.NONE, Limit.NONE, Limit.of(900), Limit.NONE, Limit.NONE, Limit.NONE, 500), cluster.limits(a));
    }
}
