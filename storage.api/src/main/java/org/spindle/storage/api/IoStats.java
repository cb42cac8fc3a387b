package org.spindle.storage.api;

import java.time.Instant;

/** Cumulative I/O counters of one volume or disk, as the SAN or the hypervisor counts them. */
public record IoStats(long readOps, long writeOps, long readBytes, long writeBytes, Instant sampledAt) {
}
