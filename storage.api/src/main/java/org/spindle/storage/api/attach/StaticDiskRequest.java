package org.spindle.storage.api.attach;

import java.util.Objects;
import java.util.UUID;

import org.spindle.storage.api.StorageException;

/**
 * A disk to create inside a structure the operator made (a libvirt pool, an SR, a datastore).
 *
 * @param volumeId  the Spindle volume
 * @param name      the Spindle volume's name
 * @param structure the name of the existing structure
 * @param sizeBytes size in bytes
 */
public record StaticDiskRequest(UUID volumeId, String name, String structure, long sizeBytes) {
    public StaticDiskRequest {
        Objects.requireNonNull(volumeId, "volumeId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(structure, "structure");
        if (sizeBytes <= 0) {
            throw StorageException.invalid("size", "must be positive (was " + sizeBytes + ")");
        }
    }
}
