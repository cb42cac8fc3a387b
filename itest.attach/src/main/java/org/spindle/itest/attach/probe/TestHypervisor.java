package org.spindle.itest.attach.probe;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.osgi.annotation.versioning.ProviderType;
import org.spindle.storage.api.attach.AttachRequest;
import org.spindle.storage.api.attach.Attachment;
import org.spindle.storage.api.attach.StaticDiskRequest;
import org.spindle.storage.api.qos.IoLimits;

/**
 * A fake hypervisor host: what the core asked of the test attach service registered with the same
 * {@code hypervisor.host}. Find it with e.g. {@code (hypervisor.host=h1)}.
 */
@ProviderType
public interface TestHypervisor {
    /** The host it plays. */
    String host();

    /** Every attach request received, in order, including refused ones. */
    List<AttachRequest> attachRequests();

    /** Disks attached now. */
    List<Attachment> attachments();

    /** Disks attached now to {@code vm}. */
    List<Attachment> attachments(String vm);

    /** The limits in force on the attached disk of {@code volumeId} (from attach or the last change). */
    Optional<IoLimits> limits(UUID volumeId);

    /** Every detach received, in order (also of disks that were not attached). */
    List<Attachment> detached();

    /** Every {@code changeLimits} call, in order. */
    List<LimitChange> limitChanges();

    /** Every {@code createDisk} request, in order. */
    List<StaticDiskRequest> createdDisks();

    /** How often each {@code HypervisorAttachService} method was called. */
    Map<String, Integer> calls();

    int calls(String method);

    /** Makes the next call of {@code method} fail (StorageException, BACKEND_FAILURE) before it changes anything. */
    void failNext(String method, String message);

    /** Forgets everything recorded. */
    void reset();
}
