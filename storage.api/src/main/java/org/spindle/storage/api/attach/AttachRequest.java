package org.spindle.storage.api.attach;

import java.util.Objects;
import java.util.UUID;

import org.spindle.storage.api.Target;
import org.spindle.storage.api.qos.IoLimits;

/**
 * One attach.
 *
 * @param volumeId   the Spindle volume
 * @param volumeName its name (for labels of hypervisor structures)
 * @param vm         the VM to attach to
 * @param target     where the volume is, with the credentials to log in
 * @param managed    true when the hypervisor structure must be created (one volume per structure)
 * @param limits     hypervisor-side limits, already in this service's terms
 */
public record AttachRequest(UUID volumeId, String volumeName, String vm, Target target, boolean managed, IoLimits limits) {
    public AttachRequest {
        Objects.requireNonNull(volumeId, "volumeId");
        Objects.requireNonNull(volumeName, "volumeName");
        Objects.requireNonNull(vm, "vm");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(limits, "limits");
    }
}
