package org.spindle.hyper.kvm.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.spindle.storage.api.StorageException;
import org.spindle.support.config.ConfigValues;

/**
 * A validated {@link KvmHostConfig}. Every refusal is a {@link StorageException#invalid} naming the configuration key.
 */
record HostSettings(String libvirtUri, String host, String zone, String initiatorIqn, String diskBus,
                    List<String> structures, Duration connectTimeout, Duration detachTimeout, Duration callTimeout,
                    int keepaliveInterval, int keepaliveCount, Duration probeInterval, RemoteAccess remote) {

    static final Set<String> URI_SCHEMES = Set.of("qemu", "qemu+ssh", "qemu+tls", "qemu+tcp", "qemu+unix",
            "qemu+libssh", "qemu+libssh2");
    static final Set<String> BUSES = Set.of("scsi", "virtio");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,252}");
    /** RFC 3720 names: iqn.yyyy-mm.reversed.domain[:anything], eui. + 16 hex digits, naa. + 16 or 32 hex digits. */
    private static final Pattern IQN = Pattern.compile(
            "iqn\\.\\d{4}-\\d{2}\\.[a-z0-9][a-z0-9.-]*(:[^\\s'\"<>&]+)?|eui\\.[0-9a-f]{16}|naa\\.([0-9a-f]{16}|[0-9a-f]{32})");
    private static final Pattern POOL = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._+-]{0,127}");

    HostSettings {
        structures = List.copyOf(structures);
    }

    /** The keys whose values are PEM or known_hosts text: line breaks allowed, up to 64 KiB. */
    static final Set<String> MULTI_LINE = Set.of("tls.ca", "tls.certificate", ".tls.key", "ssh.known.hosts", ".ssh.key");

    /**
     * The settings of a configuration as DS hands it over: {@code raw} (the component's properties) is checked first
     * ({@link ConfigValues}: types, lengths, control characters), so that {@code c} is only read where DS converts
     * every value faithfully.
     */
    static HostSettings of(KvmHostConfig c, Map<String, ?> raw) {
        Optional<ConfigValues.Problem> problem = ConfigValues.check(KvmHostConfig.class, raw, MULTI_LINE);
        if (problem.isPresent()) {
            throw StorageException.invalid(problem.get().key(), problem.get().what());
        }
        return of(c);
    }

    static HostSettings of(KvmHostConfig c) {
        String uri = trim(c.libvirt_uri());
        if (uri.isEmpty()) {
            throw StorageException.invalid("libvirt.uri", "must not be empty (e.g. qemu:///system, qemu+ssh://root@host/system)");
        }
        try {
            URI parsed = new URI(uri);
            if (parsed.getScheme() == null || !URI_SCHEMES.contains(parsed.getScheme())) {
                throw StorageException.invalid("libvirt.uri", "must use one of the schemes " + String.join(", ", sorted(URI_SCHEMES))
                        + " (was '" + uri + "')");
            }
            if (!"/system".equals(parsed.getPath()) && !"/session".equals(parsed.getPath())) {
                throw StorageException.invalid("libvirt.uri", "must end in /system or /session (was '" + uri + "')");
            }
            if (parsed.getUserInfo() != null && parsed.getUserInfo().contains(":")) {
                throw StorageException.invalid("libvirt.uri", "must not carry a password (use SSH keys or TLS certificates)");
            }
            String query = parsed.getQuery() == null ? "" : parsed.getQuery();
            for (String param : query.split("&")) {
                String name = param.contains("=") ? param.substring(0, param.indexOf('=')) : param;
                String value = param.contains("=") ? param.substring(param.indexOf('=') + 1) : "";
                if ("no_verify".equals(name) && !"0".equals(value)) {
                    throw StorageException.invalid("libvirt.uri", "must not turn off the host's verification (no_verify)");
                }
                if ("known_hosts_verify".equals(name) && !"normal".equals(value)) {
                    throw StorageException.invalid("libvirt.uri", "must not turn off the host key check (known_hosts_verify=" + value + ")");
                }
            }
        } catch (URISyntaxException e) {
            throw StorageException.invalid("libvirt.uri", "is not a URI: " + e.getReason());
        }
        String host = trim(c.hypervisor_host());
        if (!NAME.matcher(host).matches()) {
            throw StorageException.invalid("hypervisor.host", host.isEmpty() ? "must be set (the host's name in Spindle)"
                    : "must be a host name of letters, digits, '.', '_' and '-' (was '" + host + "')");
        }
        String zone = trim(c.storage_zone());
        if (!zone.isEmpty() && !NAME.matcher(zone).matches()) {
            throw StorageException.invalid("storage.zone", "must be letters, digits, '.', '_' and '-' (was '" + zone + "')");
        }
        String iqn = trim(c.initiator_iqn());
        if (iqn.isEmpty()) {
            throw StorageException.invalid("initiator.iqn", "must be set: the iSCSI initiator name QEMU logs in with "
                    + "(e.g. iqn.2024-01.org.example:host1)");
        }
        if (iqn.length() > 223 || !IQN.matcher(iqn).matches()) {
            throw StorageException.invalid("initiator.iqn", "must be an iSCSI name such as iqn.2024-01.org.example:host1, "
                    + "in lower case (was '" + iqn + "')");
        }
        String bus = trim(c.disk_bus());
        if (!BUSES.contains(bus)) {
            throw StorageException.invalid("disk.bus", "must be scsi or virtio (was '" + bus + "')");
        }
        Set<String> pools = new LinkedHashSet<>();
        for (String s : c.structures() == null ? new String[0] : c.structures()) {
            for (String name : s.split(",")) {
                String p = name.trim();
                if (p.isEmpty()) {
                    continue;
                }
                if (!POOL.matcher(p).matches()) {
                    throw StorageException.invalid("structures", "'" + p + "' is not a libvirt storage pool name");
                }
                if (!pools.add(p)) {
                    throw StorageException.invalid("structures", "lists '" + p + "' twice");
                }
            }
        }
        Duration detach = seconds("detach.timeout.seconds", c.detach_timeout_seconds());
        Duration call = seconds("call.timeout.seconds", c.call_timeout_seconds());
        if (call.compareTo(detach) <= 0) {
            throw StorageException.invalid("call.timeout.seconds", "must be longer than detach.timeout.seconds (" + detach.toSeconds()
                    + "): a detach waits that long for the guest (was " + call.toSeconds() + ")");
        }
        if (c.keepalive_interval_seconds() < 0 || c.keepalive_interval_seconds() > 600) {
            throw StorageException.invalid("keepalive.interval.seconds", "must be between 0 (off) and 600 (was "
                    + c.keepalive_interval_seconds() + ")");
        }
        if (c.keepalive_count() < 1 || c.keepalive_count() > 100) {
            throw StorageException.invalid("keepalive.count", "must be between 1 and 100 (was " + c.keepalive_count() + ")");
        }
        String scheme = URI.create(uri).getScheme();
        RemoteAccess remote = RemoteAccess.of(scheme, c.tls_ca(), c.tls_certificate(), c._tls_key(), c.ssh_known_hosts(),
                c._ssh_key());
        if (remote.tls() || remote.ssh()) {
            for (String own : List.of("pkipath=", "keyfile=", "command=")) {
                if (uri.contains("?" + own) || uri.contains("&" + own)) {
                    throw StorageException.invalid("libvirt.uri", "must not set " + own.substring(0, own.length() - 1)
                            + " when the host's credentials are configured (tls.*, ssh.*)");
                }
            }
        }
        return new HostSettings(uri, host, zone, iqn, bus, List.copyOf(pools),
                seconds("connect.timeout.seconds", c.connect_timeout_seconds()), detach, call,
                c.keepalive_interval_seconds(), c.keepalive_count(),
                seconds("probe.interval.seconds", c.probe_interval_seconds()), remote);
    }

    private static Duration seconds(String key, int value) {
        if (value < 1 || value > 600) {
            throw StorageException.invalid(key, "must be between 1 and 600 seconds (was " + value + ")");
        }
        return Duration.ofSeconds(value);
    }

    private static String trim(String s) {
        return s == null ? "" : s.trim();
    }

    private static List<String> sorted(Set<String> s) {
        return s.stream().sorted().toList();
    }
}
