package org.spindle.storage.core.internal.usage;

import org.spindle.storage.api.IoStats;

/** Cumulative I/O counters, or the operations and bytes done between two readings. */
public record Counters(long readOps, long writeOps, long readBytes, long writeBytes) {
    public static final Counters ZERO = new Counters(0, 0, 0, 0);

    public static Counters of(IoStats s) {
        return new Counters(s.readOps(), s.writeOps(), s.readBytes(), s.writeBytes());
    }

    /**
     * What was done from {@code earlier} to this reading of the same counter. A counter that went down was
     * restarted (a VM restart, a re-attach): everything it counted since is new, and nothing is negative.
     */
    public Counters since(Counters earlier) {
        boolean restarted = readOps < earlier.readOps || writeOps < earlier.writeOps || readBytes < earlier.readBytes
                || writeBytes < earlier.writeBytes;
        return restarted ? this : new Counters(readOps - earlier.readOps, writeOps - earlier.writeOps,
                readBytes - earlier.readBytes, writeBytes - earlier.writeBytes);
    }
}
