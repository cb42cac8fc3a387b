package org.spindle.storage.core.internal.volume;

import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spindle.storage.api.attach.Attachment;
import org.spindle.storage.api.driver.SanVolume;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.QosPlan;
import org.spindle.storage.api.qos.StorageQos;
import org.spindle.storage.core.internal.db.VolumeRecord;
import org.spindle.storage.core.internal.registry.BoundAttach;
import org.spindle.storage.core.internal.registry.BoundPool;

/**
 * Reads back what a side applies, right after Spindle changed it: the volume's applied QoS records what the SAN
 * and the hypervisor report, not what they were asked. A read that fails after the change succeeded never fails
 * the operation: what was sent is recorded, and the QoS audit reads again.
 */
final class Readback {
    private static final Logger LOG = LoggerFactory.getLogger(Readback.class);

    private Readback() {
    }

    /** The disk's limits as the hypervisor reports them; {@code sent} when it cannot tell. */
    static IoLimits limits(BoundAttach service, Attachment attachment, IoLimits sent) {
        try {
            return service.service().limits(attachment);
        } catch (UnsupportedOperationException e) {
            return sent;
        } catch (RuntimeException e) {
            LOG.warn("Volume {}: reading the limits back from {} failed ({}); recorded as sent, the QoS audit reads again",
                    attachment.volumeId(), service.identity(), e.getMessage());
            return sent;
        }
    }

    /** The SAN volume's QoS as the SAN reports it; {@code sent} when it cannot tell. */
    static StorageQos storage(BoundPool pool, VolumeRecord v, StorageQos sent) {
        if (!pool.managed() || v.sanId() == null) {
            return StorageQos.NONE;
        }
        try {
            Optional<SanVolume> san = pool.driver().findVolume(v.id());
            return san.map(SanVolume::qos).orElse(sent);
        } catch (RuntimeException e) {
            LOG.warn("Volume {}: reading the QoS back from pool {} failed ({}); recorded as sent, the QoS audit reads again",
                    v.name(), pool.record().name(), e.getMessage());
            return sent;
        }
    }

    /**
     * The plan once the SAN made the volume: what the plan leaves unset takes the value the SAN applied (its
     * defaults), so the plan says in full what the SAN was agreed to enforce and the audit can hold it to it.
     */
    static QosPlan agreed(QosPlan plan, StorageQos applied) {
        try {
            return new QosPlan(plan.storage().orElse(applied), plan.hypervisor(), plan.effective());
        } catch (RuntimeException contradicts) {
            return plan;
        }
    }
}
