package org.spindle.storage.api;

/**
 * Capacity of a pool. IOPS figures are 0 when the storage cannot tell.
 *
 * @param totalBytes       usable bytes
 * @param provisionedBytes bytes promised to volumes
 * @param totalIops        IOPS the storage can deliver
 * @param provisionedIops  IOPS guaranteed to volumes (sum of min IOPS)
 */
public record PoolCapacity(long totalBytes, long provisionedBytes, long totalIops, long provisionedIops) {
    public static final PoolCapacity UNKNOWN = new PoolCapacity(0, 0, 0, 0);
}
