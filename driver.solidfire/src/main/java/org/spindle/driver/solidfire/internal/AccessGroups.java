package org.spindle.driver.solidfire.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spindle.driver.solidfire.internal.element.ElementApi;
import org.spindle.driver.solidfire.internal.element.ElementException;
import org.spindle.driver.solidfire.internal.element.ElementTransportException;
import org.spindle.driver.solidfire.internal.element.Wire;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;
import org.spindle.storage.api.driver.HostGroup;

/**
 * Host access through volume access groups, one per {@link HostGroup} (named by {@link GroupNaming}), shared by
 * every volume granted to that group.
 * <ul>
 * <li>A grant makes the group's initiators exactly those given (adding the missing ones, removing those that
 * left) and puts the volume in it; a group not there yet is created with both.</li>
 * <li>A revoke takes the volume out of the group, and deletes the group once it holds no volume.</li>
 * <li>Element's limits ({@link ClusterLimits}) are checked before calling: groups per volume, initiators per group,
 * and one group per initiator (an initiator in another group is a CONFLICT naming both).</li>
 * <li>Grants and revokes of one group are serialized in this driver; a grant ends by reading its group back and
 * starts over (at most {@value #ATTEMPTS} times) when the group vanished or changed meanwhile, so a revoke
 * deleting the group elsewhere never leaves a grant without access.</li>
 * </ul>
 * Every step is idempotent: Element's "already in" and "not in" answers count as done, and an ambiguous
 * CreateVolumeAccessGroup (lost answer) is followed by a look for the group before anything else.
 */
final class AccessGroups {
    private static final Logger LOG = LoggerFactory.getLogger(AccessGroups.class);
    static final int ATTEMPTS = 3;
    /** The marker of the per-initiator groups Spindle made before host groups. */
    static final String LEGACY_ATTRIBUTE = "spindle";

    private final GroupNaming naming;
    private final ConcurrentHashMap<String, Object> locks = new ConcurrentHashMap<>();

    AccessGroups(GroupNaming naming) {
        this.naming = naming;
    }

    GroupNaming naming() {
        return naming;
    }

    static String normalize(String iqn) {
        return iqn.strip().toLowerCase(Locale.ROOT);
    }

