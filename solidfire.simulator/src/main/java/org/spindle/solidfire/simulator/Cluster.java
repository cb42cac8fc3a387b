package org.spindle.solidfire.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
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
 * One simulated Element cluster: its facts, accounts and limits, and the lock every Element method runs under
 * (calls are applied one at a time, iSCSI changes included). Volumes live in {@link Volumes}, access groups in
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
    private static final String SECRET_CHARS = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    // ---- configuration
    private final ObjectMapper json;
    private final Exporter exporter;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
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
    private final TreeMap<Long, Account> accounts = new TreeMap<>();
    private final Volumes volumes;
    private final AccessGroups groups;
    private long nextAccountId = 1;

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
                account(accountId);
            }
        }, defaultMinIops, defaultMaxIops, defaultBurstIops);
        this.clusterMaxIops = clusterMaxIops;
        this.maxProvisionedSpace = maxProvisionedSpace;
        this.defaultMinIops = defaultMinIops;
        this.defaultMaxIops = defaultMaxIops;
        this.defaultBurstIops = defaultBurstIops;
    }

    // =====================================================================================
    // model

    static final class Account {
        long id;
        String username;
        String initiatorSecret;
        String targetSecret;
        boolean enableChap = true;
        ObjectNode attributes;
    }



    // =====================================================================================
    // cluster methods

    synchronized ObjectNode getClusterInfo() {
        ObjectNode info = json.createObjectNode();
        ObjectNode attrs = info.objectNode();
        attrs.put("simulator", "spindle-solidfire-simulator");
        attrs.put("iscsiLun", exporter.lun());
        attrs.put("iscsiPort", 3260);
        attrs.put("tgt", exporter.active());
        info.set("attributes", attrs);
        info.put("defaultProtectionScheme", "doubleHelix");
        info.putArray("enabledProtectionSchemes").add("doubleHelix");
        info.put("encryptionAtRestState", "disabled");
        info.putArray("ensemble").add(svip);
        info.put("mvip", mvip);
        info.put("mvipInterface", "team1G");
        info.put("mvipNodeID", 1);
        info.put("mvipVlanTag", "0");
        info.put("name", clusterName);
        info.put("repCount", 2);
        info.put("softwareEncryptionAtRestState", "disabled");
        info.putArray("supportedProtectionSchemes").add("doubleHelix");
        info.put("svip", svip);
        info.put("svipInterface", "team10G");
        info.put("svipNodeID", 1);
        info.put("svipVlanTag", "0");
        info.put("uniqueID", uniqueId);
        info.put("uuid", clusterUuid);
        ObjectNode r = json.createObjectNode();
        r.set("clusterInfo", info);
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
        long nonZeroBlocks = used / 4096;
        ObjectNode c = json.createObjectNode();
        c.put("activeBlockSpace", used);
        c.put("activeSessions", 0);
        c.put("averageIOPS", 0);
        c.put("clusterRecentIOSize", 0);
        c.put("currentIOPS", 0);
        c.put("maxIOPS", clusterMaxIops);
        c.put("maxOverProvisionableSpace", maxProvisionedSpace * 5);
        c.put("maxProvisionedSpace", maxProvisionedSpace);
        c.put("maxUsedMetadataSpace", maxProvisionedSpace / 10);
        c.put("maxUsedSpace", maxProvisionedSpace);
        c.put("nonZeroBlocks", nonZeroBlocks);
        c.put("peakActiveSessions", 0);
        c.put("peakIOPS", 0);
        c.put("provisionedSpace", provisioned);
        c.put("snapshotNonZeroBlocks", 0);
        c.put("timestamp", now());
        c.put("totalOps", 0);
        c.put("uniqueBlocks", nonZeroBlocks);
        c.put("uniqueBlocksUsedSpace", used);
        c.put("usedMetadataSpace", 0);
        c.put("usedMetadataSpaceInSnapshots", 0);
        c.put("usedSpace", used);
        c.put("zeroBlocks", Math.max(0, provisioned / 4096 - nonZeroBlocks));
        ObjectNode r = json.createObjectNode();
        r.set("clusterCapacity", c);
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
    // accounts

    synchronized ObjectNode getAccountByName(Params p) {
        String username = p.reqString("username");
        Account a = accounts.values().stream().filter(x -> x.username.equals(username)).findFirst()
                .orElseThrow(() -> new ElementException("xUnknownAccount", "xUnknownAccount"));
        return single("account", accountJson(a));
    }

    synchronized ObjectNode getAccountById(Params p) {
        return single("account", accountJson(account(p.reqLong("accountID"))));
    }

    synchronized ObjectNode addAccount(Params p) {
        String username = p.reqString("username");
        if (username.isEmpty() || username.length() > MAX_NAME) {
            throw ElementException.invalid("username must be 1 to " + MAX_NAME + " characters long, got " + username.length());
        }
        String initiatorSecret = p.optString("initiatorSecret").orElse(null);
        String targetSecret = p.optString("targetSecret").orElse(null);
        checkSecret("initiatorSecret", initiatorSecret);
        checkSecret("targetSecret", targetSecret);
        ObjectNode attributes = checkAttributes(json, p.optObject("attributes").orElse(null));
        boolean enableChap = p.optBool("enableChap").orElse(true);
        if (accounts.values().stream().anyMatch(x -> x.username.equals(username))) {
            throw new ElementException("xDuplicateUsername", "Username " + username + " already exists.");
        }
        Account a = new Account();
        a.id = nextAccountId++;
        a.username = username;
        a.initiatorSecret = initiatorSecret != null ? initiatorSecret : randomSecret();
        a.targetSecret = targetSecret != null ? targetSecret : randomSecret();
        a.enableChap = enableChap;
        a.attributes = attributes;
        accounts.put(a.id, a);
        ObjectNode r = json.createObjectNode();
        r.set("account", accountJson(a));
        r.put("accountID", a.id);
        return r;
    }

    synchronized ObjectNode listAccounts(Params p) {
        long start = p.optLong("startAccountID").orElse(0L);
        long limit = limit(p);
        ArrayNode arr = json.createArrayNode();
        accounts.tailMap(start, true).values().stream().limit(limit).forEach(a -> arr.add(accountJson(a)));
        return single("accounts", arr);
    }

    private void checkSecret(String member, String secret) {
        if (secret != null && (secret.length() < 12 || secret.length() > 16)) {
            // the message names the member and the length, never the secret
            throw ElementException.invalid(member + " must be 12 to 16 characters long, got " + secret.length() + " characters");
        }
    }

    private String randomSecret() {
        StringBuilder b = new StringBuilder(16);
        for (int i = 0; i < 16; i++) {
            b.append(SECRET_CHARS.charAt(random.nextInt(SECRET_CHARS.length())));
        }
        return b.toString();
    }

    private Account account(long id) {
        Account a = accounts.get(id);
        if (a == null) {
            throw ElementException.accountNotFound(id);
        }
        return a;
    }

    private ObjectNode accountJson(Account a) {
        ObjectNode o = json.createObjectNode();
        o.put("accountID", a.id);
        o.set("attributes", a.attributes == null ? json.createObjectNode() : a.attributes.deepCopy());
        o.put("enableChap", a.enableChap);
        o.put("initiatorSecret", a.initiatorSecret);
        o.put("status", "active");
        o.putNull("storageContainerID");
        o.put("targetSecret", a.targetSecret);
        o.put("username", a.username);
        ArrayNode vols = o.putArray("volumes");
        volumes.all().stream().filter(v -> v.accountId == a.id).forEach(v -> vols.add(v.id));
        return o;
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
        Account a = accounts.get(v.accountId);
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
        List<Views.Account> out = new ArrayList<>();
        for (Account a : accounts.values()) {
            List<Long> vols = volumes.all().stream().filter(v -> v.accountId == a.id).map(v -> v.id)
                    .collect(Collectors.toList());
            out.add(new Views.Account(a.id, a.username, a.initiatorSecret, a.targetSecret, toMap(a.attributes), vols));
        }
        return out;
    }

    synchronized List<Views.AccessGroup> accessGroupViews() {
        return groups.views(this::toMap);
    }

    /** The whole state in wire shapes (for GET /sim/state). Secrets are included: the endpoint needs admin auth. */
    synchronized ObjectNode stateJson() {
        ObjectNode o = json.createObjectNode();
        ArrayNode a = o.putArray("accounts");
        accounts.values().forEach(x -> a.add(accountJson(x)));
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
