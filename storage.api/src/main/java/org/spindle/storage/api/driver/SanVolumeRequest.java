package org.spindle.storage.api.driver;

import java.util.Objects;
import java.util.UUID;

import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.qos.StorageQos;

/**
 * What the core asks a driver to create.
 *
 * @param volumeId   the Spindle volume's UUID: the idempotency key
 * @param name       the Spindle volume's name (drivers may derive the SAN name from it)
 * @param tenant     who owns it (drivers map it to SAN accounts)
 * @param sizeBytes  size in bytes
 * @param qos        storage-side QoS; {@link StorageQos#NONE} for the SAN's defaults
 */
public record SanVolumeRequest(UUID volumeId, String name, String tenant, long sizeBytes, StorageQos qos) {
    public SanVolumeRequest {
        Objects.requireNonNull(volumeId, "volumeId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(qos, "qos");
        if (sizeBytes <= 0) {
            throw StorageException.invalid("size", "must be positive (was " + sizeBytes + ")");
        }
    }
}
