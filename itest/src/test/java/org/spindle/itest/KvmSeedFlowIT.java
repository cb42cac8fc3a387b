package org.spindle.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.spindle.itest.KvmKarafRig.INITIATOR;
import static org.spindle.itest.KvmKarafRig.MIB;
import static org.spindle.itest.KvmKarafRig.POOL;
import static org.spindle.itest.KvmKarafRig.DEVICE;
import static org.spindle.itest.KvmKarafRig.await;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.After;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.spindle.solidfire.simulator.Views;

/**
 * Issue 4 through Karaf ({@link KvmKarafRig}: the distribution as a process, an Element simulator on real tgt LUNs,
 * the local libvirtd and a running no-OS QEMU VM): a volume goes through the shell from offering to delete, grown
 * while attached on the way (issue 7), and each step is checked on both sides: the simulated SAN volume's QoS and size,
 * the VM's live XML (validated against libvirt's schema), {@code virsh blkdeviotune} and {@code virsh domblkinfo},
 * libvirt's secrets and tgt's sessions and targets.
 *
 * <p>It also measures, in the same run, the attach through Karaf beside the same kind of attach by hand (tgtadm
 * target, virsh secret + attach-device), and prints both. What a test made is removed after it, also when it fails.
 */
public class KvmSeedFlowIT {
    private static KvmKarafRig rig;
    private static HandAttach byHand;

    @BeforeClass
    public static void start() throws Exception {
        rig = KvmKarafRig.start("seed");
        byHand = new HandAttach(rig.vmName, INITIATOR, rig.work, rig.run);
    }

    @After
    public void removeVolumes() throws Exception {
        rig.removeVolumes();
    }

    @AfterClass
    public static void cleanUp() throws Exception {
        try {
            if (byHand != null) {
                byHand.cleanUp();
            }
        } finally {
            if (rig != null) {
                rig.close();
            }
        }
    }

