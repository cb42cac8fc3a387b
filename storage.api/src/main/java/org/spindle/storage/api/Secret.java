package org.spindle.storage.api;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;

/**
 * A secret (password, CHAP secret). Its {@link #toString()} never shows the value, so a secret inside a
 * record, a log line or an exception message stays hidden. Only {@link #reveal()} gives the value, to be
 * handed straight to the SAN or hypervisor.
 */
public final class Secret {
    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    public static Secret of(String value) {
        if (value == null || value.isEmpty()) {
            throw StorageException.invalid("secret", "must not be empty");
        }
        return new Secret(value);
    }

    /** The value itself. Never log it. */
    public String reveal() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && MessageDigest.isEqual(
                value.getBytes(StandardCharsets.UTF_8), s.value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int hashCode() {
        return value.length();
    }

    @Override
    public String toString() {
        return "********";
    }
}
