package org.spindle.storage.api.attach;

import java.util.Objects;
import java.util.UUID;

/**
 * What an attach made, as the core records it so that detach (even after a restart) can undo it.
 *
 * @param volumeId  the Spindle volume
 * @param vm        the VM
 * @param host      the host the VM ran on when attached
 * @param device    the disk's device in the VM (e.g. {@code sdb}, a VDI/VBD ref, a VMware device key)
 * @param structure the hypervisor structure created for a managed volume (SR uuid, datastore name,
 *                  libvirt secret usage); {@code null} for static volumes
 * @param managed   whether detach must remove {@code structure}
 */
public record Attachment(UUID volumeId, String vm, String host, String device, String structure, boolean managed) {
    public Attachment {
        Objects.requireNonNull(volumeId, "volumeId");
        Objects.requireNonNull(vm, "vm");
        Objects.requireNonNull(device, "device");
    }
}
