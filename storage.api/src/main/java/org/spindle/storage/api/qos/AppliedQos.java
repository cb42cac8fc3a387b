package org.spindle.storage.api.qos;

import java.time.Instant;
import java.util.Objects;

/**
 * What each side reports it enforces now, read back from the SAN and the hypervisor after every change and by
 * the QoS audit; not what was asked for. The effective QoS is computed from it.
 *
 * @param storage    the SAN volume's QoS as the SAN reports it (its defaults included); {@link StorageQos#NONE}
 *                   while no SAN volume exists
 * @param hypervisor the disk's limits as the hypervisor reports them; {@link IoLimits#NONE} while not attached.
 *                   For an attach service that cannot read its limits back, the limits it accepted
 * @param readAt     when both sides were last read, or {@code null} if never
 * @since 1.1
 */
public record AppliedQos(StorageQos storage, IoLimits hypervisor, Instant readAt) {
    /** Nothing applied on either side: no SAN volume, no disk. */
    public static final AppliedQos NONE = new AppliedQos(StorageQos.NONE, IoLimits.NONE, null);

    public AppliedQos {
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(hypervisor, "hypervisor");
    }
}
