package org.spindle.driver.solidfire.internal.element;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

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
        return read(client, "GetAPI", () -> {
            String v = Fields.text(r, "currentVersion", "result");
            try {
                return ApiVersion.parse(v);
            } catch (IllegalArgumentException e) {
                throw new Fields.Malformed("result.currentVersion: expected major.minor, got " + Fields.quote(v));
            }
        });
    }

    private JsonNode call(String method, ObjectNode params, Secret... redact) {
        return client.call(version.toString(), method, params, redact);
    }

    private ObjectNode params() {
        return json.createObjectNode();
    }

    // ---- cluster

    public Wire.ClusterInfo getClusterInfo() {
        JsonNode r = call("GetClusterInfo", params());
        return read("GetClusterInfo", () -> Wire.ClusterInfo.from(Fields.object(r, "clusterInfo", "result"),
                "result.clusterInfo"));
    }

    public Wire.Capacity getClusterCapacity() {
        JsonNode r = call("GetClusterCapacity", params());
        return read("GetClusterCapacity", () -> Wire.Capacity.from(Fields.object(r, "clusterCapacity", "result"),
                "result.clusterCapacity"));
    }

    /** GetLimits: the cluster's limits, by Element's member names. */
    public Wire.Limits getLimits() {
        JsonNode r = call("GetLimits", params());
        return read("GetLimits", () -> Wire.Limits.from(r, "result"));
    }

    /** The QoS a volume gets when CreateVolume leaves members out. */
    public Wire.Qos getDefaultQoS() {
        JsonNode r = call("GetDefaultQoS", params());
        return read("GetDefaultQoS", () -> Wire.Qos.from(r, "result"));
    }

    // ---- accounts

    /** Throws {@link ElementException} {@code xUnknownAccount} when there is none. */
    public Wire.Account getAccountByName(String username) {
        JsonNode r = call("GetAccountByName", params().put("username", username));
        return read("GetAccountByName", () -> Wire.Account.from(Fields.object(r, "account", "result"), "result.account"));
    }

    public Wire.Account getAccountById(long accountId) {
        JsonNode r = call("GetAccountByID", params().put("accountID", accountId));
        return read("GetAccountByID", () -> Wire.Account.from(Fields.object(r, "account", "result"), "result.account"));
    }

    /** Creates an account with the given CHAP secrets; returns its id. */
    public long addAccount(String username, Secret initiatorSecret, Secret targetSecret, Map<String, String> attributes) {
        ObjectNode p = params().put("username", username)
                .put("initiatorSecret", initiatorSecret.reveal())
                .put("targetSecret", targetSecret.reveal());
        p.set("attributes", json.valueToTree(attributes));
        JsonNode r = call("AddAccount", p, initiatorSecret, targetSecret);
        return read("AddAccount", () -> Fields.number(r, "accountID", "result", 1));
    }

    public List<Wire.Account> listAccounts() {
        List<Wire.Account> out = new ArrayList<>();
        long start = 0;
        while (true) {
            JsonNode r = call("ListAccounts", params().put("startAccountID", start).put("limit", PAGE));
            List<Wire.Account> page = read("ListAccounts", () -> Fields.objects(r, "accounts", "result", Wire.Account::from));
            long from = start;
            read("ListAccounts", () -> ascending(page.stream().map(Wire.Account::accountID).toList(), from, "result.accounts"));
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
            return read("CreateVolume", () -> Wire.Volume.from(r.get("volume"), "result.volume"));
        }
        long id = read("CreateVolume", () -> Fields.number(r, "volumeID", "result", 1));
        return getVolume(id).orElseThrow(() -> new ElementException("CreateVolume", "xVolumeIDDoesNotExist", 500,
                "volume " + id + " vanished right after it was created"));
    }

    /** Active and deleted (not yet purged) volumes of an account. */
    public List<Wire.Volume> listVolumesForAccount(long accountId) {
        return paged("ListVolumesForAccount", params().put("accountID", accountId));
    }

    /**
     * The volumes of an account that carry {@code name} (active and deleted): ListVolumes {@code accounts} +
     * {@code volumeName} (8.0), so its answer is as long as the volumes of that name, not as the account's;
     * older endpoints list the account.
     */
    public List<Wire.Volume> volumesNamed(long accountId, String name) {
        if (!version.atLeast(ApiVersion.V8)) {
            return listVolumesForAccount(accountId).stream().filter(v -> name.equals(v.name())).toList();
        }
        ObjectNode p = params().put("volumeName", name);
        p.putArray("accounts").add(accountId);
        return volumes("ListVolumes", call("ListVolumes", p));
    }

    public List<Wire.Volume> listActiveVolumes() {
        return paged("ListActiveVolumes", params());
    }

    public List<Wire.Volume> listDeletedVolumes() {
        return volumes("ListDeletedVolumes", call("ListDeletedVolumes", params()));
    }

    /**
     * One volume by id, active or deleted; empty when it does not exist (or was purged). Uses ListVolumes
     * {@code volumeIDs} (8.0); older endpoints get ListActiveVolumes from the id, then ListDeletedVolumes.
     */
    public Optional<Wire.Volume> getVolume(long volumeId) {
        if (version.atLeast(ApiVersion.V8)) {
            ObjectNode p = params();
            p.putArray("volumeIDs").add(volumeId);
            return volumes("ListVolumes", call("ListVolumes", p)).stream()
                    .filter(v -> v.volumeID() == volumeId).findFirst();
        }
        Optional<Wire.Volume> active = volumes("ListActiveVolumes", call("ListActiveVolumes", params()
                .put("startVolumeID", volumeId).put("limit", 1))).stream().filter(v -> v.volumeID() == volumeId)
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
            return read("ModifyVolume", () -> Wire.Volume.from(r.get("volume"), "result.volume"));
        }
        return getVolume(volumeId).orElseThrow(() -> new ElementException("ModifyVolume", "xVolumeIDDoesNotExist", 500,
                "volume " + volumeId + " vanished"));
    }

    public Wire.VolumeStats getVolumeStats(long volumeId) {
        JsonNode r = call("GetVolumeStats", params().put("volumeID", volumeId));
        return read("GetVolumeStats", () -> Wire.VolumeStats.from(Fields.object(r, "volumeStats", "result"),
                "result.volumeStats"));
    }

    // ---- volume access groups

    public List<Wire.AccessGroup> listVolumeAccessGroups() {
        return groups(call("ListVolumeAccessGroups", params()));
    }

    /** One group by id; empty when it does not exist. */
    public Optional<Wire.AccessGroup> getVolumeAccessGroup(long groupId) {
        ObjectNode p = params();
        p.putArray("volumeAccessGroups").add(groupId);
        return groups(call("ListVolumeAccessGroups", p)).stream()
                .filter(g -> g.volumeAccessGroupID() == groupId).findFirst();
    }

    public long createVolumeAccessGroup(String name, List<String> initiators, long volumeId, Map<String, String> attributes) {
        ObjectNode p = params().put("name", name);
        initiators.forEach(p.putArray("initiators")::add);
        p.putArray("volumes").add(volumeId);
        p.set("attributes", json.valueToTree(attributes));
        JsonNode r = call("CreateVolumeAccessGroup", p);
        return read("CreateVolumeAccessGroup", () -> Fields.number(r, "volumeAccessGroupID", "result", 1));
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
            List<Wire.Volume> page = volumes(method, call(method, p));
            long from = start;
            read(method, () -> ascending(page.stream().map(Wire.Volume::volumeID).toList(), from, "result.volumes"));
            out.addAll(page);
            if (page.size() < PAGE) {
                return out;
            }
            start = page.get(page.size() - 1).volumeID() + 1;
        }
    }

    private List<Wire.Volume> volumes(String method, JsonNode result) {
        return read(method, () -> Fields.objects(result, "volumes", "result", Wire.Volume::from));
    }

    private List<Wire.AccessGroup> groups(JsonNode result) {
        return read("ListVolumeAccessGroups", () -> Fields.objects(result, "volumeAccessGroups", "result",
                Wire.AccessGroup::from));
    }

    /**
     * A page of a listing that starts at {@code from}: at most {@link #PAGE} ids, each above the one before and none
     * below {@code from}. Anything else would make the pager ask for the same page forever.
     */
    private static Void ascending(List<Long> ids, long from, String path) {
        if (ids.size() > PAGE) {
            throw new Fields.Malformed(path + ": " + ids.size() + " entries, more than the " + PAGE + " asked for");
        }
        long previous = from - 1;
        for (int i = 0; i < ids.size(); i++) {
            if (ids.get(i) <= previous) {
                throw new Fields.Malformed(path + "[" + i + "]: id " + ids.get(i) + " is not above " + previous
                        + " (a page is in ascending id order from " + from + ")");
            }
            previous = ids.get(i);
        }
        return null;
    }

    private <T> T read(String method, Supplier<T> parse) {
        return read(client, method, parse);
    }

    /** Runs {@code parse} over a reply; a {@link Fields.Malformed} becomes a MALFORMED transport failure of {@code method}. */
    private static <T> T read(ElementClient client, String method, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (Fields.Malformed m) {
            throw new ElementTransportException(method, ElementTransportException.Kind.MALFORMED, method + " to "
                    + client.mvip() + ": malformed reply: " + m.getMessage(), null);
        }
    }
}
