package org.spindle.driver.solidfire.internal.element;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.spindle.storage.api.Secret;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The Element methods the driver uses, typed, at one API version (shared reference §1.3). Thin: no policy,
 * no Spindle types; errors are {@link ElementFailure}s.
 */
public final class ElementApi {
    /** Page size for list methods that take {@code startVolumeID}/{@code limit}. */
    static final int PAGE = 1000;

    private final ElementClient client;
    private final ApiVersion version;
    private final ObjectMapper json;

    public ElementApi(ElementClient client, ApiVersion version) {
        this.client = client;
        this.version = version;
        this.json = client.json();
    }

    public ApiVersion version() {
        return version;
    }

    /** {@code GetAPI} at 7.0: the cluster's current version. */
    public static ApiVersion currentVersion(ElementClient client) {
        JsonNode r = client.call(ApiVersion.PROBE.toString(), "GetAPI", client.json().createObjectNode());
        return ApiVersion.parse(r.path("currentVersion").asText());
    }

    private JsonNode call(String method, ObjectNode params, Secret... redact) {
        return client.call(version.toString(), method, params, redact);
    }

    private ObjectNode params() {
        return json.createObjectNode();
    }

    // ---- cluster

    public Wire.ClusterInfo getClusterInfo() {
        return Wire.ClusterInfo.from(call("GetClusterInfo", params()).path("clusterInfo"));
    }

    public Wire.Capacity getClusterCapacity() {
        return Wire.Capacity.from(call("GetClusterCapacity", params()).path("clusterCapacity"));
    }

    /** GetLimits: the cluster's limits, by Element's member names. */
    public Wire.Limits getLimits() {
        return Wire.Limits.from(call("GetLimits", params()));
    }

    /** The QoS a volume gets when CreateVolume leaves members out. */
    public Wire.Qos getDefaultQoS() {
        return Wire.Qos.from(call("GetDefaultQoS", params()));
    }

    // ---- accounts

    /** Throws {@link ElementException} {@code xUnknownAccount} when there is none. */
    public Wire.Account getAccountByName(String username) {
        return Wire.Account.from(call("GetAccountByName", params().put("username", username)).path("account"));
    }

    public Wire.Account getAccountById(long accountId) {
        return Wire.Account.from(call("GetAccountByID", params().put("accountID", accountId)).path("account"));
    }

    /** Creates an account with the given CHAP secrets; returns its id. */
    public long addAccount(String username, Secret initiatorSecret, Secret targetSecret, Map<String, String> attributes) {
        ObjectNode p = params().put("username", username)
                .put("initiatorSecret", initiatorSecret.reveal())
                .put("targetSecret", targetSecret.reveal());
        p.set("attributes", json.valueToTree(attributes));
        return call("AddAccount", p, initiatorSecret, targetSecret).path("accountID").asLong();
    }

    public List<Wire.Account> listAccounts() {
        List<Wire.Account> out = new ArrayList<>();
        long start = 0;
        while (true) {
            JsonNode r = call("ListAccounts", params().put("startAccountID", start).put("limit", PAGE));
            List<Wire.Account> page = list(r.path("accounts"), Wire.Account::from);
            out.addAll(page);
            if (page.size() < PAGE) {
                return out;
            }
            start = page.get(page.size() - 1).accountID() + 1;
        }
    }

    // ---- volumes

    /** The request of {@link #createVolume}. */
    public record NewVolume(String name, long accountID, long totalSize, boolean enable512e, Wire.Qos qos,
                            Map<String, String> attributes) {
    }

    public Wire.Volume createVolume(NewVolume v) {
        ObjectNode p = params().put("name", v.name()).put("accountID", v.accountID()).put("totalSize", v.totalSize())
                .put("enable512e", v.enable512e());
        p.set("qos", qos(v.qos()));
        p.set("attributes", json.valueToTree(v.attributes()));
        JsonNode r = call("CreateVolume", p);
        if (r.path("volume").isObject()) {
            return Wire.Volume.from(r.path("volume"));
        }
        long id = r.path("volumeID").asLong();
        return getVolume(id).orElseThrow(() -> new ElementException("CreateVolume", "xVolumeIDDoesNotExist", 500,
                "volume " + id + " vanished right after it was created"));
    }

    /** Active and deleted (not yet purged) volumes of an account. */
    public List<Wire.Volume> listVolumesForAccount(long accountId) {
        return paged("ListVolumesForAccount", params().put("accountID", accountId));
    }

    public List<Wire.Volume> listActiveVolumes() {
        return paged("ListActiveVolumes", params());
    }

    public List<Wire.Volume> listDeletedVolumes() {
        return list(call("ListDeletedVolumes", params()).path("volumes"), Wire.Volume::from);
    }

