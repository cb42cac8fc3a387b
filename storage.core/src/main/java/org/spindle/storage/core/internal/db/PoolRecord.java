package org.spindle.storage.core.internal.db;

import java.util.List;

import org.spindle.storage.api.PoolCapacity;

/** A pool as stored: it outlives its driver, which may come and go. */
public record PoolRecord(String name, String zone, List<String> tags, String protocol, boolean managed,
                         String driverType, PoolCapacity capacity) {
    public PoolRecord {
        tags = List.copyOf(tags);
    }
}
