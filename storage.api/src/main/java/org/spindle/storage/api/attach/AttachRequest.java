package org.spindle.storage.api.attach;

import java.util.Objects;
import java.util.UUID;

import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.qos.IoLimits;

/**
 * One attach.
 *
 * @param volumeId   the Spindle volume; label every object the attach makes with it, so that a retry or a
 *                   recovery finds them
 * @param volumeName its name (for labels of hypervisor structures)
 * @param sizeBytes  the volume's size (a VDI or VMDK made inside the structure fills the LUN)
 * @param vm         the VM, as {@link HypervisorAttachService#findVm} returned it
 * @param target     where the volume is, with the credentials to log in
 * @param managed    true when the hypervisor structure must be created (one volume per structure)
 * @param limits     hypervisor-side limits, already in this service's terms
 */
public record AttachRequest(UUID volumeId, String volumeName, long sizeBytes, VmInfo vm, Target target, boolean managed,
                            IoLimits limits) {
    public AttachRequest {
        Objects.requireNonNull(volumeId, "volumeId");
        Objects.requireNonNull(volumeName, "volumeName");
        Objects.requireNonNull(vm, "vm");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(limits, "limits");
        if (sizeBytes <= 0) {
            throw StorageException.invalid("size", "must be positive (was " + sizeBytes + ")");
        }
    }
}
