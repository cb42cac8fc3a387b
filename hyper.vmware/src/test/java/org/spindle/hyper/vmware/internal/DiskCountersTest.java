package org.spindle.hyper.vmware.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spindle.hyper.vmware.internal.DiskCounters.Added;
import org.spindle.hyper.vmware.internal.DiskCounters.Totals;
import org.spindle.hyper.vmware.internal.VSphere.DiskIo;

/** Adding vCenter's real-time averages up into cumulative counters, by hand-computed figures. */
class DiskCountersTest {
    static final Instant T = Instant.parse("2026-12-01T10:00:00Z");

    static DiskIo at(int seconds, long reads, long writes, long readKBps, long writeKBps) {
        return new DiskIo(T.plusSeconds(seconds), 20, reads, writes, readKBps, writeKBps);
    }

    @Test
    void eachSampleAddsItsRateTimesItsIntervalOnce() {
        Added first = DiskCounters.add(Totals.start("scsi0:1"), List.of(at(20, 10, 5, 40, 8), at(40, 1, 0, 4, 0)));
        assertEquals(new Totals(220, 100, (40 + 4) * 1024L * 20, 8 * 1024L * 20, "scsi0:1", T.plusSeconds(40)), first.totals());
        assertEquals(0, first.gapSeconds());
        // vCenter answers with what it holds after the start time, but a sample already added is never added again
        Added again = DiskCounters.add(first.totals(), List.of(at(40, 1, 0, 4, 0), at(60, 0, 2, 0, 1)));
        assertEquals(new Totals(220, 140, 44 * 1024L * 20, 9 * 1024L * 20, "scsi0:1", T.plusSeconds(60)), again.totals());
    }

    @Test
    void aGapAddsNothingAndIsMeasured() {
        Totals t = new Totals(100, 100, 0, 0, "scsi0:1", T);
        // samples between 0 and 3600 are gone (vCenter keeps an hour); one interval without a value (-1)
        Added a = DiskCounters.add(t, List.of(at(3620, 1, 1, 0, 0), at(3640, -1, -1, -1, -1), at(3660, 2, 0, 0, 0)));
        assertEquals(100 + 20 + 40, a.totals().readOps());
        assertEquals(100 + 20, a.totals().writeOps());
        assertEquals(3600 + 20, a.gapSeconds());
        assertEquals(T.plusSeconds(3660), a.totals().through());
    }

    @Test
    void totalsAreKeptAcrossARestartAndForgottenWithTheDisk(@TempDir Path dir) {
        Path file = dir.resolve("counters.txt");
        UUID volume = UUID.randomUUID();
        DiskCounters kept = new DiskCounters(file);
        Totals t = new Totals(1, 2, 3, 4, "scsi0:1", T);
        kept.put(volume, "vm-uuid", t);
        assertEquals(t, new DiskCounters(file).get(volume, "vm-uuid", "scsi0:1"), "read back after a restart");
        assertEquals(new Totals(1, 2, 3, 4, "scsi1:0", T), new DiskCounters(file).get(volume, "vm-uuid", "scsi1:0"),
                "a disk moved to another slot goes on from its totals");
        kept.retain(Set.of());
        assertEquals(Totals.start("scsi0:1"), new DiskCounters(file).get(volume, "vm-uuid", "scsi0:1"), "detached: forgotten");
    }
}
