package org.spindle.storage.core.internal.volume;

import java.time.Instant;

import org.spindle.storage.api.Target;
import org.spindle.storage.api.attach.Attachment;
import org.spindle.storage.api.qos.QosPlan;
import org.spindle.storage.api.qos.QosSpec;
import org.spindle.storage.api.volume.Volume;
import org.spindle.storage.api.volume.VolumeState;

/** Builds the next version of a volume: each change increments the version and clears the last error. */
final class VolumeChange {
    private final Volume from;
    private VolumeState state;
    private long sizeBytes;
    private QosSpec requested;
    private QosPlan plan;
    private String sanId;
    private Target target;
    private Attachment attachment;
    private String error;

    private VolumeChange(Volume from) {
        this.from = from;
        this.state = from.state();
        this.sizeBytes = from.sizeBytes();
        this.requested = from.requested();
        this.plan = from.plan();
        this.sanId = from.sanId();
        this.target = from.target();
        this.attachment = from.attachment();
    }

    static VolumeChange of(Volume v) {
        return new VolumeChange(v);
    }

    VolumeChange state(VolumeState s) {
        this.state = s;
        return this;
    }

    VolumeChange size(long bytes) {
        this.sizeBytes = bytes;
        return this;
    }

    VolumeChange requested(QosSpec q) {
        this.requested = q;
        return this;
    }

    VolumeChange plan(QosPlan p) {
        this.plan = p;
        return this;
    }

    VolumeChange san(String id, Target t) {
        this.sanId = id;
        this.target = t;
        return this;
    }

    VolumeChange attachment(Attachment a) {
        this.attachment = a;
        return this;
    }

    VolumeChange error(String message) {
        this.error = message;
        return this;
    }

    Volume next() {
        return new Volume(from.id(), from.name(), from.tenant(), sizeBytes, from.offering(), from.pool(), state,
                from.version() + 1, requested, plan, sanId, target, attachment, error, from.created(), Instant.now());
    }
}
