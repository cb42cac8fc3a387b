package org.spindle.storage.api.runtime;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Lets a driver or attach service whose configuration is invalid say so, instead of only logging: the
 * core then lists it as {@link ServiceStatus#REJECTED} with the reason. Provided by the core.
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

    /** Withdraws an earlier report for {@code pid} (the configuration was fixed or deleted). */
    void cleared(String pid);
}
