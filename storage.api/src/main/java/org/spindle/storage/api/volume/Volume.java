package org.spindle.storage.api.volume;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import org.spindle.storage.api.Target;
import org.spindle.storage.api.qos.EffectiveQos;
import org.spindle.storage.api.qos.QosPlan;
import org.spindle.storage.api.qos.QosSpec;

/**
 * A Spindle volume as stored.
 *
 * @param id         its UUID
 * @param name       unique among volumes not destroyed
 * @param tenant     its owner
 * @param sizeBytes  size in bytes
 * @param offering   the offering it was created from
 * @param pool       the pool it lives in
 * @param state      where it is in its life
 * @param version    row version; every change increments it
 * @param requested  the QoS asked for (offering, user's custom IOPS, core defaults)
 * @param plan       the reconciled QoS: storage side from creation, hypervisor side from the last attach
 * @param sanId      the driver's id of the SAN volume, once created
 * @param target     where the volume is, once created (never with credentials)
 * @param attachment the current attachment, if attached
 * @param error      what went wrong last, or {@code null}
 * @param created    creation time
 * @param updated    time of the last change
 */
public record Volume(UUID id, String name, String tenant, long sizeBytes, String offering, String pool,
                     VolumeState state, long version, QosSpec requested, QosPlan plan, String sanId,
                     Target target, VolumeAttachment attachment, String error, Instant created, Instant updated) {
    public Volume {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(requested, "requested");
        Objects.requireNonNull(plan, "plan");
        if (target != null) {
            target = target.withoutChap();
        }
    }

    /** What the VM can really get. */
    public EffectiveQos effectiveQos() {
        return plan.effective();
    }
}
