package org.spindle.driver.solidfire.internal.element;

import java.time.Duration;

/**
 * How often and how patiently to repeat a call that failed transiently: {@code retries} more attempts,
 * waiting {@code initialBackoff}, then twice as long each time, at most {@code maxBackoff}.
 */
public record RetryPolicy(int retries, Duration initialBackoff, Duration maxBackoff) {
    /** One attempt only. */
    public static final RetryPolicy NONE = new RetryPolicy(0, Duration.ZERO, Duration.ZERO);

    public RetryPolicy {
        if (retries < 0) {
            throw new IllegalArgumentException("retries must not be negative");
        }
        if (initialBackoff.isNegative() || maxBackoff.isNegative()) {
            throw new IllegalArgumentException("backoff must not be negative");
        }
    }

    /** The wait before retry number {@code attempt} (0 for the first retry). */
    public Duration delay(int attempt) {
        Duration d = initialBackoff.multipliedBy(1L << Math.min(attempt, 20));
        return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
    }
}
