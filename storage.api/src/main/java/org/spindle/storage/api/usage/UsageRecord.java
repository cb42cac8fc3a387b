package org.spindle.storage.api.usage;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One volume's usage over one period ({@code [start, end)}, the configured period, e.g. an hour). Rates are
 * time-weighted averages over the part of the period the volume existed: a volume with 1,000 guaranteed IOPS for
 * 15 minutes and 3,000 for 45 has 2,500 for the hour. I/O counts are the operations and bytes done in the period,
 * from the hypervisor while attached, else from the SAN; a counter that restarted (a VM restart, a re-attach)
 * adds what it counted since, never a negative or doubled amount.
 *
 * @param volumeId       the volume
 * @param volume         its name
 * @param tenant         its owner
 * @param pool           its pool
 * @param start          the period's start
 * @param end            the period's end
 * @param seconds        how many seconds of the period the volume existed
 * @param allocatedBytes the time-weighted average size
 * @param guaranteedIops the time-weighted average effective guaranteed IOPS
 * @param maxIops        the time-weighted average effective sustained IOPS cap (0: unlimited)
 * @param burstIops      the time-weighted average effective burst IOPS cap (0: unlimited)
 * @param readOps        read operations done
 * @param writeOps       write operations done
 * @param readBytes      bytes read
 * @param writeBytes     bytes written
 */
public record UsageRecord(UUID volumeId, String volume, String tenant, String pool, Instant start, Instant end,
                          long seconds, long allocatedBytes, long guaranteedIops, long maxIops, long burstIops,
                          long readOps, long writeOps, long readBytes, long writeBytes) {
    public UsageRecord {
        Objects.requireNonNull(volumeId, "volumeId");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
    }
}