    @Test
    public void seedFlowToARunningVm() throws Exception {
        // by hand first, with the same kind of disk: QEMU's first hot-plug on this VM is not billed to Spindle
        long[] raw = byHand.attachAndDetach();

        JsonNode kv1 = KarafProcess.jsons(rig.karaf.ok("storage:offering-create --tags kvm --min-iops 500 --max-iops 1000 --burst-iops 1500 "
                + "--read-iops 400 --write-iops 200 --read-bps 10M --write-bps 10M --custom-iops kvmgold",
                "storage:volume-create --offering kvmgold --size 1G " + rig.volume("kv1"), "storage:volume-show --json kv1")).get(0);
        assertEquals("ALLOCATED", kv1.path("state").asText());
        assertEquals(POOL, kv1.path("pool").asText());
        UUID id = UUID.fromString(kv1.path("id").asText());
        assertEquals("nothing on the SAN before the attach", List.of(), rig.sim.volumes());

        // ---- attach
        Timed attach = timedAttach("kv1");
        String device = attach.device;
        assertEquals("ATTACHED", rig.karaf.json("storage:volume-show --json kv1").path("state").asText());
        assertEquals(1, rig.sim.volumes().size());
        Views.Volume onSan = rig.sim.volumes().get(0);
        assertEquals("storage QoS on the SAN", List.of(500L, 1000L, 1500L), List.of(onSan.minIOPS(), onSan.maxIOPS(), onSan.burstIOPS()));
        assertEquals(id.toString(), onSan.attributes().get("spindle-uuid"));
        String disk = rig.vm.liveDisk(id);
        assertTrue(disk, disk.contains("<source protocol='iscsi' name='" + onSan.iqn() + "/" + rig.sim.lun() + "'"));
        assertTrue(disk, disk.contains("<host name='127.0.0.1' port='3260'/>"));
        assertTrue(disk, disk.contains("<iqn name='" + INITIATOR + "'/>"));
        Views.Account account = rig.sim.accounts().stream().filter(a -> a.accountID() == onSan.accountID()).findFirst().orElseThrow();
        assertTrue(disk, disk.contains("<auth username='" + account.username() + "'>"));
        assertTrue(disk, disk.contains("<target dev='" + device + "' bus='scsi'/>"));
        for (String element : List.of("<read_iops_sec>400</read_iops_sec>", "<write_iops_sec>200</write_iops_sec>",
                "<read_bytes_sec>" + 10 * MIB + "</read_bytes_sec>", "<write_bytes_sec>" + 10 * MIB + "</write_bytes_sec>")) {
            assertTrue(element + " in " + disk, disk.contains(element));
        }
        assertFalse("no CHAP secret in the domain XML", disk.contains(account.initiatorSecret()));
        assertEquals("libvirt holds the CHAP secret of kv1 on " + rig.vmName, 1, rig.vm.secrets().size());
        assertEquals("QEMU logged in to the volume's target", List.of(INITIATOR), Peers.tgtSessions(onSan.iqn()));

        // ---- QoS change within the offering's bounds (it allows custom IOPS): a burst below the max is refused
        String refused = rig.karaf.fails("storage:volume-qos --read-iops 800 --max-iops 900 --burst-iops 800 kv1");
        assertTrue(refused, refused.contains("burst-iops"));
        rig.karaf.ok("storage:volume-qos --read-iops 800 --max-iops 800 --burst-iops 1200 kv1");
        Map<String, Long> tune = rig.vm.blkdeviotune(device);
        assertEquals("live read IOPS: " + tune, Long.valueOf(800), tune.get("read_iops_sec"));
        assertEquals("kept: " + tune, Long.valueOf(200), tune.get("write_iops_sec"));
        assertEquals("kept: " + tune, Long.valueOf(10 * MIB), tune.get("read_bytes_sec"));
        assertEquals("kept: " + tune, Long.valueOf(10 * MIB), tune.get("write_bytes_sec"));
        Views.Volume changed = rig.sim.volume(onSan.volumeID()).orElseThrow();
        assertEquals(List.of(500L, 800L, 1200L), List.of(changed.minIOPS(), changed.maxIOPS(), changed.burstIOPS()));

        // ---- grow while attached (issue 7): the SAN volume grows, then QEMU re-reads the LUN and the guest's disk has
        // the new capacity (virsh domblkinfo asks the running QEMU)
        long before = rig.vm.capacity(device);
        assertTrue("1 GiB before the resize: " + before, before >= 1L << 30 && before < 2L << 30);
        long r0 = System.nanoTime();
        JsonNode grown = KarafProcess.jsons(rig.karaf.ok("storage:volume-resize kv1 2G", "storage:volume-show --json kv1")).get(0);
        System.out.printf("KvmSeedFlowIT: volume-resize of the attached volume + volume-show, one shell session: %d ms%n",
                (System.nanoTime() - r0) / 1_000_000);
        assertEquals(grown.toString(), "ATTACHED", grown.path("state").asText());
        assertEquals(grown.toString(), 2L << 30, grown.path("sizeBytes").asLong());
        assertTrue("the SAN volume grew", rig.sim.volume(onSan.volumeID()).orElseThrow().totalSize() >= 2L << 30);
        assertEquals("the disk's capacity as the running VM sees it (virsh domblkinfo " + rig.vmName + " " + device + ")", 2L << 30,
                rig.vm.capacity(device));
        assertEquals("the grown disk keeps its iotune: " + rig.vm.blkdeviotune(device), Long.valueOf(800),
                rig.vm.blkdeviotune(device).get("read_iops_sec"));

        // ---- detach
        assertEquals("READY", KarafProcess.jsons(rig.karaf.ok("storage:volume-detach kv1", "storage:volume-show --json kv1")).get(0)
                .path("state").asText());
        String live = rig.vm.liveXml();
        assertFalse("the disk left the running VM", live.contains(LibvirtVm.alias(id)));
        assertFalse("the disk left the persistent config", rig.vm.configXml().contains(LibvirtVm.alias(id)));
        assertEquals("no Spindle secret left for " + rig.vmName, List.of(), rig.vm.secrets());
        await("the tgt session of " + INITIATOR + " ends", () -> Peers.tgtSessions(onSan.iqn()).isEmpty());
        assertEquals(List.of(), rig.sim.volume(onSan.volumeID()).orElseThrow().volumeAccessGroups());

        // ---- delete
        rig.karaf.ok("storage:volume-delete kv1");
        assertTrue("the SAN volume is deleted and purged", rig.sim.volume(onSan.volumeID()).isEmpty());
        assertEquals("the tgt target is gone", -1, Peers.tgtTarget(onSan.iqn()));

        // ---- a second volume, Karaf and the connections warm
        rig.karaf.ok("storage:volume-create --offering kvmgold --size 1G " + rig.volume("kv2"));
        Timed warm = timedAttach("kv2");
        rig.karaf.ok("storage:volume-detach kv2", "storage:volume-delete kv2");
        assertEquals(List.of(), rig.sim.volumes());

        String report = String.format("KvmSeedFlowIT attach times, ms (one run each):%n"
                        + "  through Karaf, storage:volume-attach (core + SolidFire driver: CreateVolume incl. its tgt target, grant;"
                        + " KVM service: secret, disk with iotune, read back):%n"
                        + "    first volume:  %d in the session (ssh session round trip %d)%n"
                        + "    second volume: %d in the session (ssh session round trip %d)%n"
                        + "  by hand, same VM, same kind of disk: tgtadm target + LUN + ACL + CHAP account %d,"
                        + " virsh secret-define + secret-set-value + attach-device %d, total %d%n",
                attach.inSession, attach.roundTrip, warm.inSession, warm.roundTrip, raw[0], raw[1], raw[0] + raw[1]);
        System.out.print(report);
        Files.writeString(rig.work.resolve("attach-timing.txt"), report);
    }

    private record Timed(String device, long inSession, long roundTrip) {
    }

    /** volume-attach between two clock readings taken in the same shell session, so the session's start is not counted. */
    private static Timed timedAttach(String volume) throws Exception {
        long t0 = System.nanoTime();
        KarafProcess.Result r = rig.karaf.ok("t0 = ((new java.util.Date) getTime)", "storage:volume-attach " + volume + " " + rig.vmName,
                "t1 = ((new java.util.Date) getTime)", "echo ATTACH-MS $t0 $t1");
        long roundTrip = (System.nanoTime() - t0) / 1_000_000;
        Matcher ms = Pattern.compile("ATTACH-MS (\\d+) (\\d+)").matcher(r.output());
        Matcher dev = DEVICE.matcher(r.output());
        assertTrue(r.output(), ms.find() && dev.find());
        return new Timed(dev.group(1), Long.parseLong(ms.group(2)) - Long.parseLong(ms.group(1)), roundTrip);
    }

}
