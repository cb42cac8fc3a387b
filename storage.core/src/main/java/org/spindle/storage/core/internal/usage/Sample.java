package org.spindle.storage.core.internal.usage;

import java.time.Instant;
import java.util.Objects;

/**
 * One reading of a volume for usage: when, which counter ({@code source}: the hypervisor's disk or the SAN
 * volume; a different source is a new baseline), the counters, and the size and effective IOPS in force from
 * now until the next reading.
 */
public record Sample(Instant at, String source, Counters counters, long sizeBytes, long guaranteedIops, long maxIops,
                     long burstIops) {
    public Sample {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(counters, "counters");
    }
}
