package org.spindle.itest.attach.probe;

import java.util.UUID;

import org.spindle.storage.api.Target;
import org.spindle.storage.api.qos.IoLimits;

/**
 * A disk attached now.
 *
 * @param volumeId  the Spindle volume
 * @param vmId      the VM's stable id
 * @param vm        the VM's name
 * @param host      the host the VM runs on NOW (after a migration, not the host of the attach)
 * @param device    the disk's device in the VM
 * @param structure the structure made for a managed volume, else {@code null}
 * @param managed   whether the attach was managed
 * @param target    the target it was attached from, without credentials
 * @param limits    the limits in force (from the attach or the last {@code changeLimits})
 * @param sizeBytes the size the VM sees (from the attach or the last {@code grow})
 */
public record AttachedDisk(UUID volumeId, String vmId, String vm, String host, String device, String structure,
                           boolean managed, Target target, IoLimits limits, long sizeBytes) {
}
