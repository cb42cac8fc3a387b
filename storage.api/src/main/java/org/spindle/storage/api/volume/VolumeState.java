package org.spindle.storage.api.volume;

/**
 * The life of a volume. Stable states are {@link #ALLOCATED}, {@link #READY}, {@link #ATTACHED},
 * {@link #DESTROYED} and {@link #ERROR}; the others are transient and mark an operation in flight
 * (persisted before the external call, so a restart knows what was under way).
 */
public enum VolumeState {
    /** A database row; nothing on the SAN yet. */
    ALLOCATED(false),
    /** The SAN volume is being created (lazily, on first attach). */
    CREATING(true),
    /** Exists on the SAN, not attached. */
    READY(false),
    /** Being attached to a VM. */
    ATTACHING(true),
    /** Attached to a VM. */
    ATTACHED(false),
    /** Being detached. */
    DETACHING(true),
    /** Being grown. */
    RESIZING(true),
    /** Its QoS is being changed on the SAN and in the hypervisor. */
    CHANGING_QOS(true),
    /** Being deleted from the SAN. */
    DESTROYING(true),
    /** Gone from the SAN; the row stays as a record. */
    DESTROYED(false),
    /** An operation failed in a way that needs an operator; see the volume's error. */
    ERROR(false);

    private final boolean transitional;

    VolumeState(boolean transitional) {
        this.transitional = transitional;
    }

    /** Whether an operation is in flight in this state. */
    public boolean isTransitional() {
        return transitional;
    }
}
