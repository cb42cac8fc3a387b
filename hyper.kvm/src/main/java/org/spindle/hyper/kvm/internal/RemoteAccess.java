package org.spindle.hyper.kvm.internal;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;

import org.spindle.storage.api.Secret;
import org.spindle.storage.api.StorageException;

/**
 * How this runtime proves itself to a remote host and checks the host: for {@code qemu+tls://} the CA and the client
 * certificate and key, for {@code qemu+ssh://} the host keys to accept and the key to log in with. All optional: without
 * them libvirt uses the machine's defaults (/etc/pki, ~/.ssh), which check the host too.
 *
 * <p>The material is written into a private directory (0700, files 0600) and named in the connection URI (libvirt's
 * {@code pkipath}; for SSH {@code keyfile} and a {@code command} that runs ssh with this host's known_hosts only and
 * strict checking). The keys are {@link Secret}s: no toString, log line or message shows them.
 */
record RemoteAccess(String tlsCa, String tlsCertificate, Secret tlsKey, String sshKnownHosts, Secret sshKey) {
    static final RemoteAccess NONE = new RemoteAccess("", "", null, "", null);

    /** Validates the keys for the URI's scheme; every refusal names the key. */
    static RemoteAccess of(String scheme, String ca, String cert, String key, String knownHosts, String sshKey) {
        ca = trim(ca);
        cert = trim(cert);
        key = trim(key);
        knownHosts = trim(knownHosts);
        sshKey = trim(sshKey);
        boolean tls = !ca.isEmpty() || !cert.isEmpty() || !key.isEmpty();
        if (tls) {
            if (!"qemu+tls".equals(scheme)) {
                throw StorageException.invalid(!ca.isEmpty() ? "tls.ca" : !cert.isEmpty() ? "tls.certificate" : ".tls.key",
                        "is only for qemu+tls URIs (libvirt.uri is " + scheme + ")");
            }
            pem("tls.ca", ca, "CERTIFICATE");
            pem("tls.certificate", cert, "CERTIFICATE");
            if (key.isEmpty() || !key.contains("-----BEGIN ") || !key.contains("PRIVATE KEY-----")) {
                throw StorageException.invalid(".tls.key", "must be the PEM private key of tls.certificate");
            }
        }
        if (!knownHosts.isEmpty() || !sshKey.isEmpty()) {
            if (!"qemu+ssh".equals(scheme)) {
                throw StorageException.invalid(!knownHosts.isEmpty() ? "ssh.known.hosts" : ".ssh.key",
                        "is only for qemu+ssh URIs (libvirt.uri is " + scheme + ")");
            }
            if (!knownHosts.isEmpty() && knownHosts.lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .anyMatch(l -> l.split("\\s+").length < 3)) {
                throw StorageException.invalid("ssh.known.hosts", "must be known_hosts lines: HOSTS KEYTYPE KEY");
            }
            if (!sshKey.isEmpty() && !sshKey.contains("PRIVATE KEY-----")) {
                throw StorageException.invalid(".ssh.key", "must be a private key (OpenSSH or PEM)");
            }
        }
        return new RemoteAccess(ca, cert, key.isEmpty() ? null : Secret.of(key), knownHosts,
                sshKey.isEmpty() ? null : Secret.of(sshKey));
    }

    private static void pem(String field, String value, String type) {
        if (value.isEmpty() || !value.contains("-----BEGIN " + type + "-----")) {
            throw StorageException.invalid(field, "must be PEM (-----BEGIN " + type + "-----); tls.ca, tls.certificate and "
                    + ".tls.key go together");
        }
    }

    boolean tls() {
        return tlsKey != null;
    }

    boolean ssh() {
        return !sshKnownHosts.isEmpty() || sshKey != null;
    }

    /**
     * The URI to connect with: {@code uri} plus the parameters naming the material written under {@code dir} (made
     * 0700; rewritten each time, so a changed configuration takes effect). {@code uri} itself when there is none.
     */
    String connectUri(String uri, Path dir) {
        if (!tls() && !ssh()) {
            return uri;
        }
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            StringBuilder params = new StringBuilder();
            if (tls()) {
                write(dir.resolve("cacert.pem"), tlsCa);
                write(dir.resolve("clientcert.pem"), tlsCertificate);
                write(dir.resolve("clientkey.pem"), tlsKey.reveal());
                param(params, "pkipath", dir.toString());
            }
            if (sshKey != null) {
                Path key = dir.resolve("id_key");
                write(key, sshKey.reveal().endsWith("\n") ? sshKey.reveal() : sshKey.reveal() + "\n");
                param(params, "keyfile", key.toString());
            }
            if (!sshKnownHosts.isEmpty()) {
                Path known = dir.resolve("known_hosts");
                write(known, sshKnownHosts + "\n");
                Path ssh = dir.resolve("ssh");
                // first -o wins in OpenSSH: these hold whatever libvirt adds
                write(ssh, "#!/bin/sh\nexec ssh -o UserKnownHostsFile=" + known + " -o GlobalKnownHostsFile=/dev/null"
                        + " -o StrictHostKeyChecking=yes \"$@\"\n");
                Files.setPosixFilePermissions(ssh, PosixFilePermissions.fromString("rwx------"));
                param(params, "command", ssh.toString());
            }
            if (uri.toLowerCase(Locale.ROOT).startsWith("qemu+ssh")) {
                param(params, "no_tty", "1"); // BatchMode: never a prompt, an unknown host key fails
            }
            return uri + (URI.create(uri).getRawQuery() == null ? "?" : "&") + params;
        } catch (IOException e) {
            throw new StorageException(StorageException.Reason.UNAVAILABLE, "libvirt.uri",
                    "cannot write the credentials of " + uri + " under " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void param(StringBuilder b, String name, String value) {
        if (b.length() > 0) {
            b.append('&');
        }
        b.append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }

    private static void write(Path f, String content) throws IOException {
        Files.deleteIfExists(f);
        Files.createFile(f, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(f, content);
    }

    private static String trim(String s) {
        return s == null ? "" : s.trim();
    }

    @Override
    public String toString() {
        return "RemoteAccess[tls=" + tls() + ", ssh known hosts=" + !sshKnownHosts.isEmpty() + ", ssh key=" + (sshKey != null) + "]";
    }
}
