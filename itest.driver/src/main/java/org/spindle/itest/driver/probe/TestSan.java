package org.spindle.itest.driver.probe;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The fake SAN behind one test driver (one pool). Registered with the driver's service properties, so a test
 * finds the SAN of pool {@code sf1} with the filter {@code (storage.pool=sf1)}.
 */
@ProviderType
public interface TestSan {
    /** The pool this SAN serves. */
    String pool();

    /** The volumes on the SAN now (deleted ones are gone), oldest first. */
    List<SanVolumeState> volumes();

    /** The SAN volume of a Spindle volume, if it exists on the SAN. */
    Optional<SanVolumeState> volume(UUID volumeId);

    /** How often each {@code StorageDriver} method was called since the driver started (or {@link #reset}). */
    Map<String, Integer> calls();

    /** How often {@code method} (e.g. {@code createVolume}) was called. */
    int calls(String method);

    /**
     * Makes the next call of {@code method} fail with a {@code StorageException} (reason BACKEND_FAILURE)
     * carrying {@code message}, before it changes anything.
     */
    void failNext(String method, String message);

    /** Forgets every volume and call count (and the persisted state). */
    void reset();
}
