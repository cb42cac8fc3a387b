package org.spindle.hyper.kvm.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.spindle.storage.api.Chap;
import org.spindle.storage.api.Portal;
import org.spindle.storage.api.Secret;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.attach.AttachRequest;
import org.spindle.storage.api.attach.Attachment;
import org.spindle.storage.api.attach.VmInfo;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.Limit;

/**
 * A measurement, not a test of behaviour: it asserts nothing, so the build does not run it (surefire only picks up
 * {@code *Test} classes). Run it on purpose with
 * {@code mvn -B test -pl hyper.kvm -Dtest=AttachTimingBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 *
 * <p>It measures, in one run, the attach of an iSCSI LUN with CHAP by hand (tgtadm target
 * creation, then virsh secret-define + secret-set-value + attach-device) beside the same through this service
 * (tgtadm target creation, then {@link KvmHost#attach}: secret, controller check, device, limits read back).
 * Writes target/attach-timing.txt.
 */
@Tag("benchmark")
class AttachTimingBenchmark {
    static final int ROUNDS = 5;

    @Test
    void attachTimes() throws IOException {
        Peers.require();
        List<Double> tgt = new ArrayList<>();
        List<Double> raw = new ArrayList<>();
        List<Double> service = new ArrayList<>();
        IoLimits limits = new IoLimits(Limit.of(500), Limit.of(500), Limit.NONE, Limit.of(50L << 20), Limit.of(50L << 20), Limit.NONE);
        Path tmp = Files.createTempDirectory("spindle-timing");
        try (TestVm vm = TestVm.define("spindle-test-timing", true); KvmHost host = new KvmHost(Configs.settings())) {
            // warm up: connection, controller
            VmInfo info = host.findVm(vm.name).orElseThrow();
            Cmd.virsh("attach-device", vm.name, write(tmp, "ctl.xml", DiskXml.virtioScsiController(0)), "--live", "--config");
            for (int i = 0; i < ROUNDS; i++) {
                String suffix = UUID.randomUUID().toString().substring(0, 8);
                // by hand
                long t0 = System.nanoTime();
                try (TgtTarget lun = TgtTarget.create("iqn.2010-01.com.solidfire:timing-raw-" + suffix + ".1", 16L << 20,
                        "raw" + suffix, "rawsecret" + suffix)) {
                    long t1 = System.nanoTime();
                    UUID secretUuid = UUID.randomUUID();
                    String usage = "timing/raw/" + suffix;
                    Cmd.virsh("secret-define", write(tmp, "s.xml", DiskXml.secret(secretUuid, usage, "timing")));
                    Cmd.virsh("secret-set-value", secretUuid.toString(), java.util.Base64.getEncoder()
                            .encodeToString(lun.password.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                    String disk = DiskXml.iscsiDisk(lun.iqn, 1, Portal.iscsi("127.0.0.1"), Configs.INITIATOR,
                            new Chap(lun.user, Secret.of(lun.password)), usage, "sdz", "scsi", "ua-timing-raw",
                            IoTune.of(limits));
                    Cmd.virsh("attach-device", vm.name, write(tmp, "d.xml", disk), "--live", "--config");
                    long t2 = System.nanoTime();
                    tgt.add((t1 - t0) / 1e6);
                    raw.add((t2 - t1) / 1e6);
                    Cmd.virsh("detach-device", vm.name, tmp.resolve("d.xml").toString(), "--live", "--config");
                    Cmd.virsh("secret-undefine", secretUuid.toString());
                }
                // through the service
                try (TgtTarget lun = TgtTarget.create("iqn.2010-01.com.solidfire:timing-svc-" + suffix + ".1", 16L << 20,
                        "svc" + suffix, "svcsecret" + suffix)) {
                    UUID id = UUID.randomUUID();
                    Target target = new Target("iscsi", List.of(Portal.iscsi("127.0.0.1")), lun.iqn, 1, null,
                            new Chap(lun.user, Secret.of(lun.password)));
                    long s0 = System.nanoTime();
                    Attachment a = host.attach(new AttachRequest(id, "timing", 16L << 20, info, target, true, limits));
                    service.add((System.nanoTime() - s0) / 1e6);
                    host.detach(a, target.withoutChap());
                }
            }
        } finally {
            try (var files = Files.list(tmp)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(tmp);
        }
        String report = String.format("attach of an iSCSI LUN with CHAP and limits, median of %d (min-max), ms:%n"
                        + "  tgtadm target + LUN + bind + CHAP account:                     %s%n"
                        + "  by hand: virsh secret-define + secret-set-value + attach-device: %s%n"
                        + "  KvmHost.attach (secret, controller check, device, limits read back): %s%n",
                ROUNDS, stats(tgt), stats(raw), stats(service));
        System.out.print(report);
        Files.writeString(Path.of("target", "attach-timing.txt"), report);
    }

    static String write(Path dir, String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        return f.toString();
    }

    static String stats(List<Double> ms) {
        List<Double> s = new ArrayList<>(ms);
        Collections.sort(s);
        return String.format("%.0f (%.0f-%.0f)", s.get(s.size() / 2), s.get(0), s.get(s.size() - 1));
    }
}
