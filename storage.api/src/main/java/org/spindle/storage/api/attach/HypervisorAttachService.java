package org.spindle.storage.api.attach;

import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;
import org.spindle.storage.api.IoStats;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.qos.IoLimits;

/**
 * Attaches volumes to the VMs of one hypervisor host or cluster. Every method may throw
 * {@link org.spindle.storage.api.StorageException}; messages must not contain secrets.
 *
 * <p>The limits handed in are already planned for this service: they use only what its
 * {@value AttachProperties#LIMITS} property declares (for example, a service without
 * {@value AttachProperties#LIMIT_READ_WRITE} only ever receives totals).
 */
@ConsumerType
public interface HypervisorAttachService {

    /** The VM named {@code vm} if this host or cluster runs it. */
    Optional<VmInfo> findVm(String vm);

    /**
     * Attaches the volume to the VM with the given limits. For a managed volume
     * ({@link AttachRequest#managed()}) the service first creates the hypervisor structure the target needs
     * (a Xen SR, a VMware datastore, a libvirt secret and network disk); for a static one the structure
     * exists. On failure nothing is left behind.
     */
    Attachment attach(AttachRequest request);

    /**
     * Detaches the disk and, for a managed volume, removes the structure made by {@link #attach}.
     * Idempotent: detaching what is not attached is success.
     */
    void detach(Attachment attachment);

    /** Changes the limits of an attached disk live. */
    void changeLimits(Attachment attachment, IoLimits limits);

    /** Cumulative I/O counters of an attached disk. */
    IoStats diskStats(Attachment attachment);

    /**
     * Static pools: creates a disk of {@code request.sizeBytes()} inside an existing structure and returns
     * the target to attach it by. Services that declare no static structures may refuse.
     */
    Target createDisk(StaticDiskRequest request);

    /** Static pools: deletes a disk made by {@link #createDisk}. Idempotent. */
    void deleteDisk(Target disk);
}
