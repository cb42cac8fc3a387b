package org.spindle.hyper.vmware.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.spindle.hyper.vmware.internal.vim.SoapVSphere;
import org.spindle.hyper.vmware.internal.vim.VimConnection;
import org.spindle.hyper.vmware.internal.vim.VimTrust;
import org.spindle.storage.api.Secret;

/**
 * vsphere.simulator's spindle-vcsim run as a process for one test class: a vCenter with datacenter DC0 and
 * cluster DC0_C0 of three hosts, each with a software iSCSI adapter, on a free port with a fresh certificate.
 */
public final class Vcsim implements AutoCloseable {
    public static final String USER = "administrator@vsphere.local";
    public static final Secret PASSWORD = Secret.of("vcsim-Test-pass-7");
    private static final Pattern STARTED = Pattern.compile("spindle-vcsim started url=(\\S+) sha256=(\\S+) .*");

    private final Process process;
    private final URI url;
    private final String fingerprint;

    private Vcsim(Process process, URI url, String fingerprint) {
        this.process = process;
        this.url = url;
        this.fingerprint = fingerprint;
    }

    public static Vcsim start(Path dir, String initiatorPrefix, String... more) throws IOException {
        Path binary = Path.of(System.getProperty("spindle.vcsim", "../vsphere.simulator/target/spindle-vcsim"));
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException(binary + " is missing: build vsphere.simulator first (scripts/vcsim.sh build)");
        }
        List<String> cmd = new java.util.ArrayList<>(List.of(binary.toString(), "-dir", dir.resolve("vmfs").toString(),
                "-initiator-prefix", initiatorPrefix, "-user", USER));
        cmd.addAll(List.of(more));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("SPINDLE_VCSIM_PASSWORD", PASSWORD.reveal());
        // the simulator's log is kept for after the test (target/ is the module's build directory)
        Path log = Path.of("target", "spindle-vcsim.log").toAbsolutePath();
        pb.redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Process p = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        Matcher m = line == null ? null : STARTED.matcher(line);
        if (m == null || !m.matches()) {
            p.destroyForcibly();
            throw new IllegalStateException("spindle-vcsim did not start: " + line + " / "
                    + Files.readString(log));
        }
        return new Vcsim(p, URI.create(m.group(1)), m.group(2));
    }

    public URI url() {
        return url;
    }

    public String fingerprint() {
        return fingerprint;
    }

    /** A client of cluster DC0_C0 with the certificate pinned, as the attach service makes one (20 s a call, 30 s a task). */
    public SoapVSphere vsphere() {
        return new SoapVSphere(new VimConnection(url, VimTrust.pinned(fingerprint), USER, PASSWORD, Duration.ofSeconds(20)),
                "DC0", "DC0_C0", Duration.ofSeconds(30));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
