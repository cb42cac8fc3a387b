package org.spindle.hyper.xen.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.spindle.storage.api.Secret;
import org.spindle.storage.api.StorageException;
import org.spindle.support.config.RawConfig;

/** A validated {@link XenPoolConfig}; every refusal is a {@link StorageException#invalid} naming the key. */
record PoolSettings(String pool, URI url, String user, Secret password, String fingerprint, Path trustStore,
                    Secret trustStorePassword, String zone, List<String> staticSrs, Duration refresh, Duration replyTimeout) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    PoolSettings {
        staticSrs = List.copyOf(staticSrs);
    }

    /** The longest URL, user, password and path taken. */
    private static final int MAX_URL = 2048;
    private static final int MAX_USER = 255;
    private static final int MAX_PASSWORD = 1024;
    private static final int MAX_PATH = 4096;

    /** Checks the raw properties' types first (as Config Admin gave them), then reads {@code c}. */
    static PoolSettings of(XenPoolConfig c, Map<String, Object> properties) {
        new RawConfig(properties).text("pool.name").text("xen.url").text("xen.user").secret(".xen.password")
                .text("tls.fingerprint.sha256").text("tls.truststore").secret(".tls.truststore.password").text("storage.zone")
                .texts("static.srs").number("refresh.seconds", 1, 3600).number("reply.timeout.seconds", 1, 3600);
        return of(c);
    }

    static PoolSettings of(XenPoolConfig c) {
        String pool = trim(c.pool_name());
        if (!NAME.matcher(pool).matches()) {
            throw StorageException.invalid("pool.name", pool.isEmpty() ? "must be set (the pool's name in Spindle)"
                    : "must be letters, digits, '.', '_' and '-', at most 63 (was '" + RawConfig.shown(pool) + "')");
        }
        String raw = trim(c.xen_url());
        if (raw.length() > MAX_URL || RawConfig.controls(raw)) {
            throw StorageException.invalid("xen.url", "must be https://<pool master>[:port]/ of at most " + MAX_URL
                    + " characters without control characters (was '" + RawConfig.shown(raw) + "')");
        }
        URI url;
        try {
            url = new URI(raw);
        } catch (URISyntaxException e) {
            throw StorageException.invalid("xen.url", "is not a URL: " + e.getReason());
        }
        if (url.getHost() != null && url.getHost().length() > 253) {
            throw StorageException.invalid("xen.url", "must name a host of at most 253 characters (was '" + RawConfig.shown(raw) + "')");
        }
        if (!"https".equals(url.getScheme()) || url.getHost() == null) {
            throw StorageException.invalid("xen.url", "must be https://<pool master>[:port]/ (was '" + RawConfig.shown(raw) + "'); "
                    + "plain http would send the password in clear");
        }
        if (url.getUserInfo() != null) {
            throw StorageException.invalid("xen.url", "must not carry a user or password (use xen.user and .xen.password)");
        }
        if (url.getPath() != null && !url.getPath().isEmpty() && !url.getPath().equals("/")) {
            throw StorageException.invalid("xen.url", "must have no path: XenAPI XML-RPC is served at / (was '" + RawConfig.shown(raw) + "')");
        }
        String user = trim(c.xen_user());
        if (user.isEmpty() || user.length() > MAX_USER || RawConfig.controls(user)) {
            throw StorageException.invalid("xen.user", "must be a XenAPI user name of 1 to " + MAX_USER
                    + " characters without control characters (was '" + RawConfig.shown(user) + "')");
        }
        if (c._xen_password() == null || c._xen_password().isEmpty()) {
            throw StorageException.invalid(".xen.password", "must be set");
        }
        if (c._xen_password().length() > MAX_PASSWORD || RawConfig.controls(c._xen_password())) {
            throw StorageException.invalid(".xen.password", "must be at most " + MAX_PASSWORD + " characters without control characters");
        }
        String fp = trim(c.tls_fingerprint_sha256()).replace(":", "").toLowerCase(java.util.Locale.ROOT);
        String ts = trim(c.tls_truststore());
        if (fp.isEmpty() == ts.isEmpty()) {
            throw StorageException.invalid("tls.fingerprint.sha256", "set exactly one of tls.fingerprint.sha256 (the pool "
                    + "certificate's SHA-256) and tls.truststore; there is no trust-all");
        }
        if (!fp.isEmpty() && !fp.matches("[0-9a-f]{64}")) {
            throw StorageException.invalid("tls.fingerprint.sha256", "must be 64 hex digits (SHA-256 of the certificate, colons allowed)");
        }
        Path store = ts.isEmpty() ? null : path(ts);
        if (store != null && !Files.isReadable(store)) {
            throw StorageException.invalid("tls.truststore", "cannot read " + RawConfig.shown(ts));
        }
        String pw = c._tls_truststore_password();
        if (pw != null && (pw.length() > MAX_PASSWORD || RawConfig.controls(pw))) {
            throw StorageException.invalid(".tls.truststore.password", "must be at most " + MAX_PASSWORD
                    + " characters without control characters");
        }
        String zone = trim(c.storage_zone());
        if (!zone.isEmpty() && !NAME.matcher(zone).matches()) {
            throw StorageException.invalid("storage.zone", "must be letters, digits, '.', '_' and '-', at most 63 (was '"
                    + RawConfig.shown(zone) + "')");
        }
        Set<String> srs = new LinkedHashSet<>();
        for (String s : c.static_srs() == null ? new String[0] : c.static_srs()) {
            for (String n : s.split(",")) {
                String name = n.trim();
                if (name.isEmpty()) {
                    continue;
                }
                if (name.length() > 255 || name.chars().anyMatch(Character::isISOControl)) {
                    throw StorageException.invalid("static.srs", "'" + RawConfig.shown(name) + "' is not an SR name_label "
                            + "(at most 255 characters without control characters)");
                }
                if (!srs.add(name)) {
                    throw StorageException.invalid("static.srs", "lists '" + RawConfig.shown(name) + "' twice");
                }
            }
        }
        return new PoolSettings(pool, url, user, Secret.of(c._xen_password()), fp.isEmpty() ? null : fp, store,
                pw == null || pw.isEmpty() ? null : Secret.of(pw), zone, List.copyOf(srs),
                seconds("refresh.seconds", c.refresh_seconds()), seconds("reply.timeout.seconds", c.reply_timeout_seconds()));
    }

    private static Path path(String ts) {
        if (ts.length() > MAX_PATH || RawConfig.controls(ts)) {
            throw StorageException.invalid("tls.truststore", "must be a file path of at most " + MAX_PATH
                    + " characters without control characters (was '" + RawConfig.shown(ts) + "')");
        }
        try {
            return Path.of(ts);
        } catch (java.nio.file.InvalidPathException e) {
            throw StorageException.invalid("tls.truststore", "is not a file path (was '" + RawConfig.shown(ts) + "')");
        }
    }

    private static Duration seconds(String key, int v) {
        if (v < 1 || v > 3600) {
            throw StorageException.invalid(key, "must be between 1 and 3600 seconds (was " + v + ")");
        }
        return Duration.ofSeconds(v);
    }

    private static String trim(String s) {
        return s == null ? "" : s.trim();
    }
}
