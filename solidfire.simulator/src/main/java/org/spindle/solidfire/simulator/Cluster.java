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
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The in-memory state of one simulated Element cluster and the Element methods on it. Every public
 * entry point is {@code synchronized}: calls are applied one at a time, iSCSI changes included.
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
    private final TreeMap<Long, Volume> volumes = new TreeMap<>();
    private final AccessGroups groups;
    private long nextAccountId = 1;
    private long nextVolumeId = 1;

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
        this.groups = new AccessGroups(json, limits, this::activeVolume);
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

    static final class Volume {
        long id;
        String name;
        long accountId;
        Instant createTime;
        Instant deleteTime;
        Instant purgeTime;
        String status = "active";
        long totalSize;
        boolean enable512e;
        String access = "readWrite";
        ObjectNode attributes;
        long minIops;
        long maxIops;
        long burstIops;
        String uuid;

        boolean active() {
            return "active".equals(status);
        }
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
        for (Volume v : volumes.values()) {
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

    synchronized ObjectNode getDefaultQoS() {
        ObjectNode q = json.createObjectNode();
        q.put("burstIOPS", defaultBurstIops);
        q.put("burstTime", 60);
        q.set("curve", json.valueToTree(CURVE));
        q.put("maxIOPS", defaultMaxIops);
        q.put("minIOPS", defaultMinIops);
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
        ObjectNode attributes = checkAttributes(p.optObject("attributes").orElse(null));
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
        volumes.values().stream().filter(v -> v.accountId == a.id).forEach(v -> vols.add(v.id));
        return o;
    }

    // =====================================================================================
    // volumes

    synchronized ObjectNode createVolume(Params p, double apiVersion) {
        String name = p.reqString("name");
        long accountId = p.reqLong("accountID");
        long requested = p.reqLong("totalSize");
        boolean enable512e = p.optBool("enable512e").orElse(false);
        checkName("name", name);
        long size = roundSize(requested);
        ObjectNode attributes = checkAttributes(p.optObject("attributes").orElse(null));
        if (p.has("qosPolicyID")) {
            if (p.has("qos")) {
                throw ElementException.invalid("qos and qosPolicyID cannot both be specified");
            }
            throw new ElementException("xQoSPolicyDoesNotExist", "QoS policies are not simulated: QoSPolicyID "
                    + p.optLong("qosPolicyID").orElse(0L) + " does not exist.");
        }
        String access = p.optString("access").map(Cluster::checkAccess).orElse("readWrite");
        long[] qos = qos(p.optObject("qos").orElse(null), defaultMinIops, defaultMaxIops, defaultBurstIops, apiVersion);
        account(accountId);

        Volume v = new Volume();
        v.id = nextVolumeId++;
        v.name = name;
        v.accountId = accountId;
        v.createTime = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        v.totalSize = size;
        v.enable512e = enable512e;
        v.access = access;
        v.attributes = attributes;
        v.minIops = qos[0];
        v.maxIops = qos[1];
        v.burstIops = qos[2];
        v.uuid = UUID.randomUUID().toString();
        volumes.put(v.id, v);
        try {
            exporter.apply(desired(v));
        } catch (RuntimeException e) {
            volumes.remove(v.id);
            try {
                exporter.purge(v.id);
            } catch (RuntimeException ignored) {
                // best effort: the original error is the one to report
            }
            throw e;
        }
        ObjectNode r = json.createObjectNode();
        r.set("curve", json.valueToTree(CURVE));
        r.set("volume", volumeJson(v));
        r.put("volumeID", v.id);
        return r;
    }

    synchronized ObjectNode deleteVolume(Params p) {
        Volume v = activeVolume(p.reqLong("volumeID"));
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        v.status = "deleted";
        v.deleteTime = now;
        v.purgeTime = now.plus(PURGE_DELAY);
        groups.volumeDeleted(v.id);
        exporter.apply(desired(v));
        return single("volume", volumeJson(v));
    }

    synchronized ObjectNode purgeDeletedVolume(Params p) {
        long id = p.reqLong("volumeID");
        Volume v = volumes.get(id);
        if (v == null) {
            throw ElementException.volumeNotFound(id);
        }
        if (v.active()) {
            // Element looks the volume up among the deleted ones; an active volume is not there
            throw new ElementException("xVolumeIDDoesNotExist",
                    "VolumeID " + id + " is not a deleted volume; call DeleteVolume before PurgeDeletedVolume.");
        }
        volumes.remove(id);
        groups.volumePurged(id);
        exporter.purge(id);
        return json.createObjectNode();
    }

    synchronized ObjectNode listDeletedVolumes(Params p) {
        return volumeList(volumes.values().stream().filter(v -> !v.active()).collect(Collectors.toList()));
    }

    synchronized ObjectNode modifyVolume(Params p, double apiVersion) {
        Volume v = activeVolume(p.reqLong("volumeID"));
        Long newSize = null;
        if (p.has("totalSize")) {
            long requested = p.reqLong("totalSize");
            long rounded = roundSize(requested);
            if (rounded < v.totalSize) {
                throw new ElementException("xVolumeShrinkProhibited", "Lowering a volume size is not allowed: VolumeID "
                        + v.id + " has totalSize " + v.totalSize + ", requested " + requested + ".");
            }
            newSize = rounded;
        }
        long[] qos = p.optObject("qos").isPresent()
                ? qos(p.optObject("qos").get(), v.minIops, v.maxIops, v.burstIops, apiVersion) : null;
        ObjectNode attributes = p.has("attributes") ? checkAttributes(p.optObject("attributes").orElse(null)) : null;
        String access = p.optString("access").map(Cluster::checkAccess).orElse(null);
        Long newAccount = p.optLong("accountID").orElse(null);
        if (newAccount != null) {
            account(newAccount);
        }
        if (p.has("qosPolicyID")) {
            throw new ElementException("xQoSPolicyDoesNotExist", "QoS policies are not simulated.");
        }
        if (newSize != null) {
            v.totalSize = newSize;
        }
        if (qos != null) {
            v.minIops = qos[0];
            v.maxIops = qos[1];
            v.burstIops = qos[2];
        }
        if (attributes != null) {
            v.attributes = attributes;
        }
        if (access != null) {
            v.access = access;
        }
        if (newAccount != null) {
            v.accountId = newAccount;
        }
        exporter.apply(desired(v));
        return single("volume", volumeJson(v));
    }

    synchronized ObjectNode listVolumes(Params p) {
        Optional<List<Long>> ids = p.optLongList("volumeIDs");
        if (ids.isPresent() && (p.has("startVolumeID") || p.has("limit") || p.has("accounts"))) {
            throw ElementException.invalid("volumeIDs cannot be combined with startVolumeID, limit or accounts");
        }
        long start = p.optLong("startVolumeID").orElse(0L);
        long limit = limit(p);
        Optional<String> status = p.optString("volumeStatus");
        status.ifPresent(s -> {
            if (!List.of("creating", "snapshotting", "active", "deleted").contains(s)) {
                throw new ElementException("xUnrecognizedEnumString", "Unrecognized enum string for member=[volumeStatus]: " + s);
            }
        });
        Optional<List<Long>> accountIds = p.optLongList("accounts");
        Optional<String> volumeName = p.optString("volumeName");
        Optional<Boolean> paired = p.optBool("isPaired");
        Predicate<Volume> filter = v -> v.id >= start;
        if (ids.isPresent()) {
            Set<Long> wanted = Set.copyOf(ids.get());
            filter = filter.and(v -> wanted.contains(v.id));
        }
        if (status.isPresent()) {
            filter = filter.and(v -> v.status.equals(status.get()));
        }
        if (accountIds.isPresent()) {
            Set<Long> wanted = Set.copyOf(accountIds.get());
            filter = filter.and(v -> wanted.contains(v.accountId));
        }
        if (volumeName.isPresent()) {
            filter = filter.and(v -> v.name.equals(volumeName.get()));
        }
        if (paired.isPresent() && paired.get()) {
            filter = filter.and(v -> false); // nothing is paired in the simulator
        }
        return volumeList(volumes.values().stream().filter(filter).limit(limit).collect(Collectors.toList()));
    }

    synchronized ObjectNode listVolumesForAccount(Params p) {
        long accountId = p.reqLong("accountID");
        account(accountId);
        long start = p.optLong("startVolumeID").orElse(0L);
        long limit = limit(p);
        return volumeList(volumes.tailMap(start, true).values().stream()
                .filter(v -> v.accountId == accountId).limit(limit).collect(Collectors.toList()));
    }

    synchronized ObjectNode listActiveVolumes(Params p) {
        long start = p.optLong("startVolumeID").orElse(0L);
        long limit = limit(p);
        return volumeList(volumes.tailMap(start, true).values().stream()
                .filter(Volume::active).limit(limit).collect(Collectors.toList()));
    }

    synchronized ObjectNode getVolumeStats(Params p) {
        return single("volumeStats", statsJson(activeVolume(p.reqLong("volumeID"))));
    }

    synchronized ObjectNode listVolumeStatsByVolume(Params p) {
        ArrayNode arr = json.createArrayNode();
        volumes.values().stream().filter(Volume::active).forEach(v -> arr.add(statsJson(v)));
        return single("volumeStats", arr);
    }

    private ObjectNode statsJson(Volume v) {
        ObjectNode s = json.createObjectNode();
        long used = Math.min(exporter.allocatedBytes(v.id), v.totalSize);
        s.put("accountID", v.accountId);
        s.put("actualIOPS", 0);
        s.put("asyncDelay", (String) null);
        s.put("averageIOPSize", 0);
        s.put("burstIOPSCredit", 0);
        s.put("clientQueueDepth", 0);
        s.put("latencyUSec", 0);
        s.put("nonZeroBlocks", used / 4096);
        s.put("readBytes", 0);
        s.put("readLatencyUSec", 0);
        s.put("readOps", 0);
        s.put("throttle", 0.0);
        s.put("timestamp", now());
        s.put("totalLatencyUSec", 0);
        s.put("unalignedReads", 0);
        s.put("unalignedWrites", 0);
        ArrayNode vagIds = s.putArray("volumeAccessGroups");
        groups.groupsOf(v.id).forEach(vagIds::add);
        s.put("volumeID", v.id);
        s.put("volumeSize", v.totalSize);
        s.put("volumeUtilization", 0.0);
        s.put("writeBytes", 0);
        s.put("writeLatencyUSec", 0);
        s.put("writeOps", 0);
        s.put("zeroBlocks", Math.max(0, v.totalSize / 4096 - used / 4096));
        return s;
    }

    private Volume activeVolume(long id) {
        Volume v = volumes.get(id);
        if (v == null || !v.active()) {
            throw ElementException.volumeNotFound(id);
        }
        return v;
    }

    static long roundSize(long requested) {
        if (requested < ElementLimits.SIZE_MIN) {
            throw ElementException.invalid("totalSize " + requested + " is below the minimum volume size "
                    + ElementLimits.SIZE_MIN + " (GetLimits volumeSizeMin)");
        }
        if (requested > ElementLimits.SIZE_MAX) {
            throw ElementException.invalid("totalSize " + requested + " exceeds the maximum volume size "
                    + ElementLimits.SIZE_MAX + " (GetLimits volumeSizeMax)");
        }
        return (requested + SIZE_UNIT - 1) / SIZE_UNIT * SIZE_UNIT;
    }

    static void checkName(String member, String name) {
        if (name.isEmpty() || name.length() > MAX_NAME) {
            throw ElementException.invalid(member + " must be 1 to " + MAX_NAME + " characters long, got " + name.length());
        }
    }

    private static String checkAccess(String access) {
        if (!List.of("readOnly", "readWrite", "locked", "replicationTarget").contains(access)) {
            throw new ElementException("xUnrecognizedEnumString", "Unrecognized enum string for member=[access]: " + access);
        }
        return access;
    }

    private ObjectNode checkAttributes(ObjectNode attributes) {
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

    /** Validates a QoS request; members not given keep the fallback values. Returns {min, max, burst}. */
    long[] qos(ObjectNode q, long min, long max, long burst, double apiVersion) {
        if (q != null) {
            Params qp = new Params(q);
            min = qosValue(qp, "minIOPS", min);
            max = qosValue(qp, "maxIOPS", max);
            burst = qosValue(qp, "burstIOPS", burst);
        }
        long floor = ElementLimits.minIopsFloor(apiVersion);
        if (min < floor || min > limits.volumeMinIopsMax()) {
            throw ElementException.invalid("qos.minIOPS " + min + " is out of range: it must be between " + floor
                    + " and " + limits.volumeMinIopsMax() + " (API " + apiVersion + ")");
        }
        long maxFloor = limits.volumeMaxIopsMin();
        long ceiling = limits.volumeMaxIops();
        if (max < maxFloor || max > ceiling) {
            throw ElementException.invalid("qos.maxIOPS " + max + " is out of range: it must be between " + maxFloor
                    + " and " + ceiling);
        }
        if (burst < maxFloor || burst > ceiling) {
            throw ElementException.invalid("qos.burstIOPS " + burst + " is out of range: it must be between " + maxFloor
                    + " and " + ceiling);
        }
        if (min > max) {
            throw ElementException.invalid("qos.minIOPS " + min + " must not exceed qos.maxIOPS " + max);
        }
        if (max > burst) {
            throw ElementException.invalid("qos.maxIOPS " + max + " must not exceed qos.burstIOPS " + burst);
        }
        return new long[] {min, max, burst};
    }

    private static long qosValue(Params qp, String member, long fallback) {
        try {
            return qp.optLong(member).orElse(fallback);
        } catch (ElementException e) {
            throw ElementException.invalid("Invalid type for member=[qos." + member + "]: expected an integer");
        }
    }

    static long limit(Params p) {
        long limit = p.optLong("limit").orElse(0L);
        if (limit < 0) {
            throw ElementException.invalid("limit must not be negative, got " + limit);
        }
        return limit == 0 ? Long.MAX_VALUE : limit;
    }

    String iqn(Volume v) {
        return "iqn.2010-01.com.solidfire:" + uniqueId + "." + v.name.toLowerCase(Locale.ROOT) + "." + v.id;
    }

    /**
     * The volume's NAA id as Element reports it (wire reference §1.5, an observed pattern): {@code 6f47acc100000000},
     * the cluster's unique ID as 4 ASCII bytes in hex, the volumeID in 8 hex digits. 32 hex digits = the 16-byte
     * NAA IEEE Registered Extended designator; unique IDs are 4 characters on Element, so longer ones give their
     * first 4 and shorter ones are padded with zero bytes.
     */
    String naa(Volume v) {
        return "6f47acc100000000" + hexUniqueId() + String.format("%08x", v.id);
    }

    /** The EUI-64-based id Element reports next to the NAA one (same observed pattern). */
    String eui(Volume v) {
        return hexUniqueId() + String.format("%08x", v.id) + "f47acc0100000000";
    }

    private String hexUniqueId() {
        byte[] id = uniqueId.getBytes(StandardCharsets.US_ASCII);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            b.append(String.format("%02x", i < id.length ? id[i] : 0));
        }
        return b.toString();
    }


    private ObjectNode volumeJson(Volume v) {
        ObjectNode o = json.createObjectNode();
        o.put("access", v.access);
        o.put("accountID", v.accountId);
        o.set("attributes", v.attributes.deepCopy());
        o.put("blockSize", 4096);
        o.put("createTime", TIME.format(v.createTime));
        o.put("currentProtectionScheme", "doubleHelix");
        o.put("deleteTime", v.deleteTime == null ? "" : TIME.format(v.deleteTime));
        o.put("enable512e", v.enable512e);
        o.put("iqn", iqn(v));
        o.put("lastAccessTime", TIME.format(v.createTime));
        o.put("name", v.name);
        o.put("purgeTime", v.purgeTime == null ? "" : TIME.format(v.purgeTime));
        ObjectNode q = o.putObject("qos");
        q.put("burstIOPS", v.burstIops);
        q.put("burstTime", 60);
        q.set("curve", json.valueToTree(CURVE));
        q.put("maxIOPS", v.maxIops);
        q.put("minIOPS", v.minIops);
        o.putNull("qosPolicyID");
        o.put("scsiEUIDeviceID", eui(v));
        o.put("scsiNAADeviceID", naa(v));
        o.put("sliceCount", 1);
        o.put("status", v.status);
        o.put("totalSize", v.totalSize);
        ArrayNode vagIds = o.putArray("volumeAccessGroups");
        groups.groupsOf(v.id).forEach(vagIds::add);
        o.put("volumeID", v.id);
        o.putArray("volumePairs");
        o.put("volumeUUID", v.uuid);
        return o;
    }

    private ObjectNode volumeList(List<Volume> list) {
        ArrayNode arr = json.createArrayNode();
        list.forEach(v -> arr.add(volumeJson(v)));
        return single("volumes", arr);
    }

    // =====================================================================================
    // volume access groups (AccessGroups holds them; the lock and the iSCSI side are here)

    synchronized ObjectNode createVolumeAccessGroup(Params p) {
        return applied(groups.create(p, checkAttributes(p.optObject("attributes").orElse(null))));
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

    private Exporter.Desired desired(Volume v) {
        Account a = accounts.get(v.accountId);
        Set<String> initiators = "locked".equals(v.access) ? Set.of() : groups.initiatorsOf(v.id);
        boolean readOnly = "readOnly".equals(v.access) || "replicationTarget".equals(v.access);
        return new Exporter.Desired(v.id, iqn(v), naa(v), v.totalSize, v.active(), readOnly,
                a.username, a.initiatorSecret, a.targetSecret, initiators);
    }

    private void applyAll(List<Long> volumeIds) {
        ElementException first = null;
        for (long id : List.copyOf(volumeIds)) {
            Volume v = volumes.get(id);
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
        for (long id : List.copyOf(volumes.keySet())) {
            try {
                exporter.purge(id);
            } catch (RuntimeException ignored) {
                // keep going: stop() must remove as much as it can
            }
        }
    }

    // =====================================================================================
    // helpers and inspection

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
        return volumes.values().stream().map(this::view).collect(Collectors.toList());
    }

    synchronized Optional<Views.Volume> volumeView(long id) {
        return Optional.ofNullable(volumes.get(id)).map(this::view);
    }

    synchronized Optional<JsonNode> volumeWire(long id) {
        return Optional.ofNullable(volumes.get(id)).map(this::volumeJson);
    }

    private Views.Volume view(Volume v) {
        return new Views.Volume(v.id, v.name, v.accountId, v.status, v.totalSize, v.minIops, v.maxIops, v.burstIops,
                v.enable512e, v.access, iqn(v), toMap(v.attributes), List.copyOf(groups.groupsOf(v.id)),
                TIME.format(v.createTime), v.deleteTime == null ? "" : TIME.format(v.deleteTime),
                v.purgeTime == null ? "" : TIME.format(v.purgeTime));
    }

    synchronized List<Views.Account> accountViews() {
        List<Views.Account> out = new ArrayList<>();
        for (Account a : accounts.values()) {
            List<Long> vols = volumes.values().stream().filter(v -> v.accountId == a.id).map(v -> v.id)
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
        volumes.values().forEach(x -> v.add(volumeJson(x)));
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
