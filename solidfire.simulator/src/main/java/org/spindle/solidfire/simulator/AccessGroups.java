package org.spindle.solidfire.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongConsumer;

/**
 * The volume access groups of a simulated cluster and their Element methods. Not thread-safe on its own: the
 * {@link Cluster} calls it under its lock. Limits come from {@link ElementLimits} (the cluster's version):
 * groups per volume, initiators per group, and one group per initiator.
 */
final class AccessGroups {
    private final ObjectMapper json;
    private final ElementLimits limits;
    private final LongConsumer requireActiveVolume;
    private final TreeMap<Long, Vag> vags = new TreeMap<>();
    private final TreeMap<String, Long> initiatorIds = new TreeMap<>();
    private long nextVagId = 1;
    private long nextInitiatorId = 1;

    static final class Vag {
        long id;
        String name;
        final List<String> initiators = new ArrayList<>();
        final List<Long> volumes = new ArrayList<>();
        final List<Long> deletedVolumes = new ArrayList<>();
        ObjectNode attributes;
    }

    /** {@code requireActiveVolume} throws {@code xVolumeIDDoesNotExist} for an id that is not an active volume. */
    AccessGroups(ObjectMapper json, ElementLimits limits, LongConsumer requireActiveVolume) {
        this.json = json;
        this.limits = limits;
        this.requireActiveVolume = requireActiveVolume;
    }

    // ---- methods; each returns the volumes whose iSCSI side must be brought up to date

    record Change(ObjectNode result, List<Long> volumes) {
    }

    Change create(Params p, ObjectNode attributes) {
        String name = p.reqString("name");
        Cluster.checkName("name", name);
        List<String> initiators = normalize(p.optStringList("initiators").orElse(List.of()));
        List<Long> vols = distinct(p.optLongList("volumes").orElse(List.of()));
        if (initiators.size() > limits.initiatorsPerVolumeAccessGroup()) {
            throw new ElementException("xExceededLimit", "Exceeded maximum number of initiators per VolumeAccessGroup ("
                    + limits.initiatorsPerVolumeAccessGroup() + ")");
        }
        for (String iqn : initiators) {
            checkInitiatorFree(iqn, -1);
        }
        for (long id : vols) {
            requireActiveVolume.accept(id);
            checkVolumeVagLimit(id);
        }
        Vag g = new Vag();
        g.id = nextVagId++;
        g.name = name;
        g.attributes = attributes;
        g.initiators.addAll(initiators);
        g.volumes.addAll(vols);
        vags.put(g.id, g);
        initiators.forEach(this::initiatorId);
        ObjectNode r = json.createObjectNode();
        r.set("volumeAccessGroup", vagJson(g));
        r.put("volumeAccessGroupID", g.id);
        return new Change(r, vols);
    }

    Change addInitiators(Params p) {
        long vagId = p.reqLong("volumeAccessGroupID");
        List<String> initiators = normalize(p.reqStringList("initiators"));
        Vag g = vag(vagId);
        for (String iqn : initiators) {
            if (g.initiators.contains(iqn)) {
                throw new ElementException("xAlreadyInVolumeAccessGroup", "Initiator " + iqn
                        + " is already in VolumeAccessGroupID " + g.id + ".");
            }
            checkInitiatorFree(iqn, g.id);
        }
        if (g.initiators.size() + initiators.size() > limits.initiatorsPerVolumeAccessGroup()) {
            throw new ElementException("xExceededLimit", "Exceeded maximum number of initiators per VolumeAccessGroup ("
                    + limits.initiatorsPerVolumeAccessGroup() + "): VolumeAccessGroupID " + g.id + " has "
                    + g.initiators.size());
        }
        g.initiators.addAll(initiators);
        initiators.forEach(this::initiatorId);
        return new Change(single(g), List.copyOf(g.volumes));
    }

    Change removeInitiators(Params p) {
        long vagId = p.reqLong("volumeAccessGroupID");
        List<String> initiators = normalize(p.reqStringList("initiators"));
        Vag g = vag(vagId);
        for (String iqn : initiators) {
            if (!g.initiators.contains(iqn)) {
                throw new ElementException("xNotInVolumeAccessGroup", "Initiator " + iqn
                        + " is not in VolumeAccessGroupID " + g.id + ".");
            }
        }
        g.initiators.removeAll(initiators);
        return new Change(single(g), List.copyOf(g.volumes));
    }

    Change addVolumes(Params p) {
        long vagId = p.reqLong("volumeAccessGroupID");
        List<Long> vols = distinct(p.reqLongList("volumes"));
        Vag g = vag(vagId);
        for (long id : vols) {
            requireActiveVolume.accept(id);
            if (g.volumes.contains(id)) {
                throw new ElementException("xAlreadyInVolumeAccessGroup", "VolumeID " + id
                        + " is already in VolumeAccessGroupID " + g.id + ".");
            }
            checkVolumeVagLimit(id);
        }
        g.volumes.addAll(vols);
        return new Change(single(g), vols);
    }

    Change removeVolumes(Params p) {
        long vagId = p.reqLong("volumeAccessGroupID");
        List<Long> vols = distinct(p.reqLongList("volumes"));
        Vag g = vag(vagId);
        for (long id : vols) {
            if (!g.volumes.contains(id) && !g.deletedVolumes.contains(id)) {
                throw new ElementException("xNotInVolumeAccessGroup", "VolumeID " + id
                        + " is not in VolumeAccessGroupID " + g.id + ".");
            }
        }
        g.volumes.removeAll(vols);
        g.deletedVolumes.removeAll(vols);
        return new Change(single(g), vols);
    }

