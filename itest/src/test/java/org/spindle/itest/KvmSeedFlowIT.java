package org.spindle.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.spindle.solidfire.simulator.ElementSimulator;
import org.spindle.solidfire.simulator.Views;

/**
 * Issue 4 through Karaf: the distribution as a process, its SolidFire driver pointed at an Element simulator in this
 * JVM (real tgt LUNs, {@code target.lun = 1}) and its KVM attach service at the local libvirtd ({@code qemu:///system}),
 * both configured by {@code etc/*.cfg} files, and a running no-OS QEMU (TCG) VM defined by the test. A volume goes
 * through the shell from offering to delete, grown while attached on the way (issue 7), and each step is checked on
 * both sides: the simulated SAN volume's QoS and size, the VM's live XML, {@code virsh blkdeviotune} and
 * {@code virsh domblkinfo}, libvirt's secrets and tgt's sessions and targets.
 *
 * <p>{@link #staticPoolToARunningVm} does the same for a static pool: a libvirt {@code dir} pool the test defines,
 * registered in the running distribution through {@code etc/org.spindle.storage.pool.static-*.cfg} and the KVM
 * configuration's {@code structures}; its volumes are files in that pool, attached as {@code type='volume'} disks.
 *
 * <p>It also measures, in the same run, the attach through Karaf beside the same kind of attach by hand (tgtadm
 * target, virsh secret + attach-device), and prints both. Everything it made (VM, secrets, targets, the distribution)
 * is removed afterwards, also when it fails.
 */
public class KvmSeedFlowIT {
    private static final Duration READY = Duration.ofSeconds(120);
    private static final String POOL = "sfv";
    private static final String ZONE = "zkvm";
    private static final String HOST = "local";
    private static final String INITIATOR = "iqn.2026-11.org.spindle.itest:local";
    private static final long MIB = 1024 * 1024;
    private static final Pattern DEVICE = Pattern.compile(" as (sd[a-z]+)");

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String VM = "spindle-itest-" + RUN;

    /** The static pool: its Spindle name, the libvirt dir pool (its structure) and that pool's directory. */
    private static final String STATIC_POOL = "kvmdir";
    private static final String LIBVIRT_POOL = "spindle-itest-dir-" + RUN;

    private static ElementSimulator sim;
    private static KarafProcess karaf;
    private static boolean vmDefined;
    private static LibvirtVm vm;
    private static HandAttach byHand;
    private static Path work;
    private static Path poolDir;

    @BeforeClass
    public static void start() throws Exception {
        Peers.requireTgt();
        Peers.requireLibvirt();
        work = Files.createDirectories(Paths.get("target/kvm-seed").toAbsolutePath());
        vmDefined = true;
        vm = LibvirtVm.define(VM, work);
        byHand = new HandAttach(VM, INITIATOR, work, RUN);
        sim = ElementSimulator.builder().uniqueId("itv" + RUN).tgt(ElementSimulator.TgtMode.ON)
                .credentials("admin", "pw-" + UUID.randomUUID()).start();

        karaf = KarafProcess.unpack(Paths.get(System.getProperty("spindle.distribution.tar")), work.resolve("spindle"));
        Files.writeString(karaf.home.resolve("etc/org.spindle.driver.solidfire-" + POOL + ".cfg"),
                "mvip = " + sim.url().replaceFirst("^https://", "") + "\nusername = " + sim.adminUser() + "\n.password = "
                        + sim.adminPassword() + "\ntls.fingerprint.sha256 = " + sim.certificateSha256() + "\nstorage.pool = "
                        + POOL + "\nstorage.zone = " + ZONE + "\nstorage.tags = kvm\ntarget.lun = " + sim.lun() + "\n");
        Files.writeString(karaf.home.resolve("etc/org.spindle.hyper.kvm-" + HOST + ".cfg"),
                "libvirt.uri = " + Peers.LIBVIRT_URI + "\nhypervisor.host = " + HOST + "\nstorage.zone = " + ZONE
                        + "\ninitiator.iqn = " + INITIATOR + "\ndisk.bus = scsi\n");
        long t0 = System.nanoTime();
        karaf.start();
        karaf.awaitClient(READY, r -> r.exit() == 0 && r.output().contains("\"" + POOL + "\"") && r.output().contains("\"available\" : true")
                        && r.output().contains("\"" + HOST + "\"") && r.output().contains("BOUND"),
                "storage:pool-list --json", "storage:hypervisor-list --json");
        System.out.printf("KvmSeedFlowIT: bin/start -> pool %s and KVM host %s ready in %.1f s%n", POOL, HOST, (System.nanoTime() - t0) / 1e9);
    }