    /**
     * One volume by id, active or deleted; empty when it does not exist (or was purged). Uses ListVolumes
     * {@code volumeIDs} (8.0); older endpoints get ListActiveVolumes from the id, then ListDeletedVolumes.
     */
    public Optional<Wire.Volume> getVolume(long volumeId) {
        if (version.atLeast(ApiVersion.V8)) {
            ObjectNode p = params();
            p.putArray("volumeIDs").add(volumeId);
            return list(call("ListVolumes", p).path("volumes"), Wire.Volume::from).stream()
                    .filter(v -> v.volumeID() == volumeId).findFirst();
        }
        Optional<Wire.Volume> active = list(call("ListActiveVolumes", params().put("startVolumeID", volumeId)
                .put("limit", 1)).path("volumes"), Wire.Volume::from).stream().filter(v -> v.volumeID() == volumeId)
                .findFirst();
        return active.isPresent() ? active
                : listDeletedVolumes().stream().filter(v -> v.volumeID() == volumeId).findFirst();
    }

    public void deleteVolume(long volumeId) {
        call("DeleteVolume", params().put("volumeID", volumeId));
    }

    public void purgeDeletedVolume(long volumeId) {
        call("PurgeDeletedVolume", params().put("volumeID", volumeId));
    }

    /** Grows ({@code totalSize}, bytes) and/or changes the QoS; null leaves a member as it is. */
    public Wire.Volume modifyVolume(long volumeId, Long totalSize, Wire.Qos qos) {
        ObjectNode p = params().put("volumeID", volumeId);
        if (totalSize != null) {
            p.put("totalSize", totalSize);
        }
        if (qos != null) {
            p.set("qos", qos(qos));
        }
        JsonNode r = call("ModifyVolume", p);
        if (r.path("volume").isObject()) {
            return Wire.Volume.from(r.path("volume"));
        }
        return getVolume(volumeId).orElseThrow(() -> new ElementException("ModifyVolume", "xVolumeIDDoesNotExist", 500,
                "volume " + volumeId + " vanished"));
    }

    public Wire.VolumeStats getVolumeStats(long volumeId) {
        return Wire.VolumeStats.from(call("GetVolumeStats", params().put("volumeID", volumeId)).path("volumeStats"));
    }

    // ---- volume access groups

    public List<Wire.AccessGroup> listVolumeAccessGroups() {
        return list(call("ListVolumeAccessGroups", params()).path("volumeAccessGroups"), Wire.AccessGroup::from);
    }

    /** One group by id; empty when it does not exist. */
    public Optional<Wire.AccessGroup> getVolumeAccessGroup(long groupId) {
        ObjectNode p = params();
        p.putArray("volumeAccessGroups").add(groupId);
        return list(call("ListVolumeAccessGroups", p).path("volumeAccessGroups"), Wire.AccessGroup::from).stream()
                .filter(g -> g.volumeAccessGroupID() == groupId).findFirst();
    }

    public long createVolumeAccessGroup(String name, List<String> initiators, long volumeId, Map<String, String> attributes) {
        ObjectNode p = params().put("name", name);
        initiators.forEach(p.putArray("initiators")::add);
        p.putArray("volumes").add(volumeId);
        p.set("attributes", json.valueToTree(attributes));
        return call("CreateVolumeAccessGroup", p).path("volumeAccessGroupID").asLong();
    }

    public void addInitiatorsToAccessGroup(long groupId, List<String> initiators) {
        ObjectNode p = params().put("volumeAccessGroupID", groupId);
        initiators.forEach(p.putArray("initiators")::add);
        call("AddInitiatorsToVolumeAccessGroup", p);
    }

    public void removeInitiatorsFromAccessGroup(long groupId, List<String> initiators) {
        ObjectNode p = params().put("volumeAccessGroupID", groupId);
        initiators.forEach(p.putArray("initiators")::add);
        call("RemoveInitiatorsFromVolumeAccessGroup", p);
    }

    public void deleteVolumeAccessGroup(long groupId) {
        call("DeleteVolumeAccessGroup", params().put("volumeAccessGroupID", groupId));
    }

    public void addVolumeToAccessGroup(long groupId, long volumeId) {
        ObjectNode p = params().put("volumeAccessGroupID", groupId);
        p.putArray("volumes").add(volumeId);
        call("AddVolumesToVolumeAccessGroup", p);
    }

    public void removeVolumeFromAccessGroup(long groupId, long volumeId) {
        ObjectNode p = params().put("volumeAccessGroupID", groupId);
        p.putArray("volumes").add(volumeId);
        call("RemoveVolumesFromVolumeAccessGroup", p);
    }

    // ---- helpers

    private ObjectNode qos(Wire.Qos q) {
        return params().put("minIOPS", q.minIOPS()).put("maxIOPS", q.maxIOPS()).put("burstIOPS", q.burstIOPS());
    }

    private List<Wire.Volume> paged(String method, ObjectNode base) {
        List<Wire.Volume> out = new ArrayList<>();
        long start = 0;
        while (true) {
            ObjectNode p = base.deepCopy().put("startVolumeID", start).put("limit", PAGE);
            List<Wire.Volume> page = list(call(method, p).path("volumes"), Wire.Volume::from);
            out.addAll(page);
            if (page.size() < PAGE) {
                return out;
            }
            start = page.get(page.size() - 1).volumeID() + 1;
        }
    }

    private static <T> List<T> list(JsonNode array, Function<JsonNode, T> parse) {
        List<T> out = new ArrayList<>();
        array.forEach(n -> out.add(parse.apply(n)));
        return out;
    }
}
