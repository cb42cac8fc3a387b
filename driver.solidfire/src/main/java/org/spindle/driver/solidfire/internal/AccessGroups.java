package org.spindle.driver.solidfire.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spindle.driver.solidfire.internal.element.ElementApi;
import org.spindle.driver.solidfire.internal.element.ElementException;
import org.spindle.driver.solidfire.internal.element.Wire;
import org.spindle.storage.api.StorageException;

/**
 * Host access through volume access groups, one per initiator IQN (Cinder's scheme: the group is named after
 * the IQN with non-alphanumerics turned into {@code -}). A group is found by its initiator, not its name, so a
 * group an operator made for the host is used as it is. Element's limits: a volume is in at most
 * {@value #MAX_GROUPS_PER_VOLUME} groups (checked before calling), a group holds at most 64 initiators (the
 * driver never adds initiators to an existing group; a refusal surfaces as CONFLICT).
 */
final class AccessGroups {
    private static final Logger LOG = LoggerFactory.getLogger(AccessGroups.class);
    static final int MAX_GROUPS_PER_VOLUME = 4;
    static final int MAX_NAME = 64;

    static String groupName(String iqn) {
        String n = iqn.replaceAll("[^A-Za-z0-9]", "-");
        return n.length() > MAX_NAME ? n.substring(n.length() - MAX_NAME) : n;
    }

    static String normalize(String iqn) {
        return iqn.strip().toLowerCase(Locale.ROOT);
    }

    /** Lets {@code initiator} reach {@code volume}. Idempotent. */
    void grant(ElementApi api, Wire.Volume volume, String initiator) {
        String iqn = normalize(initiator);
        List<Wire.AccessGroup> groups = api.listVolumeAccessGroups();
        Optional<Wire.AccessGroup> group = groupOf(groups, iqn);
        if (group.isPresent() && group.get().volumes().contains(volume.volumeID())) {
            return;
        }
        long holding = groups.stream().filter(g -> g.volumes().contains(volume.volumeID())).count();
        if (holding >= MAX_GROUPS_PER_VOLUME) {
            throw new StorageException(StorageException.Reason.CONFLICT, "initiator", "SolidFire volume "
                    + volume.volumeID() + " is already in " + holding + " volume access groups, Element's limit; revoke "
                    + "another host's access before granting " + iqn, null);
        }
        if (group.isPresent()) {
            add(api, group.get().volumeAccessGroupID(), volume.volumeID());
            return;
        }
        try {
            long id = api.createVolumeAccessGroup(groupName(iqn), iqn, volume.volumeID(), Map.of("spindle", "true"));
            LOG.info("Created SolidFire volume access group {} (id {}) for initiator {}", groupName(iqn), id, iqn);
        } catch (ElementException e) {
            // xExceededLimit naming the IQN: the initiator joined a group meanwhile (a concurrent grant)
            Optional<Wire.AccessGroup> now = e.is("xExceededLimit") && e.elementMessage().toLowerCase(Locale.ROOT).contains(iqn)
                    ? groupOf(api.listVolumeAccessGroups(), iqn) : Optional.empty();
            if (now.isEmpty()) {
                throw e;
            }
            if (!now.get().volumes().contains(volume.volumeID())) {
                add(api, now.get().volumeAccessGroupID(), volume.volumeID());
            }
        }
    }

    /** Takes {@code initiator}'s access to {@code volumeId} away. Idempotent. */
    void revoke(ElementApi api, long volumeId, String initiator) {
        String iqn = normalize(initiator);
        Optional<Wire.AccessGroup> group = groupOf(api.listVolumeAccessGroups(), iqn);
        if (group.isEmpty() || !group.get().volumes().contains(volumeId)) {
            return;
        }
        try {
            api.removeVolumeFromAccessGroup(group.get().volumeAccessGroupID(), volumeId);
        } catch (ElementException e) {
            if (!e.is("xNotInVolumeAccessGroup") && !e.is("xVolumeAccessGroupIDDoesNotExist")) {
                throw e;
            }
        }
    }

    private static void add(ElementApi api, long groupId, long volumeId) {
        try {
            api.addVolumeToAccessGroup(groupId, volumeId);
        } catch (ElementException e) {
            if (!e.is("xAlreadyInVolumeAccessGroup")) {
                throw e;
            }
        }
    }

    private static Optional<Wire.AccessGroup> groupOf(List<Wire.AccessGroup> groups, String iqn) {
        return groups.stream().filter(g -> g.initiators().stream().anyMatch(i -> normalize(i).equals(iqn))).findFirst();
    }
}
