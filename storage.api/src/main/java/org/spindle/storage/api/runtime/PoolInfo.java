package org.spindle.storage.api.runtime;

import java.util.List;

import org.spindle.storage.api.PoolCapacity;

/**
 * A pool.
 *
 * @param name       unique name
 * @param zone       its zone
 * @param tags       storage tags
 * @param protocol   the protocol of its targets
 * @param managed    true for a driver-managed pool (one SAN volume per volume), false for a static one
 * @param driverType the driver's type, or {@code static}
 * @param available  whether its driver (or, for a static pool, its configuration) is present now
 * @param capacity   capacity as last reported, {@link PoolCapacity#UNKNOWN} when never reported
 * @param volumes    number of volumes in it that are not destroyed
 */
public record PoolInfo(String name, String zone, List<String> tags, String protocol, boolean managed,
                       String driverType, boolean available, PoolCapacity capacity, long volumes) {
    public PoolInfo {
        tags = List.copyOf(tags);
    }
}
