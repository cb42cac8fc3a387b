package org.spindle.hyper.vmware.internal;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spindle.hyper.vmware.internal.DiskCounters.Added;
import org.spindle.hyper.vmware.internal.DiskCounters.Totals;
import org.spindle.hyper.vmware.internal.VSphere.DiskIo;
import org.spindle.hyper.vmware.internal.VSphere.Vm;
import org.spindle.hyper.vmware.internal.VSphere.VmDisk;
import org.spindle.storage.api.IoStats;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.attach.Attachment;

/**
 * A Spindle disk's cumulative I/O from vCenter's performance manager: its VM's real-time {@code virtualDisk}
 * samples for the disk's instance ({@code scsi<bus>:<unit>}), added up by {@link DiskCounters}. vCenter keeps
 * real-time samples for an hour, so {@link #sampleAll} must run more often than that (the service runs it every
 * {@code stats.seconds}); a reading of one disk ({@link #read}) adds what came since the last one.
 */
final class DiskStats {
    private static final Logger LOG = LoggerFactory.getLogger(DiskStats.class);

    private final VSphere vsphere;
    private final VmwareCluster cluster;
    private final DiskCounters counters;

    DiskStats(VSphere vsphere, VmwareCluster cluster, DiskCounters counters) {
        this.vsphere = vsphere;
        this.cluster = cluster;
        this.counters = counters;
    }

    /** The disk's counters now: its totals with every real-time sample vCenter has added since the last reading. */
    IoStats read(Attachment attachment) {
        Vm vm = cluster.vm(attachment.vmId());
        String file = VmwareCluster.fileOf(attachment);
        VmDisk disk = cluster.disk(vm, file).orElseThrow(() -> new StorageException(StorageException.Reason.NOT_FOUND, "volume",
                "VM " + vm.name() + " has no disk " + file, null));
        int seconds = vsphere.realtimeSeconds(vm);
        synchronized (this) {
            Totals before = counters.get(attachment.volumeId(), attachment.vmId(), disk.perfInstance());
            List<DiskIo> samples = vsphere.diskIo(vm, disk.perfInstance(), before.through(), seconds);
            Added added = DiskCounters.add(before, samples);
            if (added.gapSeconds() > 0) {
                LOG.warn("volume {} on VM {}: vCenter has no I/O figures for {} s since {} (samples gone or not reported); "
                        + "that time adds nothing to its counters", attachment.volumeId(), vm.name(), added.gapSeconds(),
                        before.through());
            }
            Totals now = added.totals();
            counters.put(attachment.volumeId(), attachment.vmId(), now);
            return new IoStats(now.readOps(), now.writeOps(), now.readBytes(), now.writeBytes(),
                    now.through() == null ? Instant.now() : now.through());
        }
    }

    /**
     * Reads every Spindle disk of the cluster, so that no real-time sample ages out unread, and forgets the totals
     * of disks that are no longer attached. A disk that cannot be read is logged and tried again next time.
     */
    void sampleAll() {
        Set<String> attached = new HashSet<>();
        for (Attachment a : cluster.attachments()) {
            if (a.device().isEmpty()) {
                continue;
            }
            attached.add(DiskCounters.key(a.volumeId(), a.vmId()));
            try {
                read(a);
            } catch (RuntimeException e) {
                LOG.warn("volume {} on VM {}: reading its I/O counters from vCenter failed: {}", a.volumeId(), a.vmName(),
                        e.getMessage());
            }
        }
        counters.retain(attached);
    }
}
