package org.spindle.storage.api;

import java.util.Objects;

/**
 * CHAP credentials for an iSCSI login: the initiator authenticates with {@code username}/{@code secret};
 * with mutual CHAP the target answers with {@code targetSecret} (may be {@code null}).
 */
public record Chap(String username, Secret secret, Secret targetSecret) {
    public Chap {
        if (username == null || username.isBlank()) {
            throw StorageException.invalid("chap.username", "must not be empty");
        }
        Objects.requireNonNull(secret, "chap.secret");
    }
}
