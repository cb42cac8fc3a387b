package org.spindle.storage.api.volume;

import java.util.List;
import java.util.Objects;

/**
 * Where a volume is attached, as the core records it.
 *
 * @param service    the attach service ({@code hypervisor.service}) every later call goes to
 * @param vmId       the VM's stable id on its hypervisor
 * @param vm         the VM's name at attach time
 * @param host       the host the VM ran on at attach time (it may have moved within the service since)
 * @param device     the disk's device in the VM
 * @param initiators the initiators the volume's access was granted to; detach revokes exactly these
 */
public record VolumeAttachment(String service, String vmId, String vm, String host, String device, List<String> initiators) {
    public VolumeAttachment {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(vmId, "vmId");
        Objects.requireNonNull(vm, "vm");
        initiators = List.copyOf(initiators);
    }
}
