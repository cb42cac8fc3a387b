package org.spindle.storage.api;

import java.util.List;
import java.util.Objects;

/**
 * Where a hypervisor finds a volume. For iSCSI, {@code portals} are where to log in, {@code name} is the
 * target IQN and {@code lun} the LUN; for other protocols {@code name} is the protocol's own address (an NFS
 * export, an RBD image, an FC WWN) and {@code portals} may be empty.
 *
 * @param protocol see {@link Protocols}
 * @param portals  where to connect, in order of preference
 * @param name     the target's name (IQN, export, image)
 * @param lun      the LUN, 0–16383 (0 where the protocol has none)
 * @param deviceId the LUN's SCSI device identifier as the SAN reports it, lower-case hex with its
 *                 designator type ({@code naa.6f47acc1…}, {@code eui.…}), or {@code null} when the SAN
 *                 does not say; hypervisors that address disks by it (a Xen SCSIid, a vSphere canonical
 *                 name) use it to find the LUN without probing
 * @param chap     credentials to log in with: present only on targets returned by
 *                 {@code StorageDriver.grantAccess}, never stored
 */
public record Target(String protocol, List<Portal> portals, String name, int lun, String deviceId, Chap chap) {
    public Target {
        Protocols.check("target.protocol", protocol);
        portals = List.copyOf(Objects.requireNonNull(portals, "target.portals"));
        if (name == null || name.isBlank()) {
            throw StorageException.invalid("target.name", "must not be empty");
        }
        if (lun < 0 || lun > 16383) {
            throw StorageException.invalid("target.lun", "must be between 0 and 16383 (was " + lun + ")");
        }
        if (deviceId != null && !deviceId.matches("(naa|eui|t10)\\.[0-9a-f]{8,64}")) {
            throw StorageException.invalid("target.deviceId", "must be naa., eui. or t10. followed by lower-case hex digits (was '"
                    + deviceId + "')");
        }
    }

    /** The same target without credentials: what may be stored and shown. */
    public Target withoutChap() {
        return chap == null ? this : new Target(protocol, portals, name, lun, deviceId, null);
    }

    /** The same target carrying {@code credentials}. */
    public Target withChap(Chap credentials) {
        return new Target(protocol, portals, name, lun, deviceId, credentials);
    }

    /** The first portal; fails naming the field when there is none. */
    public Portal portal() {
        if (portals.isEmpty()) {
            throw StorageException.invalid("target.portals", "target " + name + " has no portal");
        }
        return portals.get(0);
    }
}
