package org.spindle.storage.api.attach;

import java.util.Locale;
import java.util.Optional;

/**
 * What a hypervisor can enforce on a disk: the closed vocabulary of {@value AttachProperties#LIMITS}. In a
 * service property a value may be written as its {@link #token()} ({@code read-write}) or as the constant's
 * name ({@code READ_WRITE}, which is what {@link HypervisorLimits} produces); {@link #fromToken} reads both.
 * A core that meets a token it does not know ignores it with a warning, so newer attach services run on
 * older cores.
 */
public enum HypervisorLimit {
    /** It limits operations per second. */
    IOPS,
    /** It limits bytes per second. */
    BPS,
    /** It limits reads and writes separately. */
    READ_WRITE,
    /** It limits reads plus writes together. */
    TOTAL,
    /** It allows bursts above a limit. */
    BURST,
    /** It bounds how long a burst lasts. */
    BURST_LENGTH,
    /**
     * It gives the disk a relative priority ({@link org.spindle.storage.api.qos.IoLimits#weight()}): a Xen
     * VBD's ionice class, vSphere shares, a libvirt blkio weight. A weight is not a cap and never counts in
     * the effective QoS.
     */
    WEIGHT;

    /** The lower-case token, e.g. {@code read-write}. */
    public String token() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The limit a token or constant name stands for, ignoring case and {@code -}/{@code _}. */
    public static Optional<HypervisorLimit> fromToken(String token) {
        if (token == null) {
            return Optional.empty();
        }
        String name = token.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (HypervisorLimit l : values()) {
            if (l.name().equals(name)) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }
}
