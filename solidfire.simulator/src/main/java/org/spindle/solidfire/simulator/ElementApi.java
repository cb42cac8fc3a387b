package org.spindle.solidfire.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The method table: name, the API version a method appeared in (from the Python SDK's {@code send_request} calls),
 * and the handler. Version rules:
 * <ul>
 * <li>a URL version that is not {@code major.minor} in [1.0, the cluster's version] → {@code xUnknownAPIVersion}
 * (HTTP 404); the cluster's version (GetAPI {@code currentVersion}) is 12.3 unless the builder sets another;</li>
 * <li>a known method called on an endpoint older than its "since" version → {@code xUnknownAPIMethod};</li>
 * <li>an unknown method name → {@code xUnknownAPIMethod};</li>
 * <li>a body that is not a JSON-RPC call (bad JSON, no {@code method}) → {@code xUnknownRPCMethod}.</li>
 * </ul>
 */
final class ElementApi {
    static final String CURRENT_VERSION = "12.3";
    static final double MAX_VERSION = 12.3;
    static final List<String> SUPPORTED_VERSIONS = List.of("1.0", "2.0", "3.0", "4.0", "5.0", "6.0", "7.0", "7.1", "7.2",
            "7.3", "7.4", "8.0", "8.1", "8.2", "8.3", "8.4", "9.0", "9.1", "9.2", "9.3", "9.4", "9.5", "9.6", "10.0",
            "10.1", "10.2", "10.3", "10.4", "10.5", "10.6", "10.7", "11.0", "11.1", "11.3", "11.5", "11.7", "11.8",
            "12.0", "12.2", "12.3");
    private static final Pattern VERSION = Pattern.compile("(\\d{1,2})\\.(\\d{1,2})");

    record Method(String name, double since, BiFunction<Params, Double, ObjectNode> handler) {
    }

    private final Map<String, Method> methods;
    private final ObjectNode apiResult;
    private final String currentVersion;
    private final double current;

    ElementApi(Cluster c, com.fasterxml.jackson.databind.ObjectMapper json, String currentVersion) {
        this.currentVersion = currentVersion;
        this.current = parse(currentVersion);
        Map<String, Method> m = new LinkedHashMap<>();
        add(m, "GetAPI", 1.0, (p, v) -> apiResult());
        add(m, "GetClusterInfo", 1.0, (p, v) -> c.getClusterInfo());
        add(m, "GetClusterCapacity", 1.0, (p, v) -> c.getClusterCapacity());
        add(m, "GetDefaultQoS", 1.0, (p, v) -> c.getDefaultQoS(v));
        add(m, "GetLimits", 1.0, (p, v) -> c.getLimits(v));
        add(m, "GetAccountByName", 1.0, (p, v) -> c.getAccountByName(p));
        add(m, "GetAccountByID", 1.0, (p, v) -> c.getAccountById(p));
        add(m, "AddAccount", 1.0, (p, v) -> c.addAccount(p));
        add(m, "ListAccounts", 1.0, (p, v) -> c.listAccounts(p));
        add(m, "CreateVolume", 1.0, c::createVolume);
        add(m, "DeleteVolume", 1.0, (p, v) -> c.deleteVolume(p));
        add(m, "PurgeDeletedVolume", 1.0, (p, v) -> c.purgeDeletedVolume(p));
        add(m, "ListDeletedVolumes", 1.0, (p, v) -> c.listDeletedVolumes(p));
        add(m, "ModifyVolume", 1.0, c::modifyVolume);
        add(m, "ListVolumes", 8.0, (p, v) -> c.listVolumes(p));
        add(m, "ListVolumesForAccount", 1.0, (p, v) -> c.listVolumesForAccount(p));
        add(m, "ListActiveVolumes", 1.0, (p, v) -> c.listActiveVolumes(p));
        add(m, "GetVolumeStats", 1.0, (p, v) -> c.getVolumeStats(p));
        add(m, "ListVolumeStatsByVolume", 1.0, (p, v) -> c.listVolumeStatsByVolume(p));
        add(m, "CreateVolumeAccessGroup", 5.0, (p, v) -> c.createVolumeAccessGroup(p));
        add(m, "AddInitiatorsToVolumeAccessGroup", 5.0, (p, v) -> c.addInitiatorsToVolumeAccessGroup(p));
        add(m, "RemoveInitiatorsFromVolumeAccessGroup", 5.0, (p, v) -> c.removeInitiatorsFromVolumeAccessGroup(p));
        add(m, "AddVolumesToVolumeAccessGroup", 5.0, (p, v) -> c.addVolumesToVolumeAccessGroup(p));
        add(m, "RemoveVolumesFromVolumeAccessGroup", 5.0, (p, v) -> c.removeVolumesFromVolumeAccessGroup(p));
        add(m, "ListVolumeAccessGroups", 5.0, (p, v) -> c.listVolumeAccessGroups(p));
        add(m, "DeleteVolumeAccessGroup", 5.0, (p, v) -> c.deleteVolumeAccessGroup(p));
        this.methods = Collections.unmodifiableMap(m);
        ObjectNode api = json.createObjectNode();
        api.put("currentVersion", currentVersion);
        SUPPORTED_VERSIONS.stream().filter(x -> parse(x) <= current + 1e-9).forEach(api.putArray("supportedVersions")::add);
        this.apiResult = api;
    }

    private static void add(Map<String, Method> m, String name, double since, BiFunction<Params, Double, ObjectNode> h) {
        m.put(name, new Method(name, since, h));
    }

    private ObjectNode apiResult() {
        return apiResult.deepCopy();
    }

    /** Parses a URL version; throws {@code xUnknownAPIVersion} for anything outside 1.0 … the cluster's version. */
    double version(String text) {
        Matcher m = VERSION.matcher(text);
        if (m.matches()) {
            double v = parse(text);
            if (v >= 1.0 && v <= current + 1e-9) {
                return v;
            }
        }
        throw new ElementException("xUnknownAPIVersion", "Unknown API version " + text + "; supported: 1.0 to " + currentVersion);
    }

    /** {@code major.minor} as a number (12.3 → 12.3, 11.10 would be 11.1: Element has no two-digit minors). */
    static double parse(String text) {
        Matcher m = VERSION.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not an API version: " + text);
        }
        return Integer.parseInt(m.group(1)) + Integer.parseInt(m.group(2)) / (m.group(2).length() == 1 ? 10.0 : 100.0);
    }

    /** Whether {@code version} is one Element has (a value of {@link #SUPPORTED_VERSIONS}). */
    static boolean known(String version) {
        return SUPPORTED_VERSIONS.contains(version);
    }

    Method lookup(String name, double version, String versionText) {
        Method m = methods.get(name);
        if (m == null) {
            throw new ElementException("xUnknownAPIMethod", "Unknown method=" + name);
        }
        if (version + 1e-9 < m.since()) {
            throw new ElementException("xUnknownAPIMethod", "method=" + name + " is not available in API version "
                    + versionText + " (it needs " + m.since() + " or later)");
        }
        return m;
    }

    Map<String, Method> methods() {
        return methods;
    }
}