    ObjectNode list(Params p) {
        long start = p.optLong("startVolumeAccessGroupID").orElse(0L);
        long limit = Cluster.limit(p);
        Optional<List<Long>> wanted = p.optLongList("volumeAccessGroups");
        ArrayNode arr = json.createArrayNode();
        ArrayNode notFound = json.createArrayNode();
        if (wanted.isPresent()) {
            for (long id : wanted.get()) {
                Vag g = vags.get(id);
                if (g == null) {
                    notFound.add(id);
                } else {
                    arr.add(vagJson(g));
                }
            }
        } else {
            vags.tailMap(start, true).values().stream().limit(limit).forEach(g -> arr.add(vagJson(g)));
        }
        ObjectNode r = json.createObjectNode();
        r.set("volumeAccessGroups", arr);
        r.set("volumeAccessGroupsNotFound", notFound);
        return r;
    }

    Change delete(Params p) {
        Vag g = vag(p.reqLong("volumeAccessGroupID"));
        p.optBool("deleteOrphanInitiators");
        vags.remove(g.id);
        return new Change(json.createObjectNode(), List.copyOf(g.volumes));
    }

    // ---- what volumes need

    /** The groups a volume is in (active or deleted membership). */
    List<Long> groupsOf(long volumeId) {
        List<Long> out = new ArrayList<>();
        for (Vag g : vags.values()) {
            if (g.volumes.contains(volumeId) || g.deletedVolumes.contains(volumeId)) {
                out.add(g.id);
            }
        }
        return out;
    }

    /** Every initiator that may reach a volume: those of the groups holding it. */
    Set<String> initiatorsOf(long volumeId) {
        Set<String> out = new LinkedHashSet<>();
        for (Vag g : vags.values()) {
            if (g.volumes.contains(volumeId)) {
                out.addAll(g.initiators);
            }
        }
        return out;
    }

    /** DeleteVolume: the volume moves to the groups' deletedVolumes. */
    void volumeDeleted(long volumeId) {
        for (Vag g : vags.values()) {
            if (g.volumes.remove(volumeId)) {
                g.deletedVolumes.add(volumeId);
            }
        }
    }

    /** PurgeDeletedVolume: the volume leaves the groups for good. */
    void volumePurged(long volumeId) {
        for (Vag g : vags.values()) {
            g.deletedVolumes.remove(volumeId);
        }
    }

    List<Views.AccessGroup> views(java.util.function.Function<ObjectNode, java.util.Map<String, Object>> toMap) {
        return vags.values().stream().map(g -> new Views.AccessGroup(g.id, g.name, List.copyOf(g.initiators),
                List.copyOf(g.volumes), List.copyOf(g.deletedVolumes), toMap.apply(g.attributes))).toList();
    }

    void addAllJson(ArrayNode into) {
        vags.values().forEach(x -> into.add(vagJson(x)));
    }

    // ---- helpers

    private Vag vag(long id) {
        Vag g = vags.get(id);
        if (g == null) {
            throw ElementException.vagNotFound(id);
        }
        return g;
    }

    private void checkInitiatorFree(String iqn, long exceptVag) {
        for (Vag other : vags.values()) {
            if (other.id != exceptVag && other.initiators.contains(iqn)) {
                throw new ElementException("xExceededLimit", "Exceeded maximum number of VolumeAccessGroups per Initiator ("
                        + limits.volumeAccessGroupsPerInitiator() + "): " + iqn + " is already in VolumeAccessGroupID "
                        + other.id + ".");
            }
        }
    }

    private void checkVolumeVagLimit(long volumeId) {
        long count = vags.values().stream().filter(g -> g.volumes.contains(volumeId)).count();
        if (count >= limits.volumeAccessGroupsPerVolume()) {
            throw new ElementException("xExceededLimit", "Exceeded maximum number of VolumeAccessGroups per Volume ("
                    + limits.volumeAccessGroupsPerVolume() + "): VolumeID " + volumeId);
        }
    }

    private static List<String> normalize(List<String> initiators) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String i : initiators) {
            String t = i.trim().toLowerCase(Locale.ROOT);
            if (t.isEmpty() || t.length() > 224 || t.chars().anyMatch(Character::isWhitespace)) {
                throw ElementException.invalid("Invalid initiator name: " + i);
            }
            out.add(t);
        }
        return new ArrayList<>(out);
    }

    private static List<Long> distinct(List<Long> ids) {
        return new ArrayList<>(new LinkedHashSet<>(ids));
    }

    private long initiatorId(String iqn) {
        return initiatorIds.computeIfAbsent(iqn, k -> nextInitiatorId++);
    }

    private ObjectNode single(Vag g) {
        ObjectNode r = json.createObjectNode();
        r.set("volumeAccessGroup", vagJson(g));
        return r;
    }

    private ObjectNode vagJson(Vag g) {
        ObjectNode o = json.createObjectNode();
        o.set("attributes", g.attributes.deepCopy());
        ArrayNode del = o.putArray("deletedVolumes");
        g.deletedVolumes.forEach(del::add);
        ArrayNode ids = o.putArray("initiatorIDs");
        g.initiators.forEach(i -> ids.add(initiatorId(i)));
        ArrayNode ini = o.putArray("initiators");
        g.initiators.forEach(ini::add);
        o.put("name", g.name);
        o.put("volumeAccessGroupID", g.id);
        ArrayNode vols = o.putArray("volumes");
        g.volumes.forEach(vols::add);
        return o;
    }
}
