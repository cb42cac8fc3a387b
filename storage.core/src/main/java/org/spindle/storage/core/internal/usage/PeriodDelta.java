package org.spindle.storage.core.internal.usage;

import java.math.BigInteger;
import java.time.Instant;

/** What one interval between two readings adds to one usage period. */
public record PeriodDelta(Instant start, Instant end, long millis, BigInteger byteMillis, long guaranteedIopsMillis,
                          long maxIopsMillis, long burstIopsMillis, Counters io) {
}