    /** The group changed under a grant (deleted, or members changed): start over. */
    private static final class Changed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Changed() {
            super(null, null, false, false);
        }
    }

    /** Lets every initiator of {@code group} (and no other) reach {@code volume} through the group's access group. */
    void grant(ElementApi api, Wire.Volume volume, HostGroup group, ClusterLimits limits) {
        List<String> initiators = List.copyOf(new TreeSet<>(group.initiators().stream().map(AccessGroups::normalize).toList()));
        if (initiators.size() > limits.initiatorsPerGroup()) {
            throw StorageException.invalid("initiators", "host group " + group.name() + " has " + initiators.size()
                    + " initiators; a SolidFire volume access group holds at most " + limits.initiatorsPerGroup()
                    + " (" + limits.source() + ")");
        }
        locked(group.name(), () -> {
            for (int attempt = 1; ; attempt++) {
                try {
                    grantOnce(api, volume, group.name(), initiators, limits);
                    return null;
                } catch (Changed e) {
                    if (attempt == ATTEMPTS) {
                        throw new StorageException(Reason.BUSY, null, "the volume access group of host group "
                                + group.name() + " kept changing while volume " + volume.volumeID() + " was granted to it; "
                                + "retry", null);
                    }
                    LOG.info("Volume access group of host group {} changed during a grant; starting over", group.name());
                }
            }
        });
    }

    private void grantOnce(ElementApi api, Wire.Volume volume, String group, List<String> initiators, ClusterLimits limits) {
        List<Wire.AccessGroup> all = api.listVolumeAccessGroups();
        if (dropEmptyLegacyGroups(api, all, initiators)) {
            all = api.listVolumeAccessGroups();
        }
        Optional<Wire.AccessGroup> mine = find(all, group);
        checkInitiatorsFree(all, mine, group, initiators);
        long id;
        if (mine.isEmpty()) {
            checkGroupsPerVolume(all, volume, group, limits);
            Optional<Long> created = create(api, volume, group, initiators);
            if (created.isPresent()) {
                id = created.get();
            } else {
                // the group appeared meanwhile (a lost answer, or another grant): bring it to what we want
                id = update(api, volume, group, initiators, limits, api.listVolumeAccessGroups());
            }
        } else {
            id = update(api, volume, group, initiators, limits, all);
        }
        Wire.AccessGroup now = api.getVolumeAccessGroup(id).orElseThrow(Changed::new);
        if (!now.volumes().contains(volume.volumeID())
                || !Set.copyOf(now.initiators().stream().map(AccessGroups::normalize).toList()).equals(Set.copyOf(initiators))) {
            throw new Changed();
        }
    }

    /** Creates the group with the initiators and the volume; empty when it turns out to exist already. */
    private Optional<Long> create(ElementApi api, Wire.Volume volume, String group, List<String> initiators) {
        String name = naming.vagName(group);
        try {
            long id = api.createVolumeAccessGroup(name, initiators, volume.volumeID(), naming.attributes(group));
            LOG.info("Created SolidFire volume access group {} (id {}) for host group {}: {} initiator(s)", name, id,
                    group, initiators.size());
            return Optional.of(id);
        } catch (ElementException e) {
            // xExceededLimit naming one of our initiators: another grant of this group created it first
            if (!e.is("xExceededLimit") || find(api.listVolumeAccessGroups(), group).isEmpty()) {
                throw e;
            }
            return Optional.empty();
        } catch (ElementTransportException e) {
            if (!e.ambiguous() || find(api.listVolumeAccessGroups(), group).isEmpty()) {
                throw e;
            }
            return Optional.empty();
        }
    }

    /** Makes an existing group's initiators exactly {@code initiators} and adds the volume; returns its id. */
    private long update(ElementApi api, Wire.Volume volume, String group, List<String> initiators, ClusterLimits limits,
                        List<Wire.AccessGroup> all) {
        Wire.AccessGroup g = find(all, group).orElseThrow(Changed::new);
        Set<String> present = new TreeSet<>(g.initiators().stream().map(AccessGroups::normalize).toList());
        List<String> departed = present.stream().filter(i -> !initiators.contains(i)).toList();
        List<String> missing = initiators.stream().filter(i -> !present.contains(i)).toList();
        if (!departed.isEmpty()) {
            tolerate(() -> api.removeInitiatorsFromAccessGroup(g.volumeAccessGroupID(), departed), "xNotInVolumeAccessGroup");
            LOG.info("Host group {}: initiator(s) {} left; removed from volume access group {}", group, departed, g.name());
        }
        if (!missing.isEmpty()) {
            tolerate(() -> api.addInitiatorsToAccessGroup(g.volumeAccessGroupID(), missing), "xAlreadyInVolumeAccessGroup");
            LOG.info("Host group {}: initiator(s) {} added to volume access group {}", group, missing, g.name());
        }
        if (!g.volumes().contains(volume.volumeID())) {
            checkGroupsPerVolume(all, volume, group, limits);
            tolerate(() -> api.addVolumeToAccessGroup(g.volumeAccessGroupID(), volume.volumeID()), "xAlreadyInVolumeAccessGroup");
        }
        return g.volumeAccessGroupID();
    }

    /**
     * Spindle before host groups kept one access group per initiator (attribute {@code spindle=true}) and left it
     * behind empty after the last revoke; since an initiator can be in one group only, such a group would block the
     * initiator's host group. An empty one grants nothing: it is deleted. One that still holds volumes stays (the
     * grant then fails with CONFLICT naming it).
     */
    private static boolean dropEmptyLegacyGroups(ElementApi api, List<Wire.AccessGroup> all, List<String> initiators) {
        boolean dropped = false;
        for (Wire.AccessGroup g : all) {
            boolean legacy = "true".equals(g.attributes().get(LEGACY_ATTRIBUTE)) && g.volumes().isEmpty()
                    && g.initiators().stream().map(AccessGroups::normalize).anyMatch(initiators::contains);
            if (legacy) {
                tolerate(() -> api.deleteVolumeAccessGroup(g.volumeAccessGroupID()), "xVolumeAccessGroupIDDoesNotExist");
                LOG.info("Deleted the empty per-initiator volume access group {} (id {}) of an earlier Spindle", g.name(),
                        g.volumeAccessGroupID());
                dropped = true;
            }
        }
        return dropped;
    }

    /** Takes {@code volumeId} out of the group's access group, and deletes the group once it holds no volume. */
    void revoke(ElementApi api, Long volumeId, HostGroup group) {
        locked(group.name(), () -> {
            Optional<Wire.AccessGroup> mine = find(api.listVolumeAccessGroups(), group.name());
            if (mine.isEmpty()) {
                return null;
            }
            long id = mine.get().volumeAccessGroupID();
            if (volumeId != null && mine.get().volumes().contains(volumeId)) {
                try {
                    api.removeVolumeFromAccessGroup(id, volumeId);
                } catch (ElementException e) {
                    if (e.is("xVolumeAccessGroupIDDoesNotExist")) {
                        return null;
                    }
                    if (!e.is("xNotInVolumeAccessGroup")) {
                        throw e;
                    }
                }
            }
            Optional<Wire.AccessGroup> now = api.getVolumeAccessGroup(id);
            if (now.isPresent() && now.get().volumes().isEmpty()) {
                tolerate(() -> api.deleteVolumeAccessGroup(id), "xVolumeAccessGroupIDDoesNotExist");
                LOG.info("Deleted SolidFire volume access group {} (id {}): host group {} has no volume left",
                        now.get().name(), id, group.name());
            }
            return null;
        });
    }

    /** The access group this Spindle made for {@code group} (the oldest, should Element hold two). */
    Optional<Wire.AccessGroup> find(List<Wire.AccessGroup> all, String group) {
        return all.stream().filter(g -> naming.isFor(g, group))
                .min(Comparator.comparingLong(Wire.AccessGroup::volumeAccessGroupID));
    }

    private static void checkInitiatorsFree(List<Wire.AccessGroup> all, Optional<Wire.AccessGroup> mine, String group,
                                            List<String> initiators) {
        long myId = mine.map(Wire.AccessGroup::volumeAccessGroupID).orElse(-1L);
        List<String> taken = new ArrayList<>();
        for (Wire.AccessGroup g : all) {
            if (g.volumeAccessGroupID() == myId) {
                continue;
            }
            for (String i : g.initiators()) {
                if (initiators.contains(normalize(i))) {
                    taken.add(normalize(i) + " (in volume access group " + g.name() + ", id " + g.volumeAccessGroupID() + ")");
                }
            }
        }
        if (!taken.isEmpty()) {
            throw new StorageException(Reason.CONFLICT, "initiators", "host group " + group + ": " + String.join(", ", taken)
                    + "; Element lets an initiator be in one volume access group only", null);
        }
    }

    private static void checkGroupsPerVolume(List<Wire.AccessGroup> all, Wire.Volume volume, String group, ClusterLimits limits) {
        long holding = all.stream().filter(g -> g.volumes().contains(volume.volumeID())).count();
        if (holding >= limits.accessGroupsPerVolume()) {
            throw new StorageException(Reason.CONFLICT, "volume", "SolidFire volume " + volume.volumeID() + " is already in "
                    + holding + " volume access groups, the most this cluster allows (" + limits.source() + "); revoke "
                    + "another host group's access before granting host group " + group, null);
        }
    }

    private static void tolerate(Runnable call, String doneName) {
        try {
            call.run();
        } catch (ElementException e) {
            if (e.is("xVolumeAccessGroupIDDoesNotExist") && !doneName.equals("xVolumeAccessGroupIDDoesNotExist")) {
                throw new Changed();
            }
            if (!e.is(doneName)) {
                throw e;
            }
        }
    }

    private <T> T locked(String group, Supplier<T> work) {
        synchronized (locks.computeIfAbsent(group, k -> new Object())) {
            return work.get();
        }
    }
}
