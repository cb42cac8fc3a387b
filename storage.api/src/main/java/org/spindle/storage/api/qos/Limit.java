package org.spindle.storage.api.qos;

import org.spindle.storage.api.StorageException;

/**
 * One hypervisor-side limit: a sustained {@code rate} (per second), an optional {@code burst} rate
 * allowed for up to {@code burstSeconds}. 0 means not set. A burst needs a rate below it; a burst length
 * needs a burst.
 *
 * @param rate          sustained ops/s or bytes/s
 * @param burst         peak ops/s or bytes/s ({@code *_max} in libvirt terms)
 * @param burstSeconds  how long the peak may last ({@code *_max_length})
 */
public record Limit(long rate, long burst, long burstSeconds) {
    public static final Limit NONE = new Limit(0, 0, 0);

    /** Validates, naming the fields after {@code name} (e.g. {@code read-iops}). */
    public Limit(String name, long rate, long burst, long burstSeconds) {
        this(check(name, rate, burst, burstSeconds), burst, burstSeconds);
    }

    public Limit {
        check("limit", rate, burst, burstSeconds);
    }

    public static Limit of(long rate) {
        return new Limit(rate, 0, 0);
    }

    public boolean isSet() {
        return rate > 0 || burst > 0;
    }

    private static long check(String name, long rate, long burst, long burstSeconds) {
        StorageQos.nonNegative(name, rate);
        StorageQos.nonNegative(name + "-max", burst);
        StorageQos.nonNegative(name + "-max-length", burstSeconds);
        if (burst > 0 && rate == 0) {
            throw StorageException.invalid(name + "-max", "needs " + name + " to be set (a burst is a peak above a rate)");
        }
        if (burst > 0 && burst < rate) {
            throw StorageException.invalid(name + "-max", "must be at least " + name + " " + rate + " (was " + burst + ")");
        }
        if (burstSeconds > 0 && burst == 0) {
            throw StorageException.invalid(name + "-max-length", "needs " + name + "-max to be set");
        }
        return rate;
    }
}
