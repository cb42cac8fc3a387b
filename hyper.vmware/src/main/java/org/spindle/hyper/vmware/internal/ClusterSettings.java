package org.spindle.hyper.vmware.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.spindle.hyper.vmware.internal.vim.VimTrust;
import org.spindle.storage.api.Secret;
import org.spindle.storage.api.StorageException;
import org.spindle.support.config.RawConfig;

/**
 * A validated {@link VmwareClusterConfig}. Every refusal is a {@link StorageException#invalid} naming the key.
 * The password is kept as a {@link Secret} (its toString shows nothing) and appears in no message.
 */
record ClusterSettings(String name, URI url, String user, Secret password, VimTrust trust, String datacenter, String cluster,
                       String zone, List<String> structures, Duration timeout, Duration taskTimeout, Duration refresh, Duration stats) {

    ClusterSettings {
        structures = List.copyOf(structures);
    }

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,252}");
    /** vCenter inventory names: anything printable but the path separator. */
    private static final Pattern INVENTORY = Pattern.compile("[^/\\p{Cntrl}]{1,80}");

    private static final int MAX_URL = 2048;
    private static final int MAX_USER = 255;
    private static final int MAX_PASSWORD = 1024;
    private static final int MAX_PATH = 4096;

    /** Checks the raw properties' types first (as Config Admin gave them), then reads {@code c}. */
    static ClusterSettings of(VmwareClusterConfig c, Map<String, Object> properties) {
        new RawConfig(properties).text("name").text("vcenter.url").text("vcenter.user").secret(".vcenter.password")
                .text("tls.fingerprint.sha256").text("tls.truststore").secret(".tls.truststore.password").text("datacenter")
                .text("cluster").text("storage.zone").texts("structures").number("timeout.seconds", 1, 600)
                .number("task.timeout.seconds", 1, 3600).number("refresh.seconds", 1, 3600).number("stats.seconds", 1, 3000);
        return of(c);
    }

    static ClusterSettings of(VmwareClusterConfig c) {
        URI url;
        String rawUrl = trim(c.vcenter_url());
        if (rawUrl.length() > MAX_URL || RawConfig.controls(rawUrl)) {
            throw StorageException.invalid("vcenter.url", "must be an https URL of at most " + MAX_URL
                    + " characters without control characters (was '" + RawConfig.shown(rawUrl) + "')");
        }
        try {
            url = new URI(rawUrl);
        } catch (URISyntaxException e) {
            throw StorageException.invalid("vcenter.url", "is not a URL: " + e.getReason());
        }
        if (!"https".equals(url.getScheme()) || url.getHost() == null || url.getHost().length() > 253) {
            throw StorageException.invalid("vcenter.url", "must be an https URL such as https://vcenter.example.org/sdk (was '"
                    + RawConfig.shown(rawUrl) + "')");
        }
        if (url.getUserInfo() != null) {
            throw StorageException.invalid("vcenter.url", "must not carry a user or password (use vcenter.user and .vcenter.password)");
        }
        if (url.getPath() == null || url.getPath().isEmpty() || "/".equals(url.getPath())) {
            url = url.resolve("/sdk");
        }
        String user = trim(c.vcenter_user());
        if (user.isEmpty()) {
            throw StorageException.invalid("vcenter.user", "must be set");
        }
        if (user.length() > MAX_USER || RawConfig.controls(user)) {
            throw StorageException.invalid("vcenter.user", "must be a vCenter user of at most " + MAX_USER
                    + " characters without control characters (was '" + RawConfig.shown(user) + "')");
        }
        String password = c._vcenter_password() == null ? "" : c._vcenter_password();
        if (password.isEmpty()) {
            throw StorageException.invalid(".vcenter.password", "must be set");
        }
        if (password.length() > MAX_PASSWORD || RawConfig.controls(password)) {
            throw StorageException.invalid(".vcenter.password", "must be at most " + MAX_PASSWORD + " characters without control characters");
        }
        String fingerprint = trim(c.tls_fingerprint_sha256());
        String store = trim(c.tls_truststore());
        VimTrust trust;
        if (!fingerprint.isEmpty() && !store.isEmpty()) {
            throw StorageException.invalid("tls.fingerprint.sha256", "give either tls.fingerprint.sha256 or tls.truststore, not both");
        } else if (!fingerprint.isEmpty()) {
            trust = VimTrust.pinned(fingerprint);
        } else if (!store.isEmpty()) {
            String storePassword = c._tls_truststore_password();
            if (storePassword != null && (storePassword.length() > MAX_PASSWORD || RawConfig.controls(storePassword))) {
                throw StorageException.invalid(".tls.truststore.password", "must be at most " + MAX_PASSWORD
                        + " characters without control characters");
            }
            trust = VimTrust.store(path(store), storePassword == null ? null : storePassword.toCharArray());
        } else {
            throw StorageException.invalid("tls.fingerprint.sha256", "vCenter's certificate must be trusted: set "
                    + "tls.fingerprint.sha256 (its SHA-256 fingerprint) or tls.truststore (a trust store with its CA)");
        }
        String datacenter = inventory("datacenter", c.datacenter());
        String cluster = inventory("cluster", c.cluster());
        String name = trim(c.name()).isEmpty() ? cluster : trim(c.name());
        if (!NAME.matcher(name).matches()) {
            throw StorageException.invalid("name", "must be letters, digits, '.', '_' and '-', at most 253 (was '" + RawConfig.shown(name)
                    + "'; set name when the cluster's name has other characters)");
        }
        String zone = trim(c.storage_zone());
        if (!zone.isEmpty() && !NAME.matcher(zone).matches()) {
            throw StorageException.invalid("storage.zone", "must be letters, digits, '.', '_' and '-', at most 253 (was '"
                    + RawConfig.shown(zone) + "')");
        }
        Set<String> datastores = new LinkedHashSet<>();
        for (String entry : c.structures() == null ? new String[0] : c.structures()) {
            for (String part : entry.split(",")) {
                String ds = part.trim();
                if (ds.isEmpty()) {
                    continue;
                }
                if (!INVENTORY.matcher(ds).matches() || ds.contains("[") || ds.contains("]")) {
                    throw StorageException.invalid("structures", "'" + RawConfig.shown(ds) + "' is not a datastore name (no '/', '[', ']' "
                            + "or control characters, at most 80 characters)");
                }
                if (!datastores.add(ds)) {
                    throw StorageException.invalid("structures", "lists '" + RawConfig.shown(ds) + "' twice");
                }
            }
        }
        return new ClusterSettings(name, url, user, Secret.of(password), trust, datacenter, cluster, zone, List.copyOf(datastores),
                seconds("timeout.seconds", c.timeout_seconds(), 600), seconds("task.timeout.seconds", c.task_timeout_seconds(), 3600),
                seconds("refresh.seconds", c.refresh_seconds(), 3600),
                // vCenter keeps real-time samples for an hour: reading them less often would lose some
                seconds("stats.seconds", c.stats_seconds(), 3000));
    }

    private static String inventory(String key, String value) {
        String v = trim(value);
        if (!INVENTORY.matcher(v).matches()) {
            throw StorageException.invalid(key, v.isEmpty() ? "must be set" : "must be an inventory name without '/' or control characters, "
                    + "of at most 80 characters (was '" + RawConfig.shown(v) + "')");
        }
        return v;
    }

    private static Path path(String store) {
        if (store.length() > MAX_PATH || RawConfig.controls(store)) {
            throw StorageException.invalid("tls.truststore", "must be a file path of at most " + MAX_PATH
                    + " characters without control characters (was '" + RawConfig.shown(store) + "')");
        }
        try {
            return Path.of(store);
        } catch (java.nio.file.InvalidPathException e) {
            throw StorageException.invalid("tls.truststore", "is not a file path (was '" + RawConfig.shown(store) + "')");
        }
    }

    private static Duration seconds(String key, int value, int max) {
        if (value < 1 || value > max) {
            throw StorageException.invalid(key, "must be between 1 and " + max + " seconds (was " + value + ")");
        }
        return Duration.ofSeconds(value);
    }

    private static String trim(String s) {
        return s == null ? "" : s.trim();
    }
}
