package org.spindle.itest.attach.probe;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.osgi.annotation.versioning.ProviderType;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.attach.AttachRequest;
import org.spindle.storage.api.attach.Attachment;
import org.spindle.storage.api.attach.StaticDiskRequest;
import org.spindle.storage.api.attach.VmInfo;
import org.spindle.storage.api.qos.IoLimits;

/**
 * A fake hypervisor host or cluster: what the core asked of the test attach service registered by the same
 * object. Find it with {@code (hypervisor.service=c1)} or {@code (hypervisor.hosts=h1)}. Everything it
 * records survives configuration updates (a live migration, a host that joins); {@link #reset} forgets it.
 */
@ProviderType
public interface TestHypervisor {
    /** {@code hypervisor.service}, its identity. */
    String service();

    /** {@code hypervisor.hosts}, as configured now. */
    List<String> hosts();

    /** {@code hypervisor.cluster}, or {@code null}. */
    String cluster();

    /** {@code hypervisor.initiators}, as configured now. */
    List<String> initiators();

    /** The VMs it runs now, each with its stable id and the host it runs on now. */
    List<VmInfo> vms();

    /** The VM whose name or id is {@code vm}, without counting as a {@code findVm} call. */
    Optional<VmInfo> vm(String vm);

    /** Every {@code findVm} argument, in order (a name or an id, as the core passed it). */
    List<String> vmLookups();

    /** Every attach request received, in order, including refused ones. */
    List<AttachRequest> attachRequests();

    /** The attachments of the disks attached now, as last returned to the core (by attach or updateHosts). */
    List<Attachment> attachments();

    /** The attachments of the disks attached now to the VM whose name or id is {@code vm}. */
    List<Attachment> attachments(String vm);

    /** The disks attached now, with the VM's id and the host it runs on now. */
    List<AttachedDisk> disks();

    /** The disk of {@code volumeId} attached now, if any. */
    Optional<AttachedDisk> disk(UUID volumeId);

    /** The limits in force on the attached disk of {@code volumeId} (from attach or the last change). */
    Optional<IoLimits> limits(UUID volumeId);

    /** Every detach received, in order, including refused ones and those of disks that were not attached. */
    List<DetachCall> detached();

    /** Every {@code changeLimits} call, in order, including refused ones. */
    List<LimitChange> limitChanges();

    /** Every {@code grow} call, in order, including refused ones. */
    List<GrowCall> grows();

    /** Every {@code updateHosts} call, in order, including refused ones. */
    List<HostsUpdate> hostsUpdates();

    /** Every {@code diskStats} call's attachment, in order, including refused ones. */
    List<Attachment> statsRequests();

    /** Every {@code createDisk} request, in order (only a service with {@code structures} has the method). */
    List<StaticDiskRequest> createdDisks();

    /** Every {@code deleteDisk} call's disk, in order. */
    List<Target> deletedDisks();

    /** How often each {@code HypervisorAttachService} or {@code StaticDisks} method was called. */
    Map<String, Integer> calls();

    int calls(String method);

    /** Makes the next call of {@code method} fail (StorageException, BACKEND_FAILURE) before it changes anything. */
    void failNext(String method, String message);

    /** As {@link #failNext(String, String)}, with {@code reason} (e.g. BUSY, UNAVAILABLE). */
    void failNext(String method, StorageException.Reason reason, String message);

    /** Forgets everything recorded, the attached disks included. */
    void reset();
}
