package org.spindle.hyper.vmware.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spindle.hyper.vmware.internal.VSphere.DiskIo;

/**
 * Cumulative I/O counters of the disks of one vSphere cluster, made by adding up vCenter's real-time samples.
 * vCenter gives a disk's I/O only as per-interval averages (commands and KB per second over each real-time
 * interval, 20 s, kept an hour); each sample adds {@code rate × interval} to the totals, once: the totals carry the
 * end of the last sample added, and only later samples are added.
 *
 * <p>Precision: vCenter rounds each average to a whole number, so a sample may be off by up to half an interval's
 * worth of commands (10 at 20 s) and half a KB per second of it (10 KiB at 20 s) per direction. A gap — samples
 * vCenter no longer holds (more than its hour without a reading), or an interval without a value (-1, e.g. a host
 * that did not report) — adds nothing: the counters never invent I/O, and the gap is logged with its length.
 *
 * <p>The totals are kept per volume and VM in a file (written whole, then moved over the old one), so they go on
 * across restarts of the service; without the file they start again from what vCenter still holds, which the
 * core sees as a counter that restarted.
 */
final class DiskCounters {
    private static final Logger LOG = LoggerFactory.getLogger(DiskCounters.class);

    /** One disk's totals: read / write commands and bytes, the instance read, and the end of the last sample added. */
    record Totals(long readOps, long writeOps, long readBytes, long writeBytes, String instance, Instant through) {
        static Totals start(String instance) {
            return new Totals(0, 0, 0, 0, instance, null);
        }
    }

    /** The totals after adding the samples, and how many seconds had no value. */
    record Added(Totals totals, long gapSeconds) {
    }

    private final Path file;
    private final Map<String, Totals> totals = new TreeMap<>();

    /** Totals kept in {@code file} (read now when it exists); {@code null}: kept in memory only. */
    DiskCounters(Path file) {
        this.file = file;
        if (file != null && Files.exists(file)) {
            read();
        }
    }

    static String key(UUID volumeId, String vmId) {
        return volumeId + "/" + vmId;
    }

    synchronized Totals get(UUID volumeId, String vmId, String instance) {
        Totals t = totals.get(key(volumeId, vmId));
        if (t == null) {
            return Totals.start(instance);
        }
        // the disk moved to another slot of the VM: go on from where the totals are, with the new instance's samples
        return t.instance().equals(instance) ? t : new Totals(t.readOps, t.writeOps, t.readBytes, t.writeBytes, instance, t.through);
    }

    synchronized void put(UUID volumeId, String vmId, Totals t) {
        if (t.equals(totals.put(key(volumeId, vmId), t))) {
            return;
        }
        write();
    }

    /** Forgets the totals of disks no longer attached (their keys not in {@code keep}). */
    synchronized void retain(java.util.Set<String> keep) {
        if (totals.keySet().retainAll(keep)) {
            write();
        }
    }

    /**
     * Adds the samples that ended after {@code t.through()} (oldest first), each as its rate times its interval.
     */
    static Added add(Totals t, List<DiskIo> samples) {
        long readOps = t.readOps();
        long writeOps = t.writeOps();
        long readBytes = t.readBytes();
        long writeBytes = t.writeBytes();
        Instant through = t.through();
        long gap = 0;
        for (DiskIo s : samples) {
            if (through != null && !s.end().isAfter(through)) {
                continue;
            }
            Instant start = s.end().minusSeconds(s.seconds());
            if (through != null && start.isAfter(through)) {
                gap += start.getEpochSecond() - through.getEpochSecond();
            }
            if (s.readsPerSecond() < 0 || s.writesPerSecond() < 0 || s.readKBps() < 0 || s.writeKBps() < 0) {
                gap += s.seconds();
            } else {
                readOps += s.readsPerSecond() * s.seconds();
                writeOps += s.writesPerSecond() * s.seconds();
                readBytes += s.readKBps() * 1024 * s.seconds();
                writeBytes += s.writeKBps() * 1024 * s.seconds();
            }
            through = s.end();
        }
        return new Added(new Totals(readOps, writeOps, readBytes, writeBytes, t.instance(), through), gap);
    }

    private void read() {
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] f = line.split(" ");
                if (f.length != 7 || line.startsWith("#")) {
                    continue;
                }
                totals.put(f[0], new Totals(Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]), Long.parseLong(f[5]),
                        f[1], "-".equals(f[6]) ? null : Instant.ofEpochSecond(Long.parseLong(f[6]))));
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("vSphere disk counters: cannot read {} ({}); they start again from what vCenter holds", file, e.getMessage());
            totals.clear();
        }
    }

    private void write() {
        if (file == null) {
            return;
        }
        List<String> lines = new ArrayList<>();
        lines.add("# volume/vm instance readOps writeOps readBytes writeBytes throughEpochSecond");
        totals.forEach((k, t) -> lines.add(k + " " + t.instance() + " " + t.readOps() + " " + t.writeOps() + " " + t.readBytes()
                + " " + t.writeBytes() + " " + (t.through() == null ? "-" : Long.toString(t.through().getEpochSecond()))));
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, lines, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the vSphere disk counters in " + file, e);
        }
    }
}
