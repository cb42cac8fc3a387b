package org.spindle.hyper.kvm.internal;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.spindle.test.support.Commands;

/**
 * The second libvirtd of scripts/libvirt-remote.sh (started by {@code scripts/libvirt.sh start}): reached over
 * {@code qemu+tls://} and {@code qemu+ssh://} on loopback, with the test CA, client certificate and SSH keys it made.
 * Missing: the tests are skipped, or fail with {@code -Dspindle.require.libvirt=true} (CI).
 */
record RemotePeers(Path dir, String tlsUri, String sshUri, Path pki, Path sshKey, Path knownHosts) {
    static final Path DIR = Path.of(System.getProperty("spindle.libvirt.remote.dir", "/run/spindle-libvirt/remote"));
    static final Path SCRIPT = Path.of("../scripts/libvirt-remote.sh").toAbsolutePath().normalize();

    static RemotePeers require() {
        Peers.require();
        if (Commands.run(SCRIPT.toString(), "status", DIR.toString()).exit() != 0) {
            // scripts/libvirt.sh start starts it with the shared libvirtd; a machine whose libvirtd was already running
            // (so bin/spindle did not call start) gets it here: the script is idempotent and touches nothing shared
            Commands.run(SCRIPT.toString(), "start", DIR.toString());
        }
        Properties p = new Properties();
        Path endpoints = DIR.resolve("endpoints.properties");
        String problem = null;
        if (!Files.isRegularFile(endpoints)) {
            problem = "no " + endpoints;
        } else {
            try (Reader r = Files.newBufferedReader(endpoints)) {
                p.load(r);
            } catch (IOException e) {
                problem = e.toString();
            }
        }
        if (problem == null && Commands.run(SCRIPT.toString(), "status", DIR.toString()).exit() != 0) {
            problem = "the second libvirtd does not answer";
        }
        if (problem != null) {
            String message = "remote-host tests need scripts/libvirt-remote.sh (scripts/libvirt.sh start, as root): " + problem;
            if (Peers.REQUIRED) {
                fail(message);
            }
            assumeTrue(false, message);
        }
        return new RemotePeers(DIR, p.getProperty("tls.uri"), p.getProperty("ssh.uri"), Path.of(p.getProperty("pki.dir")),
                Path.of(p.getProperty("ssh.key")), Path.of(p.getProperty("ssh.known_hosts")));
    }

    /** The URI virsh uses for the second libvirtd (TLS with the test's client certificate). */
    String virshUri() {
        return tlsUri + "?pkipath=" + pki;
    }

    /** The host configuration of the TLS host: its CA, client certificate and key inline, as an operator writes them. */
    Object[] tlsConfig(String host) {
        return new Object[] {"libvirt.uri", tlsUri, "hypervisor.host", host, "tls.ca", read(pki.resolve("cacert.pem")),
                "tls.certificate", read(pki.resolve("clientcert.pem")), ".tls.key", read(pki.resolve("clientkey.pem"))};
    }

    /** The host configuration of the SSH host: its known_hosts line and the client key inline. */
    Object[] sshConfig(String host) {
        return new Object[] {"libvirt.uri", sshUri, "hypervisor.host", host, "ssh.known.hosts", read(knownHosts),
                ".ssh.key", read(sshKey)};
    }

    String virsh(String... args) {
        String[] c = new String[args.length + 3];
        c[0] = "virsh";
        c[1] = "-c";
        c[2] = virshUri();
        System.arraycopy(args, 0, c, 3, args.length);
        return Commands.run(c).ok().out();
    }

    Commands.Result script(String command) {
        return Commands.run(SCRIPT.toString(), command, dir.toString());
    }

    /** The second libvirtd's pid. */
    String libvirtdPid() {
        return read(dir.resolve("libvirtd.pid")).strip();
    }

    static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
