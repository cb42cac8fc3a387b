package org.spindle.storage.core.internal.db;

import java.util.List;

import org.spindle.storage.api.PoolCapacity;

/**
 * A pool as stored: it outlives its driver, which may come and go.
 *
 * @param capacity    what the SAN last reported
 * @param pending     bytes ({@code provisionedBytes}) and guaranteed IOPS ({@code provisionedIops}) promised to the
 *                    pool's volumes not on the SAN yet (ALLOCATED, CREATING), as the store keeps them
 * @param liveVolumes the pool's volumes that are not destroyed
 */
public record PoolRecord(String name, String zone, List<String> tags, String protocol, boolean managed,
                         String driverType, PoolCapacity capacity, PoolCapacity pending, long liveVolumes) {
    public PoolRecord {
        tags = List.copyOf(tags);
    }

    /** A pool description to store (its counts are the store's). */
    public PoolRecord(String name, String zone, List<String> tags, String protocol, boolean managed, String driverType,
                      PoolCapacity capacity) {
        this(name, zone, tags, protocol, managed, driverType, capacity, PoolCapacity.UNKNOWN, 0);
    }
}
