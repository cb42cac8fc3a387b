package org.spindle.storage.api.qos;

import java.util.Locale;

/**
 * The two sides of a volume's QoS.
 *
 * @since 1.1
 */
public enum QosSide {
    /** The SAN: guarantees and caps on the SAN volume. */
    STORAGE,
    /** The hypervisor: limits on the VM's disk. */
    HYPERVISOR;

    /** The lower-case token, e.g. {@code storage}. */
    public String token() {
        return name().toLowerCase(Locale.ROOT);
    }
}
