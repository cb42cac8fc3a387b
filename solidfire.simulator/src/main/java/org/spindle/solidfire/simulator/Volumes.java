package org.spindle.solidfire.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The volumes of a simulated cluster and their Element methods. Not thread-safe on its own: the {@link Cluster}
 * calls it under its lock, and it tells the cluster (its {@link Host}) when a volume's iSCSI side must follow.
 * Sizes, QoS ranges follow {@link ElementLimits}.
 */
final class Volumes {
    /** What the volumes need from their cluster. */
    interface Host {
        /** Brings the volume's iSCSI side to its state; throws {@link ElementException} when that fails. */
        void apply(Volume v);

        /** Removes a purged volume's target and data. */
        void purge(long volumeId);

        long allocatedBytes(long volumeId);

        /** The I/O that reached the volume's LUN, as measured; throws {@link ElementException} when it cannot be. */
        LoopDevices.Counters io(long volumeId);

        /** Throws {@code xAccountIDDoesNotExist} for an unknown account. */
        void requireAccount(long accountId);
    }

    static final class Volume {
        long id;
        String name;
        long accountId;
        Instant createTime;
        /** When it was made, to the millisecond: its first I/O sample starts then. */
        long createdMillis;
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
        String consistencyGroupUuid;
        long fifoSize;
        long minFifoSize;

        boolean active() {
            return "active".equals(status);
        }
    }


    /** Snapshots kept in first-in-first-out retention when CreateVolume names no {@code fifoSize}. */
    static final long DEFAULT_FIFO_SIZE = 24;

    private static final java.time.format.DateTimeFormatter TIME = java.time.format.DateTimeFormatter.ISO_INSTANT;

    private final ObjectMapper json;
    private final Clock clock;
    private final ElementLimits limits;
    private final String uniqueId;
    private final AccessGroups groups;
    private final Host host;
    private final long defaultMinIops;
    private final long defaultMaxIops;
    private final long defaultBurstIops;
    private final IoSamples samples = new IoSamples();
    private final VolumeJson views;
    private final TreeMap<Long, Volume> volumes = new TreeMap<>();
    private long nextVolumeId = 1;

    Volumes(ObjectMapper json, Clock clock, ElementLimits limits, String uniqueId, AccessGroups groups, Host host,
            long defaultMinIops, long defaultMaxIops, long defaultBurstIops) {
        this.json = json;
        this.clock = clock;
        this.limits = limits;
        this.uniqueId = uniqueId;
        this.groups = groups;
        this.host = host;
        this.defaultMinIops = defaultMinIops;
        this.defaultMaxIops = defaultMaxIops;
        this.defaultBurstIops = defaultBurstIops;
        this.views = new VolumeJson(json, uniqueId, groups);
    }

    Collection<Volume> all() {
        return volumes.values();
    }

    List<Long> ids() {
        return List.copyOf(volumes.keySet());
    }

    Volume get(long id) {
        return volumes.get(id);
    }

    private ObjectNode single(String field, JsonNode value) {
        ObjectNode r = json.createObjectNode();
        r.set(field, value);
        return r;
    }

    private String now() {
        return TIME.format(clock.instant().truncatedTo(ChronoUnit.SECONDS));
    }


    ObjectNode createVolume(Params p, double apiVersion) {
        String name = p.reqString("name");
        long accountId = p.reqLong("accountID");
        long requested = p.reqLong("totalSize");
        boolean enable512e = p.optBool("enable512e").orElse(false);
        Cluster.checkName("name", name);
        long size = roundSize(requested);
        ObjectNode attributes = Cluster.checkAttributes(json, p.optObject("attributes").orElse(null));
        if (p.has("qosPolicyID")) {
            if (p.has("qos")) {
                throw ElementException.invalid("qos and qosPolicyID cannot both be specified");
            }
            throw new ElementException("xQoSPolicyDoesNotExist", "QoS policies are not simulated: QoSPolicyID "
                    + p.optLong("qosPolicyID").orElse(0L) + " does not exist.");
        }
        String access = p.optString("access").map(Volumes::checkAccess).orElse("readWrite");
        long[] qos = qos(p.optObject("qos").orElse(null),
                defaultMinIops > 0 ? defaultMinIops : limits.defaultMinIops(apiVersion), defaultMaxIops, defaultBurstIops, apiVersion);
        host.requireAccount(accountId);

        Volume v = new Volume();
        v.id = nextVolumeId++;
        v.name = name;
        v.accountId = accountId;
        v.createdMillis = clock.millis();
        v.createTime = Instant.ofEpochMilli(v.createdMillis).truncatedTo(ChronoUnit.SECONDS);
        v.totalSize = size;
        v.enable512e = enable512e;
        v.access = access;
        v.attributes = attributes;
        v.minIops = qos[0];
        v.maxIops = qos[1];
        v.burstIops = qos[2];
        v.uuid = UUID.randomUUID().toString();
        v.consistencyGroupUuid = UUID.randomUUID().toString();
        v.fifoSize = p.optLong("fifoSize").orElse(DEFAULT_FIFO_SIZE);
        v.minFifoSize = p.optLong("minFifoSize").orElse(0L);
        volumes.put(v.id, v);
        try {
            host.apply(v);
        } catch (RuntimeException e) {
            volumes.remove(v.id);
            try {
                host.purge(v.id);
            } catch (RuntimeException ignored) {
                // best effort: the original error is the one to report
            }
            throw e;
        }
        ObjectNode r = json.createObjectNode();
        r.set("curve", json.valueToTree(Cluster.CURVE));
        r.set("volume", volumeJson(v));
        r.put("volumeID", v.id);
        return r;
    }

