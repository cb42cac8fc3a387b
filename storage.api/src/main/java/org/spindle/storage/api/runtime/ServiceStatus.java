package org.spindle.storage.api.runtime;

/** Whether the core uses a service. */
public enum ServiceStatus {
    /** In use. */
    BOUND,
    /** Seen and refused; the info's reason says why. */
    REJECTED,
    /**
     * Known and valid, but not answering now (a host that went away); the info's reason says since when and why.
     * Its volumes stay as they are; calls for them fail UNAVAILABLE until it is back.
     *
     * @since 1.1
     */
    UNAVAILABLE
}
