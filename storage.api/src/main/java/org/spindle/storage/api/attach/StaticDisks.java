package org.spindle.storage.api.attach;

import org.osgi.annotation.versioning.ConsumerType;
import org.spindle.storage.api.Target;

/**
 * The optional capability of an attach service to create disks inside structures the operator made, which
 * Spindle offers as static pools. A service that has it registers the same object under both
 * {@link HypervisorAttachService} and this interface, and names the structures in
 * {@value AttachProperties#STRUCTURES}; the core uses it only then.
 */
@ConsumerType
public interface StaticDisks {
    /** Creates a disk of {@code request.sizeBytes()} in the structure and returns the target to attach it by. */
    Target createDisk(StaticDiskRequest request);

    /** Deletes a disk made by {@link #createDisk}. Idempotent: a disk already gone is success. */
    void deleteDisk(Target disk);
}
