package org.spindle.storage.api.driver;

import java.util.Locale;
import java.util.Optional;

/**
 * What a SAN can enforce per volume: the closed vocabulary of {@value DriverProperties#QOS}. A value may be
 * written as its {@link #token()} ({@code min-iops}) or as the constant's name ({@code MIN_IOPS}, which is
 * what {@link StorageQosSupport} produces). A core that meets a token it does not know ignores it with a
 * warning.
 */
public enum StorageQosCapability {
    /** The SAN guarantees a minimum. */
    MIN_IOPS,
    /** The SAN caps sustained IOPS. */
    MAX_IOPS,
    /** The SAN allows bursts above the cap. */
    BURST_IOPS;

    /** The lower-case token, e.g. {@code min-iops}. */
    public String token() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The capability a token or constant name stands for, ignoring case and {@code -}/{@code _}. */
    public static Optional<StorageQosCapability> fromToken(String token) {
        if (token == null) {
            return Optional.empty();
        }
        String name = token.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (StorageQosCapability c : values()) {
            if (c.name().equals(name)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
