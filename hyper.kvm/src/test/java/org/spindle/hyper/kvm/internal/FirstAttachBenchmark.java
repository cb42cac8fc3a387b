package org.spindle.hyper.kvm.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.spindle.storage.api.Chap;
import org.spindle.storage.api.Portal;
import org.spindle.storage.api.Secret;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.Limit;
import org.spindle.test.support.Commands;

/**
 * A measurement, not a test of behaviour: it asserts nothing, so the build does not run it (surefire only picks up
 * {@code *Test} classes). Run it on purpose with
 * {@code mvn -B test -pl hyper.kvm -Dtest=FirstAttachBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 * ({@code -Dbench.rounds=N}, {@code -Dbench.attaches=N}; {@code -Dbench.jfr=true} records each service process with JFR
 * into {@code target/first-attach-N.jfr}).
 *
 * <p>Each round, in the same run and on fresh running VMs (no SCSI controller yet, as a new VM has), the attach of
 * iSCSI LUNs with CHAP and limits:
 * <ul>
 *   <li>by hand, as an operator would: {@code virsh secret-define}, {@code secret-set-value}, {@code attach-device
 *       --live --config} (libvirt adds the SCSI controller itself for the first disk);</li>
 *   <li>through the service in a fresh JVM ({@link AttachRun}): made as DS makes it, then {@code findVm} and
 *       {@code attach} as the core calls them (secret, controller, disk, read back).</li>
 * </ul>
 * The tgt targets are made beforehand for both and not timed (the SAN's part). The first attach of each side is
 * reported apart from the next ones (warm). Writes the table to {@code target/first-attach.txt}.
 */
@Tag("benchmark")
class FirstAttachBenchmark {
    static final IoLimits LIMITS = new IoLimits(Limit.of(500), Limit.of(500), Limit.NONE, Limit.of(50L << 20), Limit.of(50L << 20),
            Limit.NONE);

    @Test
    void firstAndWarmAttachAgainstVirsh() throws Exception {
        Peers.require();
        int rounds = Integer.getInteger("bench.rounds", 5);
        int attaches = Integer.getInteger("bench.attaches", 4);
        List<Double> rawFirst = new ArrayList<>();
        List<Double> svcFirst = new ArrayList<>();
        List<Double> rawWarm = new ArrayList<>();
        List<Double> svcWarm = new ArrayList<>();
        List<Double> activations = new ArrayList<>();
        StringBuilder table = new StringBuilder(String.format("%-6s %10s %10s %10s %10s%n", "round", "raw first", "svc first",
                "raw warm", "svc warm"));
        for (int round = 1; round <= rounds; round++) {
            List<Double> raw;
            List<Double> svc;
            // alternate which side goes first, so that a machine slowing down does not favour one
            if (round % 2 == 1) {
                raw = raw(attaches);
                svc = service(attaches, round, activations);
            } else {
                svc = service(attaches, round, activations);
                raw = raw(attaches);
            }
            rawFirst.add(raw.get(0));
            svcFirst.add(svc.get(0));
            rawWarm.add(median(raw.subList(1, raw.size())));
            svcWarm.add(median(svc.subList(1, svc.size())));
            table.append(String.format("%-6d %10.1f %10.1f %10.1f %10.1f%n", round, raw.get(0), svc.get(0),
                    rawWarm.get(rawWarm.size() - 1), svcWarm.get(svcWarm.size() - 1)));
        }
        table.append(String.format("median %10.1f %10.1f %10.1f %10.1f%n", median(rawFirst), median(svcFirst), median(rawWarm),
                median(svcWarm)));
        table.append(String.format("ratio service / by hand: first %.2f, warm %.2f (medians of the per-round ratios: first %.2f,"
                        + " warm %.2f)%n", median(svcFirst) / median(rawFirst), median(svcWarm) / median(rawWarm),
                median(ratios(svcFirst, rawFirst)), median(ratios(svcWarm, rawWarm))));
        table.append(String.format("service activation (event loop, libvirt-java and JNA loaded, host monitored), not in any attach:"
                + " median %.1f ms%n", median(activations)));
        String report = String.format("attach of an iSCSI LUN with CHAP and limits to a running VM, ms (%d rounds of %d attaches;"
                + " warm = median of attaches 2..%d)%n", rounds, attaches, attaches) + table;
        System.out.print(report);
        Files.writeString(Path.of("target", "first-attach.txt"), report);
    }

