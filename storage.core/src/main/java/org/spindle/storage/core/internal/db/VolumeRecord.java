package org.spindle.storage.core.internal.db;

import java.util.Objects;
import java.util.UUID;

import org.spindle.storage.api.Target;
import org.spindle.storage.api.driver.HostGroup;
import org.spindle.storage.api.volume.Volume;
import org.spindle.storage.api.volume.VolumeState;

/**
 * A volume row: the {@link Volume} the service API shows, plus what only the core needs to undo what it did.
 * The volume's {@link Volume#attachment()} is always the view of {@code attachment} and {@code granted}.
 *
 * @param volume     the volume
 * @param attachment where it is attached (or being attached), else {@code null}
 * @param granted    the host group the SAN gave access to the volume, as granted (a revoke takes exactly
 *                   this away); {@code null} when no access is left. It may outlive an attachment whose
 *                   access could not be revoked: the next attach or the delete revokes it
 * @param op         the operation in flight as the store read it (transitional states), else {@code null}; when
 *                   written, only its {@link Operation#pendingSize()} is taken (the store fills in the rest)
 */
public record VolumeRecord(Volume volume, AttachmentRecord attachment, HostGroup granted, Operation op) {
    public VolumeRecord(Volume volume, AttachmentRecord attachment, HostGroup granted) {
        this(volume, attachment, granted, null);
    }

    public VolumeRecord {
        Objects.requireNonNull(volume, "volume");
        Volume v = volume;
        volume = new Volume(v.id(), v.name(), v.tenant(), v.sizeBytes(), v.offering(), v.pool(), v.state(), v.version(),
                v.requested(), v.plan(), v.sanId(), v.target(), attachment == null ? null : attachment.view(granted),
                v.error(), v.created(), v.updated(), v.applied(), v.drift());
    }

    public UUID id() {
        return volume.id();
    }

    public String name() {
        return volume.name();
    }

    public VolumeState state() {
        return volume.state();
    }

    public long version() {
        return volume.version();
    }

    public String sanId() {
        return volume.sanId();
    }

    public Target target() {
        return volume.target();
    }

    /** The size a RESIZING operation grows the volume to, else 0. */
    public long pendingSize() {
        return op == null ? 0 : op.pendingSize();
    }
}
