package org.spindle.storage.core.internal.db;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

import org.spindle.storage.api.attach.Attachment;
import org.spindle.storage.api.driver.HostGroup;
import org.spindle.storage.api.volume.VolumeAttachment;

/**
 * Where a volume is attached, as stored: what the attach service returned plus the identity of the service
 * every later call goes to. While the volume is {@code ATTACHING} the device is not known yet ({@code null}).
 *
 * @param service   the attach service's identity ({@code hypervisor.service})
 * @param vmId      the VM's stable id
 * @param vm        the VM's name at attach time
 * @param host      the host the VM ran on at attach time
 * @param device    the disk's device in the VM, {@code null} until attached
 * @param structure the hypervisor structure made for a managed volume, else {@code null}
 * @param managed   whether detach removes {@code structure}
 */
public record AttachmentRecord(String service, String vmId, String vm, String host, String device, String structure,
                               boolean managed) {
    public AttachmentRecord {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(vmId, "vmId");
        Objects.requireNonNull(vm, "vm");
    }

    /** What {@code service} returned from an attach (or an update of its hosts). */
    public static AttachmentRecord of(String service, Attachment a) {
        return new AttachmentRecord(service, a.vmId(), a.vmName(), a.host(), a.device(), a.structure(), a.managed());
    }

    /** The attachment to hand back to the attach service; only once attached (the device is known). */
    public Attachment spi(UUID volumeId) {
        if (device == null) {
            throw new IllegalStateException("volume " + volumeId + " is not attached yet (no device)");
        }
        return new Attachment(volumeId, vmId, vm, host, device, structure, managed);
    }

    /**
     * The attachment to hand to a detach that clears an interrupted attach: the device may be unknown (then
     * empty), and the service finds the disk by the volume id.
     */
    public Attachment forCleanup(UUID volumeId) {
        return new Attachment(volumeId, vmId, vm, host, device == null ? "" : device, structure, managed);
    }

    /** The service API's view, with the initiators of {@code granted}. */
    public VolumeAttachment view(HostGroup granted) {
        return new VolumeAttachment(service, vmId, vm, host, device, granted == null ? List.of() : granted.initiators());
    }
}
