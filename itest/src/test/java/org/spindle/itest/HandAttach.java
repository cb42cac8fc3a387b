package org.spindle.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import org.spindle.test.support.Commands;

/**
 * The kind of attach Spindle makes on KVM, made by hand and timed, for comparison: a tgt target (LUN 1, ACL, CHAP
 * account), then a libvirt secret and a network disk with iotune attached live to the VM; detached and removed
 * again. Its names carry the run's id, so {@link #cleanUp} removes exactly what it made.
 */
final class HandAttach {
    private static final long MIB = 1024 * 1024;

    private final String vm;
    private final String initiator;
    private final Path work;
    private final String run;
    private final String iqn;
    private final String user;
    private final UUID secret = UUID.randomUUID();

    HandAttach(String vm, String initiator, Path work, String run) {
        this.vm = vm;
        this.initiator = initiator;
        this.work = work;
        this.run = run;
        this.iqn = "iqn.2026-11.org.spindle.itest:raw-" + run;
        this.user = "itraw" + run;
    }

    /** Attaches and detaches; the milliseconds of {tgt target, virsh secret + attach-device}. */
    long[] attachAndDetach() throws Exception {
        String password = "rawsecret" + run.substring(0, 6);
        Path backing = backing();
        try (RandomAccessFile f = new RandomAccessFile(backing.toFile(), "rw")) {
            f.setLength(1L << 30);
        }
        long t0 = System.nanoTime();
        int tid = newTgtTarget();
        Peers.tgtadm("--mode", "logicalunit", "--op", "new", "--tid", "" + tid, "--lun", "1", "--backing-store", backing.toString());
        Peers.tgtadm("--mode", "target", "--op", "bind", "--tid", "" + tid, "--initiator-name", initiator);
        Peers.tgtadm("--mode", "account", "--op", "new", "--user", user, "--password", password);
        Peers.tgtadm("--mode", "account", "--op", "bind", "--tid", "" + tid, "--user", user);
        long t1 = System.nanoTime();
        String usage = "spindle-itest-raw-" + run;
        Peers.virsh("secret-define", write("secret.xml", "<secret ephemeral='no' private='yes'><uuid>" + secret
                + "</uuid><usage type='iscsi'><target>" + usage + "</target></usage></secret>"));
        Peers.virsh("secret-set-value", secret.toString(), Base64.getEncoder().encodeToString(password.getBytes(StandardCharsets.UTF_8)));
        String diskXml = write("raw-disk.xml", "<disk type='network' device='disk'><driver name='qemu' type='raw' cache='none'/>"
                + "<source protocol='iscsi' name='" + iqn + "/1'><host name='127.0.0.1' port='3260'/>"
                + "<initiator><iqn name='" + initiator + "'/></initiator>"
                + "<auth username='" + user + "'><secret type='iscsi' usage='" + usage + "'/></auth></source>"
                + "<target dev='sdz' bus='scsi'/><iotune><read_bytes_sec>" + 10 * MIB + "</read_bytes_sec><write_bytes_sec>"
                + 10 * MIB + "</write_bytes_sec><read_iops_sec>400</read_iops_sec><write_iops_sec>200</write_iops_sec></iotune>"
                + "<alias name='ua-itest-raw'/></disk>");
        Peers.virsh("attach-device", vm, diskXml, "--live", "--config");
        long t2 = System.nanoTime();
        assertTrue("the hand-made disk is in the live XML", LibvirtVm.validDomain(Peers.virsh("dumpxml", vm)).contains("ua-itest-raw"));
        assertEquals("QEMU logged in to the hand-made target", List.of(initiator), Peers.tgtSessions(iqn));
        Peers.virsh("detach-device", vm, diskXml, "--live", "--config");
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (Peers.virsh("dumpxml", vm).contains("ua-itest-raw")) {
            assertTrue("the hand-made disk did not leave the VM in 20 s", System.nanoTime() < deadline);
            Thread.sleep(100);
        }
        Peers.virsh("secret-undefine", secret.toString());
        cleanUp();
        return new long[] {(t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000};
    }

    /** Removes the secret, the tgt target and account and the backing file, whichever exist; idempotent. */
    void cleanUp() throws IOException {
        Commands.run("virsh", "-c", Peers.LIBVIRT_URI, "secret-undefine", secret.toString());
        int tid = Commands.run("tgtadm", "--lld", "iscsi", "--mode", "target", "--op", "show").exit() == 0 ? Peers.tgtTarget(iqn) : -1;
        if (tid > 0) {
            Commands.run("tgtadm", "--lld", "iscsi", "--mode", "target", "--op", "delete", "--force", "--tid", "" + tid);
        }
        Commands.run("tgtadm", "--lld", "iscsi", "--mode", "account", "--op", "delete", "--user", user);
        Files.deleteIfExists(backing());
    }

    private Path backing() {
        return work.resolve("raw-" + run + ".img");
    }

    /** A new tgt target; tids are shared with the simulator and other users of tgtd: try free ones. */
    private int newTgtTarget() {
        for (int tid = 700; tid < 1000; tid++) {
            if (Commands.run("tgtadm", "--lld", "iscsi", "--mode", "target", "--op", "new", "--tid", "" + tid,
                    "--targetname", iqn).exit() == 0) {
                return tid;
            }
        }
        throw new AssertionError("no free tgt target id");
    }

    private String write(String name, String content) throws IOException {
        Path f = work.resolve(name);
        Files.writeString(f, content);
        return f.toString();
    }
}
