package org.spindle.storage.core.internal.volume;

import java.time.Instant;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.driver.HostGroup;
import java.util.List;

import org.spindle.storage.api.qos.AppliedQos;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.QosDrift;
import org.spindle.storage.api.qos.QosPlan;
import org.spindle.storage.api.qos.QosSpec;
import org.spindle.storage.api.qos.StorageQos;
import org.spindle.storage.api.volume.Volume;
import org.spindle.storage.api.volume.VolumeState;
import org.spindle.storage.core.internal.db.AttachmentRecord;
import org.spindle.storage.core.internal.db.Operation;
import org.spindle.storage.core.internal.db.VolumeRecord;
import org.spindle.storage.core.internal.qos.QosPlanner;

/** Builds the next version of a volume: each change increments the version and clears the last error. */
final class VolumeChange {
    private final VolumeRecord from;
    private VolumeState state;
    private long sizeBytes;
    private QosSpec requested;
    private QosPlan plan;
    private String sanId;
    private Target target;
    private AttachmentRecord attachment;
    private HostGroup granted;
    private String error;
    private long pendingSize;
    private AppliedQos applied;
    private List<QosDrift> drift;
    private VolumeState startedFrom;

    private VolumeChange(VolumeRecord from) {
        this.from = from;
        Volume v = from.volume();
        this.state = v.state();
        this.sizeBytes = v.sizeBytes();
        this.requested = v.requested();
        this.plan = v.plan();
        this.sanId = v.sanId();
        this.target = v.target();
        this.attachment = from.attachment();
        this.granted = from.granted();
        this.pendingSize = from.pendingSize();
        this.applied = v.applied();
        this.drift = v.drift();
    }

    static VolumeChange of(VolumeRecord v) {
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

    VolumeChange attachment(AttachmentRecord a) {
        this.attachment = a;
        return this;
    }

    /** The host group the SAN gave access to the volume, {@code null} when none is left. */
    VolumeChange granted(HostGroup g) {
        this.granted = g;
        return this;
    }

    /** The size a RESIZING operation grows the volume to (kept while the operation is in flight). */
    VolumeChange pendingSize(long bytes) {
        this.pendingSize = bytes;
        return this;
    }

    /** The SAN's QoS as just read back from it. */
    VolumeChange storageApplied(StorageQos qos) {
        this.applied = new AppliedQos(qos, applied.hypervisor(), Instant.now());
        return this;
    }

    /** The disk's limits as just read back from the hypervisor ({@link IoLimits#NONE}: no disk). */
    VolumeChange hypervisorApplied(IoLimits limits) {
        this.applied = new AppliedQos(applied.storage(), limits, Instant.now());
        return this;
    }

    /** What the last QoS audit found differing from the plan (empty: in line). */
    VolumeChange drift(List<QosDrift> found) {
        this.drift = List.copyOf(found);
        return this;
    }

    /**
     * The stable state the operation this change begins started from, when it is not the state of the row it changes
     * (an operation begun in the save that ends another: recovery goes back to this state).
     */
    VolumeChange startedFrom(VolumeState stable) {
        this.startedFrom = stable;
        return this;
    }

    VolumeChange error(String message) {
        this.error = message;
        return this;
    }

    VolumeRecord next() {
        Volume v = from.volume();
        return new VolumeRecord(new Volume(v.id(), v.name(), v.tenant(), sizeBytes, v.offering(), v.pool(), state,
                v.version() + 1, requested, QosPlanner.withEffective(plan, applied), sanId, target, null, error, v.created(),
                Instant.now(), applied, drift), attachment, granted,
                state.isTransitional() ? new Operation(null, 0, startedFrom, pendingSize) : null);
    }
}
