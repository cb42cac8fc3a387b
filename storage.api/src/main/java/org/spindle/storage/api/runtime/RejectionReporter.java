package org.spindle.storage.api.runtime;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Lets a driver or attach service whose configuration is invalid, or that cannot serve now, say so instead of
 * only logging: the core then lists it as {@link ServiceStatus#REJECTED} or {@link ServiceStatus#UNAVAILABLE}
 * with the reason. Provided by the core.
 */
@ProviderType
public interface RejectionReporter {
    /** What is being reported. */
    enum Kind { DRIVER, ATTACH_SERVICE }

    /**
     * Reports that the configuration {@code pid} of {@code bundle} was refused because of {@code reason}
     * (one line, naming the configuration key; no secrets).
     */
    void rejected(Kind kind, String pid, String bundle, String type, String reason);

    /**
     * Reports that the valid configuration {@code pid} of {@code bundle} cannot serve now (a host that went away):
     * the core lists it as {@link ServiceStatus#UNAVAILABLE} with the reason (one line, since when and why; no
     * secrets) until {@link #cleared} or registered again.
     *
     * The default reports it as rejected (for test doubles); the core's own says UNAVAILABLE.
     *
     * @since 1.1
     */
    default void unavailable(Kind kind, String pid, String bundle, String type, String reason) {
        rejected(kind, pid, bundle, type, "unavailable: " + reason);
    }

    /** Withdraws an earlier report for {@code pid} (the configuration was fixed or deleted, the host is back). */
    void cleared(String pid);
}