    /** By hand: one VM, {@code n} disks, timed from the first virsh call to the last one's end. */
    static List<Double> raw(int n) throws IOException {
        Path tmp = Files.createTempDirectory("spindle-bench-raw");
        List<Double> ms = new ArrayList<>();
        List<TgtTarget> luns = new ArrayList<>();
        List<String> secrets = new ArrayList<>();
        try (TestVm vm = TestVm.define("spindle-bench-raw", true)) {
            for (int i = 0; i < n; i++) {
                String tag = UUID.randomUUID().toString().substring(0, 8);
                luns.add(TgtTarget.create("iqn.2010-01.com.solidfire:bench-raw-" + tag + ".1", 16L << 20, "br" + tag, "brsecret" + tag));
            }
            for (int i = 0; i < n; i++) {
                TgtTarget lun = luns.get(i);
                UUID secret = UUID.randomUUID();
                String usage = "bench-raw-" + secret;
                Path secretXml = write(tmp, "secret" + i + ".xml", DiskXml.secret(secret, usage, "bench"));
                Path diskXml = write(tmp, "disk" + i + ".xml", DiskXml.iscsiDisk(lun.iqn, 1, Portal.iscsi("127.0.0.1"),
                        Configs.INITIATOR, new Chap(lun.user, Secret.of(lun.password)), usage, "sd" + (char) ('a' + i), "scsi",
                        "ua-bench-raw-" + i, IoTune.of(LIMITS)));
                long t = System.nanoTime();
                Cmd.virsh("secret-define", secretXml.toString());
                Cmd.virsh("secret-set-value", secret.toString(),
                        Base64.getEncoder().encodeToString(lun.password.getBytes(StandardCharsets.UTF_8)));
                Cmd.virsh("attach-device", vm.uuid(), diskXml.toString(), "--live", "--config");
                ms.add((System.nanoTime() - t) / 1e6);
                secrets.add(secret.toString());
            }
        } finally {
            secrets.forEach(s -> Commands.run("virsh", "secret-undefine", s));
            luns.forEach(TgtTarget::close);
            try (var files = Files.list(tmp)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(tmp);
        }
        return ms;
    }

    /** Through the service, in a fresh JVM on a fresh VM. */
    static List<Double> service(int n, int round, List<Double> activations) throws Exception {
        try (TestVm vm = TestVm.define("spindle-bench-svc", true)) {
            List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                    "-cp", System.getProperty("java.class.path"), "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
            if (Boolean.getBoolean("bench.jfr")) {
                command.add("-XX:StartFlightRecording=filename=target/first-attach-" + round + ".jfr,settings=profile");
            }
            command.addAll(List.of(AttachRun.class.getName(), vm.name, String.valueOf(n)));
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("AttachRun failed: " + out);
            }
            List<Double> ms = new ArrayList<>();
            for (String line : out.split("\n")) {
                String[] f = line.trim().split(" ");
                if ("activation".equals(f[0])) {
                    activations.add(Double.parseDouble(f[1]));
                } else if ("attach".equals(f[0])) {
                    for (int i = 1; i < f.length; i++) {
                        ms.add(Double.parseDouble(f[i]));
                    }
                }
            }
            if (ms.size() != n) {
                throw new IllegalStateException("AttachRun printed " + ms.size() + " attach times: " + out);
            }
            return ms;
        }
    }

    static Path write(Path dir, String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        return f;
    }

    static List<Double> ratios(List<Double> a, List<Double> b) {
        List<Double> r = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            r.add(a.get(i) / b.get(i));
        }
        return r;
    }

    static double median(List<Double> values) {
        List<Double> s = new ArrayList<>(values);
        Collections.sort(s);
        int m = s.size() / 2;
        return s.size() % 2 == 1 ? s.get(m) : (s.get(m - 1) + s.get(m)) / 2;
    }
}