    @AfterClass
    public static void cleanUp() throws Exception {
        List<Throwable> problems = new ArrayList<>();
        step(problems, () -> {
            if (karaf != null) {
                karaf.close();
            }
        });
        step(problems, KvmSeedFlowIT::removeLibvirtPool);
        step(problems, () -> {
            if (vmDefined) {
                LibvirtVm.remove(VM);
            }
        });
        step(problems, () -> {
            // Spindle's secrets for this VM (usage spindle/<vm uuid>/<volume>)
            for (String uuid : vm == null ? List.<String>of() : vm.secrets()) {
                Peers.run("virsh", "-c", Peers.LIBVIRT_URI, "secret-undefine", uuid);
            }
        });
        step(problems, () -> {
            if (byHand != null) {
                byHand.cleanUp();
            }
        });
        step(problems, () -> {
            if (sim != null) {
                sim.close();
            }
        });
        if (!problems.isEmpty()) {
            AssertionError e = new AssertionError("clean-up failed");
            problems.forEach(e::addSuppressed);
            throw e;
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void step(List<Throwable> problems, Step step) {
        try {
            step.run();
        } catch (Exception | AssertionError e) {
            problems.add(e);
        }
    }

    @Test
    public void seedFlowToARunningVm() throws Exception {
        // by hand first, with the same kind of disk: QEMU's first hot-plug on this VM is not billed to Spindle
        long[] raw = byHand.attachAndDetach();

        JsonNode kv1 = KarafProcess.jsons(karaf.ok("storage:offering-create --tags kvm --min-iops 500 --max-iops 1000 --burst-iops 1500 "
                + "--read-iops 400 --write-iops 200 --read-bps 10M --write-bps 10M kvmgold",
                "storage:volume-create --offering kvmgold --size 1G kv1", "storage:volume-show --json kv1")).get(0);
        assertEquals("ALLOCATED", kv1.path("state").asText());
        assertEquals(POOL, kv1.path("pool").asText());
        UUID id = UUID.fromString(kv1.path("id").asText());
        assertEquals("nothing on the SAN before the attach", List.of(), sim.volumes());

        // ---- attach
        Timed attach = timedAttach("kv1");
        String device = attach.device;
        assertEquals("ATTACHED", karaf.json("storage:volume-show --json kv1").path("state").asText());
        assertEquals(1, sim.volumes().size());
        Views.Volume onSan = sim.volumes().get(0);
        assertEquals("storage QoS on the SAN", List.of(500L, 1000L, 1500L), List.of(onSan.minIOPS(), onSan.maxIOPS(), onSan.burstIOPS()));
        assertEquals(id.toString(), onSan.attributes().get("spindle-uuid"));
        String disk = vm.liveDisk(id);
        assertTrue(disk, disk.contains("<source protocol='iscsi' name='" + onSan.iqn() + "/" + sim.lun() + "'"));
        assertTrue(disk, disk.contains("<host name='127.0.0.1' port='3260'/>"));
        assertTrue(disk, disk.contains("<iqn name='" + INITIATOR + "'/>"));
        Views.Account account = sim.accounts().stream().filter(a -> a.accountID() == onSan.accountID()).findFirst().orElseThrow();
        assertTrue(disk, disk.contains("<auth username='" + account.username() + "'>"));
        assertTrue(disk, disk.contains("<target dev='" + device + "' bus='scsi'/>"));
        for (String element : List.of("<read_iops_sec>400</read_iops_sec>", "<write_iops_sec>200</write_iops_sec>",
                "<read_bytes_sec>" + 10 * MIB + "</read_bytes_sec>", "<write_bytes_sec>" + 10 * MIB + "</write_bytes_sec>")) {
            assertTrue(element + " in " + disk, disk.contains(element));
        }
        assertFalse("no CHAP secret in the domain XML", disk.contains(account.initiatorSecret()));
        assertEquals("libvirt holds the CHAP secret of kv1 on " + VM, 1, vm.secrets().size());
        assertEquals("QEMU logged in to the volume's target", List.of(INITIATOR), Peers.tgtSessions(onSan.iqn()));

        // ---- QoS change: a larger max needs a burst at least as large (the current 1500 is kept otherwise)
        String refused = karaf.fails("storage:volume-qos --read-iops 800 --max-iops 2000 kv1");
        assertTrue(refused, refused.contains("burst-iops"));
        karaf.ok("storage:volume-qos --read-iops 800 --max-iops 2000 --burst-iops 3000 kv1");
        Map<String, Long> tune = vm.blkdeviotune(device);
        assertEquals("live read IOPS: " + tune, Long.valueOf(800), tune.get("read_iops_sec"));
        assertEquals("kept: " + tune, Long.valueOf(200), tune.get("write_iops_sec"));
        assertEquals("kept: " + tune, Long.valueOf(10 * MIB), tune.get("read_bytes_sec"));
        assertEquals("kept: " + tune, Long.valueOf(10 * MIB), tune.get("write_bytes_sec"));
        Views.Volume changed = sim.volume(onSan.volumeID()).orElseThrow();
        assertEquals(List.of(500L, 2000L, 3000L), List.of(changed.minIOPS(), changed.maxIOPS(), changed.burstIOPS()));

        // ---- grow while attached (issue 7): the SAN volume grows, then QEMU re-reads the LUN and the guest's disk has
        // the new capacity (virsh domblkinfo asks the running QEMU)
        long before = vm.capacity(device);
        assertTrue("1 GiB before the resize: " + before, before >= 1L << 30 && before < 2L << 30);
        long r0 = System.nanoTime();
        JsonNode grown = KarafProcess.jsons(karaf.ok("storage:volume-resize kv1 2G", "storage:volume-show --json kv1")).get(0);
        System.out.printf("KvmSeedFlowIT: volume-resize of the attached volume + volume-show, one bin/client session: %d ms%n",
                (System.nanoTime() - r0) / 1_000_000);
        assertEquals(grown.toString(), "ATTACHED", grown.path("state").asText());
        assertEquals(grown.toString(), 2L << 30, grown.path("sizeBytes").asLong());
        assertTrue("the SAN volume grew", sim.volume(onSan.volumeID()).orElseThrow().totalSize() >= 2L << 30);
        assertEquals("the disk's capacity as the running VM sees it (virsh domblkinfo " + VM + " " + device + ")", 2L << 30,
                vm.capacity(device));
        assertEquals("the grown disk keeps its iotune: " + vm.blkdeviotune(device), Long.valueOf(800),
                vm.blkdeviotune(device).get("read_iops_sec"));

        // ---- detach
        assertEquals("READY", KarafProcess.jsons(karaf.ok("storage:volume-detach kv1", "storage:volume-show --json kv1")).get(0)
                .path("state").asText());
        String live = Peers.virsh("dumpxml", VM);
        assertFalse("the disk left the running VM", live.contains(LibvirtVm.alias(id)));
        assertFalse("the disk left the persistent config", Peers.virsh("dumpxml", "--inactive", VM).contains(LibvirtVm.alias(id)));
        assertEquals("no Spindle secret left for " + VM, List.of(), vm.secrets());
        await("the tgt session of " + INITIATOR + " ends", () -> Peers.tgtSessions(onSan.iqn()).isEmpty());
        assertEquals(List.of(), sim.volume(onSan.volumeID()).orElseThrow().volumeAccessGroups());

        // ---- delete
        karaf.ok("storage:volume-delete kv1");
        assertTrue("the SAN volume is deleted and purged", sim.volume(onSan.volumeID()).isEmpty());
        assertEquals("the tgt target is gone", -1, Peers.tgtTarget(onSan.iqn()));

        // ---- a second volume, Karaf and the connections warm
        karaf.ok("storage:volume-create --offering kvmgold --size 1G kv2");
        Timed warm = timedAttach("kv2");
        karaf.ok("storage:volume-detach kv2", "storage:volume-delete kv2");
        assertEquals(List.of(), sim.volumes());

        String report = String.format("KvmSeedFlowIT attach times, ms (one run each):%n"
                        + "  through Karaf, storage:volume-attach (core + SolidFire driver: CreateVolume incl. its tgt target, grant;"
                        + " KVM service: secret, disk with iotune, read back):%n"
                        + "    first volume:  %d in the session (bin/client round trip %d)%n"
                        + "    second volume: %d in the session (bin/client round trip %d)%n"
                        + "  by hand, same VM, same kind of disk: tgtadm target + LUN + ACL + CHAP account %d,"
                        + " virsh secret-define + secret-set-value + attach-device %d, total %d%n",
                attach.inSession, attach.roundTrip, warm.inSession, warm.roundTrip, raw[0], raw[1], raw[0] + raw[1]);
        System.out.print(report);
        Files.writeString(work.resolve("attach-timing.txt"), report);
    }

    /**
     * An attach the SAN refuses after the core made the SAN volume: Element fails the access group calls (the group
     * made with the volume, or the volume added to the existing group), as a cluster at its access group limit does.
     * Nothing is left on either side: no access group holds the volume, no libvirt secret, no disk in the VM, no iSCSI
     * session; the volume is READY and a retry attaches it.
     */
    @Test
    public void attachRefusedByTheSanLeavesNothingOnEitherSide() throws Exception {
        karaf.ok("storage:offering-create --tags kvm --min-iops 100 --max-iops 1000 --read-iops 300 kvmrefused",
                "storage:volume-create --offering kvmrefused --size 1G kvr");
        UUID id = UUID.fromString(karaf.json("storage:volume-show --json kvr").path("id").asText());
        String refusal = "access group limit reached (test)";
        sim.faults().failNext("CreateVolumeAccessGroup", 1, "xExceededLimit", refusal)
                .failNext("AddVolumesToVolumeAccessGroup", 1, "xExceededLimit", refusal);
        String error;
        try {
            error = karaf.fails("storage:volume-attach kvr " + VM);
        } finally {
            sim.faults().clear();
        }
        assertTrue(error, error.contains(refusal));
        assertEquals("READY", karaf.json("storage:volume-show --json kvr").path("state").asText());
        Views.Volume onSan = sim.volumes().stream().filter(v -> id.toString().equals(v.attributes().get("spindle-uuid")))
                .findFirst().orElseThrow(() -> new AssertionError("the SAN volume was made before the grant: " + sim.volumes()));
        assertEquals("the volume is in no access group", List.of(), onSan.volumeAccessGroups());
        assertTrue("no access group lists the volume: " + sim.accessGroups(),
                sim.accessGroups().stream().noneMatch(g -> g.volumes().contains(onSan.volumeID())));
        assertEquals("no libvirt secret for " + VM, List.of(), vm.secrets());
        assertFalse("no disk in the running VM", Peers.virsh("dumpxml", VM).contains(LibvirtVm.alias(id)));
        assertFalse("no disk in the persistent config", Peers.virsh("dumpxml", "--inactive", VM).contains(LibvirtVm.alias(id)));
        assertEquals("no iSCSI session", List.of(), Peers.tgtSessions(onSan.iqn()));

        // the retry attaches it, then everything goes
        assertEquals("ATTACHED", KarafProcess.jsons(karaf.ok("storage:volume-attach kvr " + VM, "storage:volume-show --json kvr")).get(0)
                .path("state").asText());
        assertFalse(sim.volume(onSan.volumeID()).orElseThrow().volumeAccessGroups().isEmpty());
        assertEquals(1, vm.secrets().size());
        assertTrue(vm.liveDisk(id), vm.liveDisk(id).contains("<read_iops_sec>300</read_iops_sec>"));
        karaf.ok("storage:volume-detach kvr", "storage:volume-delete kvr", "storage:offering-delete kvmrefused");
        assertEquals(List.of(), vm.secrets());
        assertTrue("the SAN volume is deleted", sim.volume(onSan.volumeID()).isEmpty());
    }

    /**
     * Issue 4, static pools: a libvirt {@code dir} pool the operator defined, registered as static Spindle pool
     * {@value #STATIC_POOL} by {@code etc/org.spindle.storage.pool.static-kvmdir.cfg} and offered by the KVM host
     * ({@code structures}), both written while the distribution runs. A volume is a file only from its attach on, is
     * attached as a {@code type='volume'} disk with the offering's limits, and its file goes with the volume.
     */
    @Test
    public void staticPoolToARunningVm() throws Exception {
        Path kvmCfg = karaf.home.resolve("etc/org.spindle.hyper.kvm-" + HOST + ".cfg");
        Path staticCfg = karaf.home.resolve("etc/" + STATIC_POOL_PID + "-" + STATIC_POOL + ".cfg");
        String kvmCfgBefore = Files.readString(kvmCfg);
        try {
            poolDir = Files.createTempDirectory("spindle-itest-pool");
            // QEMU runs as libvirt-qemu: the directory must be traversable (libvirt chowns the volume itself)
            Files.setPosixFilePermissions(poolDir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            Peers.virsh("pool-define-as", LIBVIRT_POOL, "dir", "--target", poolDir.toString());
            Peers.virsh("pool-start", LIBVIRT_POOL);

            Files.writeString(staticCfg, "name = " + STATIC_POOL + "\nzone = " + ZONE + "\ntags = " + STATIC_POOL
                    + "\nstructure = " + LIBVIRT_POOL + "\ncapacity.bytes = " + (4L << 30) + "\n");
            karaf.setProperty("etc/org.spindle.hyper.kvm-" + HOST + ".cfg", "structures", LIBVIRT_POOL);
            long t0 = System.nanoTime();
            JsonNode[] seen = new JsonNode[2];
            await(Duration.ofSeconds(60), "static pool " + STATIC_POOL + " available and KVM host " + HOST + " offering "
                    + LIBVIRT_POOL, () -> {
                List<JsonNode> lists = KarafProcess.jsons(karaf.ok("storage:pool-list --json", "storage:hypervisor-list --json"));
                seen[0] = byField(lists.get(0), "name", STATIC_POOL);
                seen[1] = byField(lists.get(1), "service", HOST);
                return seen[0] != null && seen[0].path("available").asBoolean() && seen[1] != null
                        && "BOUND".equals(seen[1].path("status").asText()) && texts(seen[1].path("structures")).contains(LIBVIRT_POOL);
            });
            System.out.printf("KvmSeedFlowIT: static pool %s and structures of %s picked up in %.1f s%n", STATIC_POOL, HOST,
                    (System.nanoTime() - t0) / 1e9);
            JsonNode pool = seen[0];
            assertFalse(pool.toString(), pool.path("managed").asBoolean(true));
            assertEquals(pool.toString(), "static", pool.path("driverType").asText());
            assertEquals(pool.toString(), "file", pool.path("protocol").asText());
            assertEquals(pool.toString(), ZONE, pool.path("zone").asText());
            assertEquals(pool.toString(), List.of(STATIC_POOL), texts(pool.path("tags")));
            JsonNode host = seen[1];
            assertTrue(host.toString(), texts(host.path("protocols")).containsAll(List.of("iscsi", "file")));

            // ---- a guarantee on a static pool: nobody would enforce it (batch mode stops at the refused command)
            KarafProcess.Result refusal = karaf.client("storage:offering-create --tags " + STATIC_POOL + " --min-iops 100 "
                    + "--read-iops 300 dirmin", "storage:volume-create --offering dirmin --size 64M sv0");
            String refused = refusal.output();
            assertTrue(refused, refusal.exit() != 0 && refused.contains("Offering dirmin created"));
            assertTrue(refused, refused.contains("min-iops 100 cannot be guaranteed") && refused.contains("static pool"));

            // ---- hypervisor limits only
            List<JsonNode> shown = KarafProcess.jsons(karaf.ok("storage:volume-list --json", "storage:offering-create --tags "
                    + STATIC_POOL + " --read-iops 300 --write-iops 150 --read-bps 5M --write-bps 5M dirlim",
                    "storage:volume-create --offering dirlim --size 64M sv1", "storage:volume-show --json sv1"));
            assertTrue("nothing recorded for the refused volume: " + shown.get(0), byField(shown.get(0), "name", "sv0") == null);
            JsonNode sv1 = shown.get(1);
            assertEquals(sv1.toString(), "ALLOCATED", sv1.path("state").asText());
            assertEquals(sv1.toString(), STATIC_POOL, sv1.path("pool").asText());
            UUID id = UUID.fromString(sv1.path("id").asText());
            String file = "spindle-" + id + ".raw";
            assertFalse("no libvirt volume before the attach", poolVolumes().contains(file));

            // ---- attach: the volume is made in the libvirt pool and attached as a volume disk
            KarafProcess.Result attached = karaf.ok("storage:volume-attach sv1 " + VM, "storage:volume-show --json sv1");
            assertEquals("ATTACHED", KarafProcess.jsons(attached).get(0).path("state").asText());
            assertTrue("the libvirt pool has " + file, poolVolumes().contains(file));
            assertTrue(Files.exists(poolDir.resolve(file)));
            String info = Peers.virsh("vol-info", "--pool", LIBVIRT_POOL, file);
            assertTrue(info, info.matches("(?s).*Capacity:\\s+64\\.00 MiB.*"));
            String disk = vm.liveDisk(id);
            assertTrue(disk, disk.startsWith("<disk type='volume' device='disk'>"));
            assertTrue(disk, disk.contains("<source pool='" + LIBVIRT_POOL + "' volume='" + file + "'"));
            Matcher dev = DEVICE.matcher(attached.output());
            assertTrue(attached.output(), dev.find());
            assertTrue(disk, disk.contains("<target dev='" + dev.group(1) + "' bus='scsi'/>"));
            for (String element : List.of("<read_iops_sec>300</read_iops_sec>", "<write_iops_sec>150</write_iops_sec>",
                    "<read_bytes_sec>" + 5 * MIB + "</read_bytes_sec>", "<write_bytes_sec>" + 5 * MIB + "</write_bytes_sec>")) {
                assertTrue(element + " in " + disk, disk.contains(element));
            }
            Map<String, Long> tune = vm.blkdeviotune(dev.group(1));
            assertEquals("live read IOPS: " + tune, Long.valueOf(300), tune.get("read_iops_sec"));

            // ---- detach: the disk leaves the VM, the file stays with the volume
            assertEquals("READY", KarafProcess.jsons(karaf.ok("storage:volume-detach sv1", "storage:volume-show --json sv1")).get(0)
                    .path("state").asText());
            assertFalse("the disk left the running VM", Peers.virsh("dumpxml", VM).contains(LibvirtVm.alias(id)));
            assertFalse("the disk left the persistent config", Peers.virsh("dumpxml", "--inactive", VM).contains(LibvirtVm.alias(id)));
            assertTrue("the volume keeps its file while it exists", poolVolumes().contains(file));

            // ---- delete: the libvirt volume goes
            karaf.ok("storage:volume-delete sv1", "storage:offering-delete dirlim", "storage:offering-delete dirmin");
            assertFalse("the libvirt volume is deleted", poolVolumes().contains(file));
            assertFalse(Files.exists(poolDir.resolve(file)));
        } finally {
            // leave the distribution as the other test expects it, then the pool
            Files.deleteIfExists(staticCfg);
            Files.writeString(kvmCfg, kvmCfgBefore);
            removeLibvirtPool();
            // the KVM host re-registers without the structure: the other test attaches through it
            await(Duration.ofSeconds(60), "KVM host " + HOST + " bound again without " + LIBVIRT_POOL, () -> {
                JsonNode host = byField(karaf.json("storage:hypervisor-list --json"), "service", HOST);
                return host != null && "BOUND".equals(host.path("status").asText())
                        && !texts(host.path("structures")).contains(LIBVIRT_POOL);
            });
        }
    }

    private static final String STATIC_POOL_PID = "org.spindle.storage.pool.static";

    /** Names of the volumes in the test's libvirt pool. */
    private static List<String> poolVolumes() {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^\\s*(\\S+)\\s+/\\S+\\s*$").matcher(Peers.virsh("vol-list", LIBVIRT_POOL));
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** The test's libvirt pool and its directory gone, if they were made; idempotent. */
    private static void removeLibvirtPool() throws IOException {
        if (poolDir == null) {
            return;
        }
        Peers.run("virsh", "-c", Peers.LIBVIRT_URI, "pool-destroy", LIBVIRT_POOL);
        Peers.run("virsh", "-c", Peers.LIBVIRT_URI, "pool-undefine", LIBVIRT_POOL);
        if (Files.isDirectory(poolDir)) {
            try (java.util.stream.Stream<Path> files = Files.list(poolDir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(poolDir);
        }
        poolDir = null;
    }

    private static JsonNode byField(JsonNode array, String field, String value) {
        for (JsonNode n : array) {
            if (value.equals(n.path(field).asText())) {
                return n;
            }
        }
        return null;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    // ---------------------------------------------------------------- attach through Karaf, timed

    private record Timed(String device, long inSession, long roundTrip) {
    }

    /** volume-attach between two clock readings taken in the same shell session, so bin/client's start is not counted. */
    private static Timed timedAttach(String volume) throws Exception {
        long t0 = System.nanoTime();
        KarafProcess.Result r = karaf.ok("t0 = ((new java.util.Date) getTime)", "storage:volume-attach " + volume + " " + VM,
                "t1 = ((new java.util.Date) getTime)", "echo ATTACH-MS $t0 $t1");
        long roundTrip = (System.nanoTime() - t0) / 1_000_000;
        Matcher ms = Pattern.compile("ATTACH-MS (\\d+) (\\d+)").matcher(r.output());
        Matcher dev = DEVICE.matcher(r.output());
        assertTrue(r.output(), ms.find() && dev.find());
        return new Timed(dev.group(1), Long.parseLong(ms.group(2)) - Long.parseLong(ms.group(1)), roundTrip);
    }

    // ---------------------------------------------------------------- misc

    private static void await(String what, Callable<Boolean> condition) throws Exception {
        await(Duration.ofSeconds(20), what, condition);
    }

    private static void await(Duration timeout, String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(100);
        }
    }
}
