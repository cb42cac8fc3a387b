package org.spindle.storage.api.volume;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;
import org.spindle.storage.api.IoStats;
import org.spindle.storage.api.qos.QosSpec;

/**
 * Volumes: what the shell and embedding platforms call. Provided by the Spindle core. A volume is named
 * by its name or its UUID. Every failure is a {@link org.spindle.storage.api.StorageException}; a refused
 * operation changes nothing.
 */
@ProviderType
public interface VolumeService {
    /**
     * Creates a volume: a row in state {@link VolumeState#ALLOCATED}, nothing on the SAN yet. Chooses the
     * pool by the offering's tags, and refuses storage QoS the pool's driver would not enforce.
     */
    Volume create(VolumeSpec spec);

    /**
     * Attaches the volume to {@code vm}. Creates the SAN volume first if the volume is still allocated,
     * then grants the hosts of the matching attach service access and has it attach the volume.
     *
     * @param vm   the VM's name or id, as its hypervisor knows it (the attach service validates it)
     * @param host a host or an attach service ({@code hypervisor.service}) to look in, or {@code null} to ask
     *             every attach service in the pool's zone
     */
    Volume attach(String volume, String vm, String host);

    /** Detaches the volume (removing the hypervisor structure) and revokes the host's access. */
    Volume detach(String volume);

    /** Grows the volume: on the SAN if it exists there, and in the hypervisor and guest if attached. */
    Volume resize(String volume, long newSizeBytes);

    /**
     * Changes the volume's QoS at runtime, on the SAN and, if attached, in the hypervisor; the same rules as
     * at creation apply. Unset parts of {@code qos} keep their current values.
     */
    Volume changeQos(String volume, QosSpec qos);

    /** Deletes the volume (and its SAN volume). Refused while attached. */
    Volume delete(String volume);

    Optional<Volume> get(String volume);

    /** Volumes, oldest first; destroyed ones only if {@code includeDestroyed}. Every one: prefer pages. */
    List<Volume> list(boolean includeDestroyed);

    /**
     * One page of volumes, oldest first, filtered by the query; fewer than {@link VolumeQuery#limit()} means the
     * last page. An index serves every filter, so a page costs the same at any depth.
     *
     * @since 1.1
     */
    List<Volume> list(VolumeQuery query);

    /** I/O counters: from the hypervisor when attached, else from the SAN. */
    IoStats stats(String volume);
}
