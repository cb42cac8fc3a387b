package org.spindle.storage.api.runtime;

/** Whether the core uses a service. */
public enum ServiceStatus {
    /** In use. */
    BOUND,
    /** Seen and refused; the info's reason says why. */
    REJECTED
}
