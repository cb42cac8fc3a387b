package org.spindle.storage.api.volume;

import java.util.Objects;

import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.qos.StorageQos;

/**
 * A request to create a volume.
 *
 * @param name       1–64 characters: letters, digits, {@code .}, {@code _}, {@code -}
 * @param offering   the offering's name
 * @param sizeBytes  size in bytes, at least 1 MiB
 * @param tenant     the owner (an account or project id)
 * @param customIops storage QoS chosen by the user, allowed only when the offering has custom IOPS;
 *                   {@link StorageQos#NONE} otherwise
 */
public record VolumeSpec(String name, String offering, long sizeBytes, String tenant, StorageQos customIops) {
    public static final long MIN_SIZE = 1L << 20;

    public VolumeSpec {
        Names.check("name", name);
        Names.check("offering", offering);
        Names.check("tenant", tenant);
        if (sizeBytes < MIN_SIZE) {
            throw StorageException.invalid("size", "must be at least 1M (1048576 bytes) (was " + sizeBytes + ")");
        }
        Objects.requireNonNull(customIops, "customIops");
    }
}
