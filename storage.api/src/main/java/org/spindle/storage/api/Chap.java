package org.spindle.storage.api;

import java.util.Objects;

/**
 * CHAP credentials for an iSCSI login. The initiator authenticates as {@code username} with {@code secret};
 * with mutual CHAP the target authenticates back as {@code targetUsername} with {@code targetSecret}
 * (both {@code null} without mutual CHAP). Never persisted by Spindle; {@link Secret} hides the values.
 */
public record Chap(String username, Secret secret, String targetUsername, Secret targetSecret) {
    public Chap {
        if (username == null || username.isBlank()) {
            throw StorageException.invalid("chap.username", "must not be empty");
        }
        Objects.requireNonNull(secret, "chap.secret");
        if ((targetUsername == null) != (targetSecret == null)) {
            throw StorageException.invalid("chap.targetUsername", "mutual CHAP needs both the target's user name and its secret");
        }
        if (targetUsername != null && targetUsername.isBlank()) {
            throw StorageException.invalid("chap.targetUsername", "must not be blank");
        }
    }

    /** One-way CHAP: the initiator authenticates, the target does not. */
    public Chap(String username, Secret secret) {
        this(username, secret, null, null);
    }

    /** Whether the target authenticates back (mutual CHAP). */
    public boolean isMutual() {
        return targetSecret != null;
    }
}
