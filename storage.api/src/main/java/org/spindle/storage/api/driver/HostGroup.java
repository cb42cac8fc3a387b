package org.spindle.storage.api.driver;

import java.util.List;
import java.util.TreeSet;

import org.spindle.storage.api.StorageException;

/**
 * Hosts that reach volumes together: the hosts of one hypervisor attach service (one host, or every host of
 * a cluster). A SAN that has access groups keeps one per host group; the group's initiators are those of
 * the latest {@link StorageDriver#grantAccess} for it, shared by every volume granted to it.
 *
 * @param name       the group's stable name: the attach service's {@code hypervisor.service}
 * @param initiators the initiator addresses (iSCSI IQNs, FC WWPNs), sorted, without duplicates
 */
public record HostGroup(String name, List<String> initiators) {
    public HostGroup {
        if (name == null || name.isBlank()) {
            throw StorageException.invalid("hostGroup.name", "must not be empty");
        }
        if (initiators == null || initiators.isEmpty()) {
            throw StorageException.invalid("initiators", "must name at least one initiator (e.g. the host's iSCSI initiator IQN)");
        }
        for (String i : initiators) {
            if (i == null || i.isBlank()) {
                throw StorageException.invalid("initiators", "must not contain an empty initiator");
            }
        }
        initiators = List.copyOf(new TreeSet<>(initiators));
    }
}