    ObjectNode deleteVolume(Params p) {
        Volume v = activeVolume(p.reqLong("volumeID"));
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        v.status = "deleted";
        v.deleteTime = now;
        v.purgeTime = now.plus(Cluster.PURGE_DELAY);
        groups.volumeDeleted(v.id);
        host.apply(v);
        return single("volume", volumeJson(v));
    }

    ObjectNode purgeDeletedVolume(Params p) {
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
        samples.forget(id);
        host.purge(id);
        return json.createObjectNode();
    }

    ObjectNode listDeletedVolumes(Params p) {
        return volumeList(volumes.values().stream().filter(v -> !v.active()).collect(Collectors.toList()));
    }

    ObjectNode modifyVolume(Params p, double apiVersion) {
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
        ObjectNode attributes = p.has("attributes") ? Cluster.checkAttributes(json, p.optObject("attributes").orElse(null)) : null;
        String access = p.optString("access").map(Volumes::checkAccess).orElse(null);
        Long newAccount = p.optLong("accountID").orElse(null);
        if (newAccount != null) {
            host.requireAccount(newAccount);
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
        host.apply(v);
        return single("volume", volumeJson(v));
    }

    ObjectNode listVolumes(Params p) {
        Optional<List<Long>> ids = p.optLongList("volumeIDs");
        if (ids.isPresent() && (p.has("startVolumeID") || p.has("limit") || p.has("accounts"))) {
            throw ElementException.invalid("volumeIDs cannot be combined with startVolumeID, limit or accounts");
        }
        long start = p.optLong("startVolumeID").orElse(0L);
        long limit = Cluster.limit(p);
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

    ObjectNode listVolumesForAccount(Params p) {
        long accountId = p.reqLong("accountID");
        host.requireAccount(accountId);
        long start = p.optLong("startVolumeID").orElse(0L);
        long limit = Cluster.limit(p);
        return volumeList(volumes.tailMap(start, true).values().stream()
                .filter(v -> v.accountId == accountId).limit(limit).collect(Collectors.toList()));
    }

    ObjectNode listActiveVolumes(Params p) {
        long start = p.optLong("startVolumeID").orElse(0L);
        long limit = Cluster.limit(p);
        return volumeList(volumes.tailMap(start, true).values().stream()
                .filter(Volume::active).limit(limit).collect(Collectors.toList()));
    }

    ObjectNode getVolumeStats(Params p) {
        return single("volumeStats", statsJson(activeVolume(p.reqLong("volumeID"))));
    }

    ObjectNode listVolumeStatsByVolume(Params p) {
        ArrayNode arr = json.createArrayNode();
        volumes.values().stream().filter(Volume::active).forEach(v -> arr.add(statsJson(v)));
        return single("volumeStats", arr);
    }


    Volume activeVolume(long id) {
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
        return (requested + Cluster.SIZE_UNIT - 1) / Cluster.SIZE_UNIT * Cluster.SIZE_UNIT;
    }

    private static String checkAccess(String access) {
        if (!List.of("readOnly", "readWrite", "locked", "replicationTarget").contains(access)) {
            throw new ElementException("xUnrecognizedEnumString", "Unrecognized enum string for member=[access]: " + access);
        }
        return access;
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




    String iqn(Volume v) {
        return views.iqn(v);
    }

    String naa(Volume v) {
        return views.naa(v);
    }

    ObjectNode volumeJson(Volume v) {
        return views.volumeJson(v);
    }

    private ObjectNode statsJson(Volume v) {
        IoSamples.Reading io = samples.read(v.id, v.createdMillis, host.io(v.id), clock.millis());
        return views.statsJson(v, host.allocatedBytes(v.id), io, now());
    }

    private ObjectNode volumeList(List<Volume> list) {
        ArrayNode arr = json.createArrayNode();
        list.forEach(v -> arr.add(volumeJson(v)));
        return single("volumes", arr);
    }
}
