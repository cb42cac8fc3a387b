package org.spindle.storage.api.attach;

import java.util.Objects;
import java.util.UUID;

/**
 * What an attach made, as the core records it so that every later call (detach, limits, grow, stats), even
 * after a restart, can find and undo it.
 *
 * @param volumeId  the Spindle volume
 * @param vmId      the VM's stable id ({@link VmInfo#id()}); find the VM by it, it may have moved
 * @param vmName    the VM's name at attach time (for messages)
 * @param host      the host the VM ran on at attach time (for messages; may be stale after a migration)
 * @param device    the disk's device in the VM (e.g. {@code sdb}, a VBD uuid, a VMware device key); empty when
 *                  {@link HypervisorAttachService#detach} clears an interrupted attach that never reported one
 *                  (find the disk by the volume id)
 * @param structure the hypervisor structure created for a managed volume (SR uuid, datastore name,
 *                  libvirt secret usage); {@code null} for static volumes
 * @param managed   whether detach must remove {@code structure}
 */
public record Attachment(UUID volumeId, String vmId, String vmName, String host, String device, String structure,
                         boolean managed) {
    public Attachment {
        Objects.requireNonNull(volumeId, "volumeId");
        Objects.requireNonNull(vmId, "vmId");
        Objects.requireNonNull(vmName, "vmName");
        Objects.requireNonNull(device, "device");
    }
}
