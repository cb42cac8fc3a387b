package org.spindle.itest.driver.probe;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.osgi.annotation.versioning.ProviderType;
import org.spindle.storage.api.StorageException;

/**
 * The fake SAN behind one test driver (one pool). Registered with the driver's service properties, so a test
 * finds the SAN of pool {@code sf1} with the filter {@code (storage.pool=sf1)}.
 *
 * <p>Access is kept per volume and per host group, as {@code grantAccess}/{@code revokeAccess} define it: a grant
 * for a group replaces that group's initiators on that volume; a revoke takes exactly the initiators it names
 * away from that group on that volume (the group is gone once none is left).
 */
@ProviderType
public interface TestSan {
    /** The pool this SAN serves. */
    String pool();

    /** The volumes on the SAN now (deleted ones are gone), oldest first. */
    List<SanVolumeState> volumes();

    /** The SAN volume of a Spindle volume, if it exists on the SAN. */
    Optional<SanVolumeState> volume(UUID volumeId);

    /**
     * Exactly the initiators that reach the volume now, over all its host groups (sorted); empty when none does
     * or the volume does not exist.
     */
    List<String> initiators(UUID volumeId);

    /** The host groups granted access to the volume now, by group name, each with its initiators (sorted). */
    Map<String, List<String>> groups(UUID volumeId);

    /** Every {@code grantAccess} and {@code revokeAccess} call, in order, also those that failed. */
    List<AccessCall> accessCalls();

    /** How often each {@code StorageDriver} method was called since the driver started (or {@link #reset}). */
    Map<String, Integer> calls();

    /** How often {@code method} (e.g. {@code createVolume}) was called. */
    int calls(String method);

    /**
     * Makes the next call of {@code method} fail with a {@code StorageException} (reason BACKEND_FAILURE)
     * carrying {@code message}, before it changes anything.
     */
    void failNext(String method, String message);

    /** As {@link #failNext(String, String)}, with {@code reason} (e.g. BUSY, CAPACITY, AUTHENTICATION). */
    void failNext(String method, StorageException.Reason reason, String message);

    /** Forgets every volume, access call and call count (and the persisted state). */
    void reset();
}
