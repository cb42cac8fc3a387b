package org.spindle.storage.api.driver;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.osgi.annotation.versioning.ConsumerType;
import org.spindle.storage.api.IoStats;
import org.spindle.storage.api.PoolCapacity;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.qos.StorageQos;

/**
 * A managed SAN: one service per configured cluster, which is one Spindle pool. Every method may throw
 * {@link org.spindle.storage.api.StorageException}; messages must not contain secrets.
 *
 * <p>Register it with the properties of {@link DriverProperties} (at least {@code storage.pool},
 * {@code storage.driver.type}, {@code storage.protocols}); the core ignores, and reports as rejected,
 * a service without them. Drivers never see hypervisors: they hand out a {@link Target}, and the core
 * gives it to whichever attach service fits.
 */
@ConsumerType
public interface StorageDriver {

    /**
     * Creates the SAN volume for a Spindle volume. Idempotent: keyed by {@link SanVolumeRequest#volumeId()},
     * so a retry after a lost answer returns the volume made the first time instead of a second one.
     */
    SanVolume createVolume(SanVolumeRequest request);

    /**
     * The SAN volume made for {@code volumeId}, found by the Spindle UUID it carries on the SAN (after a lost
     * answer, and for reconciliation); empty if there is none.
     */
    Optional<SanVolume> findVolume(UUID volumeId);

    /** Deletes (and purges) the SAN volume. Idempotent: a volume already gone is success. */
    void deleteVolume(SanVolumeRef volume);

    /** Grows the SAN volume to {@code newSizeBytes}; shrinking is refused. Returns the volume as it is now. */
    SanVolume resizeVolume(SanVolumeRef volume, long newSizeBytes);

    /** Changes the storage QoS of a live volume. */
    void modifyQos(SanVolumeRef volume, StorageQos qos);

    /**
     * Lets every initiator of {@code group} reach the volume, and returns the target to log in to, with the
     * CHAP credentials the hosts must present (if the SAN uses CHAP). The group's initiators replace those an
     * earlier grant gave the same group: a host that left the group loses access. Idempotent.
     */
    Target grantAccess(SanVolumeRef volume, HostGroup group);

    /**
     * Takes the access granted to {@code group} (exactly the initiators given, as they were granted) away
     * from the volume. Idempotent.
     */
    void revokeAccess(SanVolumeRef volume, HostGroup group);

    /** Capacity of the pool, in bytes and IOPS. */
    PoolCapacity capacity();

    /** Cumulative I/O counters of one volume. */
    IoStats volumeStats(SanVolumeRef volume);

    /** Every SAN volume this driver owns for Spindle (for reconciliation), whatever its state. */
    List<SanVolume> listVolumes();
}
