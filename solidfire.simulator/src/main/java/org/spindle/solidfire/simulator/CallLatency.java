package org.spindle.solidfire.simulator;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * The time every Element call takes before it is handled (for benchmarks: "a SAN whose every call takes 5 ms").
 * A setting, not a fault: {@link Faults#clear()} keeps it; a per-method fault latency adds to it. The wait holds
 * one of the server's request threads ({@link ElementSimulator.Builder#threads(int)}).
 */
final class CallLatency {
    private volatile long nanos;

    CallLatency(Duration initial) {
        set(initial);
    }

    void set(Duration latency) {
        Objects.requireNonNull(latency, "latency");
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative (was " + latency + ")");
        }
        this.nanos = latency.toNanos();
    }

    Duration get() {
        return Duration.ofNanos(nanos);
    }

    /** Waits this latency plus {@code extra}, to the nanosecond the platform allows. */
    void await(Duration extra) throws InterruptedException {
        long total = nanos + extra.toNanos();
        if (total <= 0) {
            return;
        }
        long deadline = System.nanoTime() + total;
        for (long left = total; left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }
}
