package org.spindle.storage.api.qos;

import org.spindle.storage.api.StorageException;

/**
 * The storage side: what the SAN guarantees ({@code minIops}) and caps ({@code maxIops}, and
 * {@code burstIops} for short bursts). 0 means not set. Set values must keep min ≤ max ≤ burst.
 */
public record StorageQos(long minIops, long maxIops, long burstIops) {
    public static final StorageQos NONE = new StorageQos(0, 0, 0);

    public StorageQos {
        nonNegative("min-iops", minIops);
        nonNegative("max-iops", maxIops);
        nonNegative("burst-iops", burstIops);
        if (minIops > 0 && maxIops > 0 && minIops > maxIops) {
            throw StorageException.invalid("min-iops", "must not exceed max-iops " + maxIops + " (was " + minIops + ")");
        }
        if (burstIops > 0 && maxIops > 0 && maxIops > burstIops) {
            throw StorageException.invalid("burst-iops", "must be at least max-iops " + maxIops + " (was " + burstIops + ")");
        }
        if (burstIops > 0 && minIops > 0 && minIops > burstIops) {
            throw StorageException.invalid("burst-iops", "must be at least min-iops " + minIops + " (was " + burstIops + ")");
        }
    }

    public boolean isEmpty() {
        return minIops == 0 && maxIops == 0 && burstIops == 0;
    }

    /** This QoS with each unset value taken from {@code defaults}. */
    public StorageQos orElse(StorageQos defaults) {
        return new StorageQos(minIops > 0 ? minIops : defaults.minIops,
                maxIops > 0 ? maxIops : defaults.maxIops,
                burstIops > 0 ? burstIops : defaults.burstIops);
    }

    static void nonNegative(String field, long value) {
        if (value < 0) {
            throw StorageException.invalid(field, "must be 0 (not set) or a positive number (was " + value + ")");
        }
    }
}
