package org.spindle.driver.solidfire.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.spindle.driver.solidfire.internal.element.ApiVersion;
import org.spindle.driver.solidfire.internal.element.RetryPolicy;
import org.spindle.storage.api.Portal;
import org.spindle.storage.api.Secret;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.volume.Names;
import org.spindle.support.config.ConfigValues;
import org.spindle.support.tls.PinnedTrustManager;

/**
 * A validated {@link SolidFireConfig}: every value checked and normalized once, so the rest of the driver never
 * sees a malformed one. {@link #from} throws a {@link ConfigException} naming the first bad key.
 */
record ClusterSettings(String mvip, Optional<String> svip, String username, Secret password,
                       Optional<ApiVersion> apiVersion, Optional<String> fingerprint, Optional<Path> truststore,
                       Secret truststorePassword, String pool, String zone, List<String> tags, long capacityIops,
                       long defaultMinIops, long defaultMaxIops, long defaultBurstIops, double burstFactor,
                       long maxIopsCeiling, String accountPrefix, boolean enable512e, int targetLun,
                       Duration connectTimeout, Duration requestTimeout, RetryPolicy retry, long replyMaxBytes) {
    static final int DEFAULT_MVIP_PORT = 443;
    static final int DEFAULT_ISCSI_PORT = 3260;
    static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    /** Largest min IOPS Element accepts (§1.4). */
    static final long MIN_IOPS_CEILING = 15_000;
    /** Bounds of reply.max.bytes: a page of 1,000 volumes needs ~1.6 MB; more than 1 GiB is no longer a bound. */
    static final long REPLY_MIN = 1L << 20;
    static final long REPLY_MAX = 1L << 30;

    /**
     * The settings of a configuration as DS hands it over: {@code raw} (the component's properties) is checked first
     * ({@link ConfigValues}: types, lengths, control characters), so that {@code c} is only read where DS converts
     * every value faithfully.
     */
    static ClusterSettings from(SolidFireConfig c, Map<String, ?> raw) throws ConfigException {
        Optional<ConfigValues.Problem> problem = ConfigValues.check(SolidFireConfig.class, raw, Set.of());
        if (problem.isPresent()) {
            throw new ConfigException(problem.get().key(), problem.get().what());
        }
        return from(c);
    }

    static ClusterSettings from(SolidFireConfig c) throws ConfigException {
        String mvip = hostPort("mvip", required("mvip", c.mvip()), DEFAULT_MVIP_PORT);
        Optional<String> svip = blank(c.svip()) ? Optional.empty()
                : Optional.of(hostPort("svip", c.svip(), DEFAULT_ISCSI_PORT));
        String username = required("username", c.username());
        String password = c._password();
        if (blank(password)) {
            throw new ConfigException(".password", "is missing (the cluster admin's password)");
        }
        Optional<ApiVersion> api = Optional.empty();
        if (!blank(c.api_version())) {
            try {
                api = Optional.of(ApiVersion.parse(c.api_version()));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("api.version", e.getMessage());
            }
            if (!api.get().atLeast(ApiVersion.MINIMUM)) {
                throw new ConfigException("api.version", "must be " + ApiVersion.MINIMUM + " or later (was " + api.get() + ")");
            }
        }
        Optional<String> fingerprint = Optional.empty();
        Optional<Path> truststore = Optional.empty();
        if (!blank(c.tls_fingerprint_sha256()) && !blank(c.tls_truststore())) {
            throw new ConfigException("tls.fingerprint.sha256", "set either it or tls.truststore, not both");
        }
        if (!blank(c.tls_fingerprint_sha256())) {
            try {
                fingerprint = Optional.of(PinnedTrustManager.normalize(c.tls_fingerprint_sha256()));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("tls.fingerprint.sha256", e.getMessage());
            }
        } else if (!blank(c.tls_truststore())) {
            Path p = Path.of(c.tls_truststore().strip());
            if (!Files.isReadable(p)) {
                throw new ConfigException("tls.truststore", "cannot read " + p);
            }
            truststore = Optional.of(p);
        } else {
            throw new ConfigException("tls.fingerprint.sha256", "is missing: pin the cluster's certificate "
                    + "(or set tls.truststore); there is no trust-all mode");
        }
        Secret truststorePassword = blank(c._tls_truststore_password()) ? null : Secret.of(c._tls_truststore_password());
        String pool = name("storage.pool", required("storage.pool", c.storage_pool()));
        String zone = name("storage.zone", required("storage.zone", c.storage_zone()));
        List<String> tags = tags(c.storage_tags());
        long capacityIops = nonNegative("capacity.iops", c.capacity_iops());
        long ceiling = c.qos_max_iops_ceiling();
        if (ceiling != 0 && ceiling < 100) {
            throw new ConfigException("qos.max.iops.ceiling", "must be 0 (the cluster's GetLimits) or at least 100 (was "
                    + ceiling + ")");
        }
        long min = nonNegative("qos.default.min.iops", c.qos_default_min_iops());
        long max = nonNegative("qos.default.max.iops", c.qos_default_max_iops());
        long burst = nonNegative("qos.default.burst.iops", c.qos_default_burst_iops());
        if (min > MIN_IOPS_CEILING) {
            throw new ConfigException("qos.default.min.iops", "must be at most " + MIN_IOPS_CEILING + " (was " + min + ")");
        }
        if (ceiling > 0 && (max > ceiling || burst > ceiling)) {
            throw new ConfigException(max > ceiling ? "qos.default.max.iops" : "qos.default.burst.iops",
                    "must be at most qos.max.iops.ceiling " + ceiling);
        }
        if (min > 0 && max > 0 && min > max) {
            throw new ConfigException("qos.default.min.iops", "must not exceed qos.default.max.iops " + max);
        }
        if (max > 0 && burst > 0 && max > burst) {
            throw new ConfigException("qos.default.burst.iops", "must be at least qos.default.max.iops " + max);
        }
        double factor = c.burst_factor();
        if (!(factor >= 1.0 && factor <= 100.0)) {
            throw new ConfigException("burst.factor", "must be between 1.0 and 100 (was " + factor + ")");
        }
        String prefix = required("account.prefix", c.account_prefix());
        if (!prefix.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,31}")) {
            throw new ConfigException("account.prefix", "must be 1-32 letters, digits, '.', '_' or '-' (was '" + prefix + "')");
        }
        int lun = c.target_lun();
        if (lun < 0 || lun > 16383) {
            throw new ConfigException("target.lun", "must be between 0 and 16383 (was " + lun + ")");
        }
        Duration connect = millis("timeout.connect.ms", c.timeout_connect_ms());
        Duration request = millis("timeout.request.ms", c.timeout_request_ms());
        if (c.retry_count() < 0 || c.retry_count() > 20) {
            throw new ConfigException("retry.count", "must be between 0 and 20 (was " + c.retry_count() + ")");
        }
        Duration backoff = Duration.ofMillis(nonNegative("retry.backoff.ms", c.retry_backoff_ms()));
        RetryPolicy retry = new RetryPolicy(c.retry_count(), backoff,
                backoff.compareTo(MAX_BACKOFF) > 0 ? backoff : MAX_BACKOFF);
        long replyMax = c.reply_max_bytes();
        if (replyMax < REPLY_MIN || replyMax > REPLY_MAX) {
            throw new ConfigException("reply.max.bytes", "must be between " + REPLY_MIN + " (1 MiB) and " + REPLY_MAX
                    + " (1 GiB) (was " + replyMax + ")");
        }
        return new ClusterSettings(mvip, svip, username, Secret.of(password), api, fingerprint, truststore,
                truststorePassword, pool, zone, tags, capacityIops, min, max, burst, factor, ceiling, prefix,
                c.enable512e(), lun, connect, request, retry, replyMax);
    }

    /** The portal for an SVIP the cluster reported (a bare address, IPv4 or IPv6, or a name). */
    static Portal portal(String svipFromCluster) {
        String host = svipFromCluster.strip();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return Portal.iscsi(host);
    }

    private static String required(String key, String value) throws ConfigException {
        if (blank(value)) {
            throw new ConfigException(key, "is missing");
        }
        return value.strip();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String name(String key, String value) throws ConfigException {
        try {
            return Names.check(key, value);
        } catch (StorageException e) {
            throw new ConfigException(key, "must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit (was '"
                    + value + "')");
        }
    }

    private static List<String> tags(String[] raw) throws ConfigException {
        List<String> out = new ArrayList<>();
        if (raw != null) {
            for (String entry : raw) {
                for (String t : entry.split(",")) {
                    if (!t.isBlank() && !out.contains(t.strip())) {
                        out.add(name("storage.tags", t.strip()));
                    }
                }
            }
        }
        return List.copyOf(out);
    }

    private static long nonNegative(String key, long value) throws ConfigException {
        if (value < 0) {
            throw new ConfigException(key, "must not be negative (was " + value + ")");
        }
        return value;
    }

    private static Duration millis(String key, long value) throws ConfigException {
        if (value < 1 || value > 600_000) {
            throw new ConfigException(key, "must be between 1 and 600000 ms (was " + value + ")");
        }
        return Duration.ofMillis(value);
    }

    /** {@code host[:port]} (IPv6 in brackets) → {@code host:port}. */
    private static String hostPort(String key, String value, int defaultPort) throws ConfigException {
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (v.contains("/") || v.contains("@") || v.isEmpty()) {
            throw new ConfigException(key, "expected host or host:port, without a scheme or path (was '" + value + "')");
        }
        String host;
        String port = null;
        if (v.startsWith("[")) {
            int end = v.indexOf(']');
            if (end < 0) {
                throw new ConfigException(key, "unbalanced '[' in '" + value + "'");
            }
            host = v.substring(0, end + 1);
            String rest = v.substring(end + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new ConfigException(key, "expected host or host:port (was '" + value + "')");
                }
                port = rest.substring(1);
            }
        } else if (v.indexOf(':') != v.lastIndexOf(':')) {
            host = "[" + v + "]";
        } else {
            int colon = v.indexOf(':');
            host = colon < 0 ? v : v.substring(0, colon);
            port = colon < 0 ? null : v.substring(colon + 1);
        }
        if (host.isEmpty() || host.equals("[]") || !host.matches("\\[[0-9a-f:.]+]|[a-z0-9]([a-z0-9.-]*[a-z0-9])?")) {
            throw new ConfigException(key, "expected host or host:port, without a scheme or path (was '" + value + "')");
        }
        int p = defaultPort;
        if (port != null) {
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                p = -1;
            }
            if (p < 1 || p > 65535) {
                throw new ConfigException(key, "port must be between 1 and 65535 (was '" + port + "')");
            }
        }
        return host + ":" + p;
    }

    @Override
    public String toString() {
        return "ClusterSettings[mvip=" + mvip + ", username=" + username + ", pool=" + pool + ", zone=" + zone + "]";
    }
}
