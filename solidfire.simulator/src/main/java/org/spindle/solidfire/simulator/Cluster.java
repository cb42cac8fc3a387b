package org.spindle.solidfire.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * One simulated Element cluster: its facts and limits, and the lock every Element method runs under (calls are applied
 * one at a time, iSCSI changes included). Accounts live in {@link Accounts}, volumes in {@link Volumes}, access groups in
 * {@link AccessGroups}; the cluster brings a volume's iSCSI side ({@link Exporter}) to what they say.
 */
final class Cluster {
    /** Element rounds sizes up to whole MiB: 1,000,000,000 bytes become 954 MiB = 1,000,341,504 (the JST sample). */
    static final long SIZE_UNIT = 1L << 20;
    /** Largest volume Element allows (GetLimits.volumeSizeMax, 8 TB). */
    static final int MAX_NAME = 64;
    static final int MAX_ATTRIBUTES_BYTES = 1000;
    static final Duration PURGE_DELAY = Duration.ofHours(8);

    static final Map<String, Integer> CURVE = curve();

    private static Map<String, Integer> curve() {
        Map<String, Integer> m = new TreeMap<>();
        m.put("1048576", 15000);
        m.put("131072", 1950);
        m.put("16384", 270);
        m.put("262144", 3900);
        m.put("32768", 500);
        m.put("4096", 100);
        m.put("524288", 7600);
        m.put("65536", 1000);
        m.put("8192", 160);
        return Collections.unmodifiableMap(m);
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_INSTANT;

    // ---- configuration
    private final ObjectMapper json;
    private final Exporter exporter;
    private final Clock clock;
    final String uniqueId;
    final String clusterName;
    final String clusterUuid = UUID.randomUUID().toString();
    final String mvip;
    final String svip;
    final ElementLimits limits;
    final long clusterMaxIops;
    final long maxProvisionedSpace;
    final long defaultMinIops;
    final long defaultMaxIops;
    final long defaultBurstIops;

    // ---- state
    private final Accounts accounts;
    private final Volumes volumes;
    private final AccessGroups groups;

    Cluster(ObjectMapper json, Exporter exporter, Clock clock, String uniqueId, String mvip, String svip,
            ElementLimits limits, long clusterMaxIops, long maxProvisionedSpace,
            long defaultMinIops, long defaultMaxIops, long defaultBurstIops) {
        this.json = json;
        this.exporter = exporter;
        this.clock = clock;
        this.uniqueId = uniqueId;
        this.clusterName = "spindle-sim-" + uniqueId;
        this.mvip = mvip;
        this.svip = svip;
        this.limits = limits;
        this.accounts = new Accounts(json, accountId -> volumes().all().stream().filter(v -> v.accountId == accountId)
                .map(v -> v.id).toList());
        this.groups = new AccessGroups(json, limits, id -> volumes().activeVolume(id));
        this.volumes = new Volumes(json, clock, limits, uniqueId, groups, new Volumes.Host() {
            @Override
            public void apply(Volumes.Volume v) {
                exporter.apply(desired(v));
            }

            @Override
            public void purge(long volumeId) {
                exporter.purge(volumeId);
            }

            @Override
            public long allocatedBytes(long volumeId) {
                return exporter.allocatedBytes(volumeId);
            }

            @Override
            public LoopDevices.Counters io(long volumeId) {
                return exporter.io(volumeId);
            }

            @Override
            public void requireAccount(long accountId) {
                accounts.get(accountId);
            }
        }, defaultMinIops, defaultMaxIops, defaultBurstIops);
        this.clusterMaxIops = clusterMaxIops;
        this.maxProvisionedSpace = maxProvisionedSpace;
        this.defaultMinIops = defaultMinIops;
        this.defaultMaxIops = defaultMaxIops;
        this.defaultBurstIops = defaultBurstIops;
    }

    // =====================================================================================
    // cluster methods

    synchronized ObjectNode getClusterInfo() {
        ObjectNode r = json.createObjectNode();
        r.set("clusterInfo", ClusterJson.info(json, this, exporter.lun(), exporter.active()));
        return r;
    }

    synchronized ObjectNode getClusterCapacity() {
        long provisioned = 0;
        long used = 0;
        for (Volumes.Volume v : volumes.all()) {
            if (v.active()) {
                provisioned += v.totalSize;
            }
            used += Math.min(exporter.allocatedBytes(v.id), v.totalSize);
        }
        ObjectNode r = json.createObjectNode();
        r.set("clusterCapacity", ClusterJson.capacity(json, this, provisioned, used, now()));
        return r;
    }

    synchronized ObjectNode getLimits(double apiVersion) {
        return limits.json(json, apiVersion);
    }

    synchronized ObjectNode getDefaultQoS(double endpointVersion) {
        ObjectNode q = json.createObjectNode();
        q.put("burstIOPS", defaultBurstIops);
        q.put("burstTime", 60);
        q.set("curve", json.valueToTree(CURVE));
        q.put("maxIOPS", defaultMaxIops);
        q.put("minIOPS", defaultMinIops > 0 ? defaultMinIops : limits.defaultMinIops(endpointVersion));
        return q;
    }

    // =====================================================================================
    // accounts (Accounts holds them; the lock is here)

    synchronized ObjectNode getAccountByName(Params p) {
        return single("account", accounts.json(accounts.byName(p.reqString("username"))));
    }

    synchronized ObjectNode getAccountById(Params p) {
        return single("account", accounts.json(accounts.get(p.reqLong("accountID"))));
    }

    synchronized ObjectNode addAccount(Params p) {
        Accounts.Account a = accounts.add(p);
        ObjectNode r = json.createObjectNode();
        r.set("account", accounts.json(a));
        r.put("accountID", a.id);
        return r;
    }

    synchronized ObjectNode listAccounts(Params p) {
        return single("accounts", accounts.list(p.optLong("startAccountID").orElse(0L), limit(p)));
    }

    // =====================================================================================
    // volumes (Volumes holds them; the lock and the iSCSI side are here)

    private Volumes volumes() {
        return volumes;
    }

    synchronized ObjectNode createVolume(Params p, double apiVersion) {
        return volumes.createVolume(p, apiVersion);
    }

    synchronized ObjectNode deleteVolume(Params p) {
        return volumes.deleteVolume(p);
    }

    synchronized ObjectNode purgeDeletedVolume(Params p) {
        return volumes.purgeDeletedVolume(p);
    }

    synchronized ObjectNode listDeletedVolumes(Params p) {
        return volumes.listDeletedVolumes(p);
    }

    synchronized ObjectNode modifyVolume(Params p, double apiVersion) {
        return volumes.modifyVolume(p, apiVersion);
    }

    synchronized ObjectNode listVolumes(Params p) {
        return volumes.listVolumes(p);
    }

    synchronized ObjectNode listVolumesForAccount(Params p) {
        return volumes.listVolumesForAccount(p);
    }

    synchronized ObjectNode listActiveVolumes(Params p) {
        return volumes.listActiveVolumes(p);
    }

    synchronized ObjectNode getVolumeStats(Params p) {
        return volumes.getVolumeStats(p);
    }

    synchronized ObjectNode listVolumeStatsByVolume(Params p) {
        return volumes.listVolumeStatsByVolume(p);
    }

    // =====================================================================================
    // volume access groups (AccessGroups holds them; the lock and the iSCSI side are here)

    synchronized ObjectNode createVolumeAccessGroup(Params p) {
        return applied(groups.create(p, checkAttributes(json, p.optObject("attributes").orElse(null))));
    }

    synchronized ObjectNode addInitiatorsToVolumeAccessGroup(Params p) {
        return applied(groups.addInitiators(p));
    }

    synchronized ObjectNode removeInitiatorsFromVolumeAccessGroup(Params p) {
        return applied(groups.removeInitiators(p));
    }

    synchronized ObjectNode addVolumesToVolumeAccessGroup(Params p) {
        return applied(groups.addVolumes(p));
    }

    synchronized ObjectNode removeVolumesFromVolumeAccessGroup(Params p) {
        return applied(groups.removeVolumes(p));
    }

    synchronized ObjectNode listVolumeAccessGroups(Params p) {
        return groups.list(p);
    }

    synchronized ObjectNode deleteVolumeAccessGroup(Params p) {
        return applied(groups.delete(p));
    }

    private ObjectNode applied(AccessGroups.Change change) {
        applyAll(change.volumes());
        return change.result();
    }

    // =====================================================================================
    // iSCSI side

    private Exporter.Desired desired(Volumes.Volume v) {
        Accounts.Account a = accounts.get(v.accountId);
        Set<String> initiators = "locked".equals(v.access) ? Set.of() : groups.initiatorsOf(v.id);
        boolean readOnly = "readOnly".equals(v.access) || "replicationTarget".equals(v.access);
        return new Exporter.Desired(v.id, volumes.iqn(v), volumes.naa(v), v.totalSize, v.active(), readOnly,
                a.username, a.initiatorSecret, a.targetSecret, initiators);
    }

    private void applyAll(List<Long> volumeIds) {
        ElementException first = null;
        for (long id : List.copyOf(volumeIds)) {
            Volumes.Volume v = volumes.get(id);
            if (v != null) {
                try {
                    exporter.apply(desired(v));
                } catch (ElementException e) {
                    if (first == null) {
                        first = e;
                    }
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Removes every volume from the exporter (on stop). */
    synchronized void unexportAll() {
        for (long id : volumes.ids()) {
            try {
                exporter.purge(id);
            } catch (RuntimeException ignored) {
                // keep going: stop() must remove as much as it can
            }
        }
    }

    // =====================================================================================
    // helpers and inspection

    static void checkName(String member, String name) {
        if (name.isEmpty() || name.length() > MAX_NAME) {
            throw ElementException.invalid(member + " must be 1 to " + MAX_NAME + " characters long, got " + name.length());
        }
    }


    static long limit(Params p) {
        long limit = p.optLong("limit").orElse(0L);
        if (limit < 0) {
            throw ElementException.invalid("limit must not be negative, got " + limit);
        }
        return limit == 0 ? Long.MAX_VALUE : limit;
    }


    static ObjectNode checkAttributes(ObjectMapper json, ObjectNode attributes) {
        if (attributes == null) {
            return json.createObjectNode();
        }
        int bytes;
        try {
            bytes = json.writeValueAsString(attributes).getBytes(StandardCharsets.UTF_8).length;
        } catch (JsonProcessingException e) {
            throw ElementException.invalid("attributes cannot be serialized");
        }
        if (bytes >= MAX_ATTRIBUTES_BYTES) {
            throw ElementException.invalid("attributes must be less than " + MAX_ATTRIBUTES_BYTES
                    + " bytes of JSON, got " + bytes + " bytes");
        }
        return attributes.deepCopy();
    }



    private ObjectNode single(String field, JsonNode value) {
        ObjectNode r = json.createObjectNode();
        r.set(field, value);
        return r;
    }

    private String now() {
        return TIME.format(clock.instant().truncatedTo(ChronoUnit.SECONDS));
    }

    private Map<String, Object> toMap(ObjectNode node) {
        return Collections.unmodifiableMap(json.convertValue(node, new TypeReference<Map<String, Object>>() { }));
    }

    synchronized List<Views.Volume> volumeViews() {
        return volumes.all().stream().map(this::view).collect(Collectors.toList());
    }

    synchronized Optional<Views.Volume> volumeView(long id) {
        return Optional.ofNullable(volumes.get(id)).map(this::view);
    }

    synchronized Optional<JsonNode> volumeWire(long id) {
        return Optional.ofNullable(volumes.get(id)).map(volumes::volumeJson);
    }

    private Views.Volume view(Volumes.Volume v) {
        return new Views.Volume(v.id, v.name, v.accountId, v.status, v.totalSize, v.minIops, v.maxIops, v.burstIops,
                v.enable512e, v.access, volumes.iqn(v), toMap(v.attributes), List.copyOf(groups.groupsOf(v.id)),
                TIME.format(v.createTime), v.deleteTime == null ? "" : TIME.format(v.deleteTime),
                v.purgeTime == null ? "" : TIME.format(v.purgeTime));
    }

    synchronized List<Views.Account> accountViews() {
        return accounts.views(this::toMap);
    }

    synchronized List<Views.AccessGroup> accessGroupViews() {
        return groups.views(this::toMap);
    }

    /** The whole state in wire shapes (for GET /sim/state). Secrets are included: the endpoint needs admin auth. */
    synchronized ObjectNode stateJson() {
        ObjectNode o = json.createObjectNode();
        ArrayNode a = o.putArray("accounts");
        accounts.all().forEach(x -> a.add(accounts.json(x)));
        ArrayNode v = o.putArray("volumes");
        volumes.all().forEach(x -> v.add(volumes.volumeJson(x)));
        ArrayNode g = o.putArray("volumeAccessGroups");
        groups.addAllJson(g);
        return o;
    }

    @Override
    public String toString() {
        return "Cluster[" + uniqueId + "]";
    }

    static String requireNonBlank(String s, String what) {
        if (Objects.requireNonNull(s, what).isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        return s;
    }
}
