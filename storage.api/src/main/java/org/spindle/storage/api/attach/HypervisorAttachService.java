package org.spindle.storage.api.attach;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.osgi.annotation.versioning.ConsumerType;
import org.spindle.storage.api.IoStats;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.qos.IoLimits;

/**
 * Attaches volumes to the VMs of one hypervisor host or of one cluster (a Xen pool, a vSphere cluster).
 * Register one per host or cluster configuration with the properties of {@link AttachProperties}. Every
 * method may throw {@link org.spindle.storage.api.StorageException}; messages must not contain secrets.
 *
 * <p>The limits handed in are already planned for this service: they use only what its
 * {@value AttachProperties#LIMITS} property declares (a service without
 * {@link HypervisorLimit#READ_WRITE} only ever receives totals).
 *
 * <p>Every call after {@link #attach} gets the {@link Attachment} it returned, as the core stored it: find the
 * VM by {@link Attachment#vmId()}, since it may have moved to another host of this service.
 */
@ConsumerType
public interface HypervisorAttachService {

    /**
     * The VM this service runs whose id or name is {@code vm}, if any. Names are the hypervisor's own (they
     * may contain spaces); validate them here, not in the caller. When several VMs carry the name, refuse
     * with {@code CONFLICT} asking for the id.
     */
    Optional<VmInfo> findVm(String vm);

    /**
     * Attaches the volume to the VM with the given limits. For a managed volume
     * ({@link AttachRequest#managed()}) the service first creates the hypervisor structure the target needs
     * (a Xen SR with a PBD on every host, a VMware datastore reachable from every host, a libvirt secret and
     * network disk); for a static one the structure exists. On failure nothing is left behind. Idempotent: a
     * retry finds what an earlier, interrupted call made.
     */
    Attachment attach(AttachRequest request);

    /**
     * Detaches the disk and, for a managed volume, removes the structure made by {@link #attach} on every host
     * (for example the static iSCSI targets of {@code target}, which carries no credentials). Idempotent and
     * convergent: detaching what is not attached, or what an interrupted attach or detach left half-made, is
     * success once nothing remains.
     */
    void detach(Attachment attachment, Target target);

    /** Changes the limits of an attached disk live. */
    void changeLimits(Attachment attachment, IoLimits limits);

    /**
     * The SAN volume under an attached disk has grown to {@code newSizeBytes}: make the hypervisor and the
     * guest see it (rescan, grow the structure and the disk image inside it, notify the guest).
     */
    void grow(Attachment attachment, long newSizeBytes);

    /**
     * The service's hosts changed ({@value AttachProperties#INITIATORS} or {@value AttachProperties#HOSTS}
     * differ from when the volume was attached) and the core has granted the current initiators access to
     * {@code target}: bring the structure of this attached volume to every current host (a PBD on a new Xen
     * host, the static target on a new ESXi host) and drop what departed hosts had. Returns the attachment
     * as it is now. Idempotent.
     */
    Attachment updateHosts(Attachment attachment, Target target);

    /** Cumulative I/O counters of an attached disk. */
    IoStats diskStats(Attachment attachment);

    /**
     * Every disk of a Spindle volume attached to this service's VMs now, as the hypervisor reports it (found by
     * what {@link #attach} tied to the volume's id, for example a label or a disk serial), whoever attached it.
     * The core asks it to recover an operation a crash interrupted and to find disks no volume accounts for.
     *
     * @throws UnsupportedOperationException when this service cannot tell (the default): the core then never
     *                                       guesses, and leaves an interrupted attach to the operator
     * @since 1.1
     */
    default List<Attachment> attachments() {
        throw new UnsupportedOperationException("this attach service cannot list the disks it attached");
    }

    /**
     * Where the disk of volume {@code volumeId} is attached on this service's VMs now, if anywhere. The default
     * looks through {@link #attachments()}; a service that can ask for one volume directly should.
     *
     * @throws UnsupportedOperationException when this service cannot tell
     * @since 1.1
     */
    default Optional<Attachment> findAttachment(UUID volumeId) {
        return attachments().stream().filter(a -> a.volumeId().equals(volumeId)).findFirst();
    }

    /**
     * The limits in force on the attached disk now, as the hypervisor reports them (read back, not remembered):
     * the core stores them as the volume's applied QoS after each attach and change, and compares them with the
     * plan in the QoS audit. Report them in the form {@link #changeLimits} takes, only what the service declares
     * in {@value AttachProperties#LIMITS}; unset is 0.
     *
     * @throws UnsupportedOperationException when this service cannot read its limits back (the default): the core
     *                                       then takes the limits it handed in as applied, and cannot see drift
     * @since 1.1
     */
    default IoLimits limits(Attachment attachment) {
        throw new UnsupportedOperationException("this attach service cannot read a disk's limits back");
    }
}
