package org.spindle.storage.api.driver;

import org.spindle.storage.api.StorageException;

/**
 * A host that wants to reach a volume: its name and its initiator address for the protocol
 * (iSCSI initiator IQN, FC WWPN, NFS client address).
 */
public record Initiator(String host, String address) {
    public Initiator {
        if (host == null || host.isBlank()) {
            throw StorageException.invalid("host", "must not be empty");
        }
        if (address == null || address.isBlank()) {
            throw StorageException.invalid("initiator", "must not be empty (e.g. the host's iSCSI initiator IQN)");
        }
    }
}
