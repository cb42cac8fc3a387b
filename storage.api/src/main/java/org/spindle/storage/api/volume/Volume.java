package org.spindle.storage.api.volume;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import org.spindle.storage.api.Target;
import org.spindle.storage.api.qos.AppliedQos;
import org.spindle.storage.api.qos.EffectiveQos;
import org.spindle.storage.api.qos.QosDrift;
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
 * @param plan       the reconciled QoS (the intent): storage side from creation, hypervisor side from the last
 *                   attach; its effective part is computed from {@code applied}
 * @param sanId      the driver's id of the SAN volume, once created
 * @param target     where the volume is, once created (never with credentials)
 * @param attachment the current attachment, if attached
 * @param error      what went wrong last, or {@code null}
 * @param created    creation time
 * @param updated    time of the last change
 * @param applied    what the SAN and the hypervisor reported they enforce, last time they were read
 * @param drift      where a side differed from the plan at the last QoS audit (empty: in line)
 */
public record Volume(UUID id, String name, String tenant, long sizeBytes, String offering, String pool,
                     VolumeState state, long version, QosSpec requested, QosPlan plan, String sanId,
                     Target target, VolumeAttachment attachment, String error, Instant created, Instant updated,
                     AppliedQos applied, List<QosDrift> drift) {
    public Volume {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(requested, "requested");
        Objects.requireNonNull(plan, "plan");
        if (target != null) {
            target = target.withoutChap();
        }
        applied = applied == null ? AppliedQos.NONE : applied;
        drift = drift == null ? List.of() : List.copyOf(drift);
    }

    /** A volume nothing was read back for yet, without drift. */
    public Volume(UUID id, String name, String tenant, long sizeBytes, String offering, String pool,
                  VolumeState state, long version, QosSpec requested, QosPlan plan, String sanId,
                  Target target, VolumeAttachment attachment, String error, Instant created, Instant updated) {
        this(id, name, tenant, sizeBytes, offering, pool, state, version, requested, plan, sanId, target, attachment,
                error, created, updated, AppliedQos.NONE, List.of());
    }

    /**
     * What the VM can really get: the lower of both sides' applied caps, the SAN's guarantee, and nothing that no
     * side enforces. The number for usage and billing.
     */
    public EffectiveQos effectiveQos() {
        return plan.effective();
    }
}
