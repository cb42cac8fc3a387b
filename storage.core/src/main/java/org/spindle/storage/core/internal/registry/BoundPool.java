package org.spindle.storage.core.internal.registry;

import org.spindle.storage.api.PoolCapacity;
import org.spindle.storage.api.driver.StorageDriver;
import org.spindle.storage.core.internal.db.PoolRecord;
import org.spindle.storage.core.internal.qos.StorageCapabilities;

/**
 * A pool whose provider is present: a driver service for a managed pool ({@code driver} set), a static pool
 * configuration otherwise ({@code structure} set).
 */
public record BoundPool(PoolRecord record, StorageDriver driver, StorageCapabilities capabilities, String structure, String source) {
    public boolean managed() {
        return driver != null;
    }

    /** The capacity as recorded, without asking the driver. */
    public PoolCapacity capacityOf() {
        return record.capacity();
    }
}
