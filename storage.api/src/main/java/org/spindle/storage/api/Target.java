package org.spindle.storage.api;

import java.util.List;

/**
 * Where a hypervisor finds a volume. For iSCSI: {@code portals} are {@code host:port}, {@code name} is the
 * target IQN and {@code lun} the LUN; for other protocols {@code name} is the protocol's own address
 * (an NFS export, an RBD image, an FC WWN). {@code chap} is present only on targets handed out by
 * {@code grantAccess} and is never persisted by Spindle.
 */
public record Target(String protocol, List<String> portals, String name, int lun, Chap chap) {
    public Target {
        Protocols.check("target.protocol", protocol);
        portals = List.copyOf(portals);
        if (name == null || name.isBlank()) {
            throw StorageException.invalid("target.name", "must not be empty");
        }
        if (lun < 0 || lun > 16383) {
            throw StorageException.invalid("target.lun", "must be between 0 and 16383 (was " + lun + ")");
        }
    }

    /** The same target without credentials: what may be stored and shown. */
    public Target withoutChap() {
        return chap == null ? this : new Target(protocol, portals, name, lun, null);
    }

    /** The same target carrying {@code credentials}. */
    public Target withChap(Chap credentials) {
        return new Target(protocol, portals, name, lun, credentials);
    }
}
