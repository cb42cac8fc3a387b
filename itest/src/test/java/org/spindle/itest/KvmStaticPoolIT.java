package org.spindle.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.spindle.itest.KvmKarafRig.MIB;
import static org.spindle.itest.KvmKarafRig.ZONE;
import static org.spindle.itest.KvmKarafRig.HOST;
import static org.spindle.itest.KvmKarafRig.DEVICE;
import static org.spindle.itest.KvmKarafRig.await;
import static org.spindle.itest.KvmKarafRig.byField;
import static org.spindle.itest.KvmKarafRig.texts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
import org.spindle.test.support.Commands;

/**
 * Issue 4, static pools, through Karaf ({@link KvmKarafRig}): a libvirt {@code dir} pool the operator defined,
 * registered in the running distribution through {@code etc/org.spindle.storage.pool.static-*.cfg} and the KVM
 * configuration's {@code structures}; its volumes are files in that pool, attached as {@code type='volume'} disks.
 * The pool and its directory are removed after the test, also when it fails.
 */
public class KvmStaticPoolIT {
    /** The static pool: its Spindle name; the libvirt dir pool (its structure) is named after the run. */
    private static final String STATIC_POOL = "kvmdir";
    private static final String STATIC_POOL_PID = "org.spindle.storage.pool.static";
    private static KvmKarafRig rig;
    private static String libvirtPool;
    private static Path poolDir;

    @BeforeClass
    public static void start() throws Exception {
        rig = KvmKarafRig.start("static");
        libvirtPool = "spindle-itest-dir-" + rig.run;
    }

    @After
    public void removeVolumes() throws Exception {
        try {
            rig.removeVolumes();
        } finally {
            removeLibvirtPool();
        }
    }

    @AfterClass
    public static void cleanUp() throws Exception {
        if (rig != null) {
            rig.close();
        }
    }

    /**
     * Issue 4, static pools: a libvirt {@code dir} pool the operator defined, registered as static Spindle pool
     * {@value #STATIC_POOL} by {@code etc/org.spindle.storage.pool.static-kvmdir.cfg} and offered by the KVM host
     * ({@code structures}), both written while the distribution runs. A volume is a file only from its attach on, is
     * attached as a {@code type='volume'} disk with the offering's limits, and its file goes with the volume.
     */
    @Test
    public void staticPoolToARunningVm() throws Exception {
        Path kvmCfg = rig.karaf.home.resolve("etc/org.spindle.hyper.kvm-" + HOST + ".cfg");
        Path staticCfg = rig.karaf.home.resolve("etc/" + STATIC_POOL_PID + "-" + STATIC_POOL + ".cfg");
        String kvmCfgBefore = Files.readString(kvmCfg);
        try {
            poolDir = Files.createTempDirectory("spindle-itest-pool");
            // QEMU runs as libvirt-qemu: the directory must be traversable (libvirt chowns the volume itself)
            Files.setPosixFilePermissions(poolDir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            Peers.virsh("pool-define-as", libvirtPool, "dir", "--target", poolDir.toString());
            Peers.virsh("pool-start", libvirtPool);

            Files.writeString(staticCfg, "name = " + STATIC_POOL + "\nzone = " + ZONE + "\ntags = " + STATIC_POOL
                    + "\nstructure = " + libvirtPool + "\ncapacity.bytes = " + (4L << 30) + "\n");
            rig.karaf.setProperty("etc/org.spindle.hyper.kvm-" + HOST + ".cfg", "structures", libvirtPool);
            long t0 = System.nanoTime();
            JsonNode[] seen = new JsonNode[2];
            await(Duration.ofSeconds(60), "static pool " + STATIC_POOL + " available and KVM host " + HOST + " offering "
                    + libvirtPool, () -> {
                List<JsonNode> lists = KarafProcess.jsons(rig.karaf.ok("storage:pool-list --json", "storage:hypervisor-list --json"));
                seen[0] = byField(lists.get(0), "name", STATIC_POOL);
                seen[1] = byField(lists.get(1), "service", HOST);
                return seen[0] != null && seen[0].path("available").asBoolean() && seen[1] != null
                        && "BOUND".equals(seen[1].path("status").asText()) && texts(seen[1].path("structures")).contains(libvirtPool);
            });
            System.out.printf("KvmStaticPoolIT: static pool %s and structures of %s picked up in %.1f s%n", STATIC_POOL, HOST,
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
            KarafProcess.Result refusal = rig.karaf.client("storage:offering-create --tags " + STATIC_POOL + " --min-iops 100 "
                    + "--read-iops 300 dirmin", "storage:volume-create --offering dirmin --size 64M " + rig.volume("sv0"));
            String refused = refusal.output();
            assertTrue(refused, refusal.exit() != 0 && refused.contains("Offering dirmin created"));
            assertTrue(refused, refused.contains("min-iops 100 cannot be guaranteed") && refused.contains("static pool"));

            // ---- hypervisor limits only
            List<JsonNode> shown = KarafProcess.jsons(rig.karaf.ok("storage:volume-list --json", "storage:offering-create --tags "
                    + STATIC_POOL + " --read-iops 300 --write-iops 150 --read-bps 5M --write-bps 5M dirlim",
                    "storage:volume-create --offering dirlim --size 64M " + rig.volume("sv1"), "storage:volume-show --json sv1"));
            assertTrue("nothing recorded for the refused volume: " + shown.get(0), byField(shown.get(0), "name", "sv0") == null);
            JsonNode sv1 = shown.get(1);
            assertEquals(sv1.toString(), "ALLOCATED", sv1.path("state").asText());
            assertEquals(sv1.toString(), STATIC_POOL, sv1.path("pool").asText());
            UUID id = UUID.fromString(sv1.path("id").asText());
            String file = "spindle-" + id + ".raw";
            assertFalse("no libvirt volume before the attach", poolVolumes().contains(file));

            // ---- attach: the volume is made in the libvirt pool and attached as a volume disk
            KarafProcess.Result attached = rig.karaf.ok("storage:volume-attach sv1 " + rig.vmName, "storage:volume-show --json sv1");
            assertEquals("ATTACHED", KarafProcess.jsons(attached).get(0).path("state").asText());
            assertTrue("the libvirt pool has " + file, poolVolumes().contains(file));
            assertTrue(Files.exists(poolDir.resolve(file)));
            String info = Peers.virsh("vol-info", "--pool", libvirtPool, file);
            assertTrue(info, info.matches("(?s).*Capacity:\\s+64\\.00 MiB.*"));
            String disk = rig.vm.liveDisk(id);
            assertTrue(disk, disk.startsWith("<disk type='volume' device='disk'>"));
            assertTrue(disk, disk.contains("<source pool='" + libvirtPool + "' volume='" + file + "'"));
            Matcher dev = DEVICE.matcher(attached.output());
            assertTrue(attached.output(), dev.find());
            assertTrue(disk, disk.contains("<target dev='" + dev.group(1) + "' bus='scsi'/>"));
            for (String element : List.of("<read_iops_sec>300</read_iops_sec>", "<write_iops_sec>150</write_iops_sec>",
                    "<read_bytes_sec>" + 5 * MIB + "</read_bytes_sec>", "<write_bytes_sec>" + 5 * MIB + "</write_bytes_sec>")) {
                assertTrue(element + " in " + disk, disk.contains(element));
            }
            Map<String, Long> tune = rig.vm.blkdeviotune(dev.group(1));
            assertEquals("live read IOPS: " + tune, Long.valueOf(300), tune.get("read_iops_sec"));

            // ---- detach: the disk leaves the VM, the file stays with the volume
            assertEquals("READY", KarafProcess.jsons(rig.karaf.ok("storage:volume-detach sv1", "storage:volume-show --json sv1")).get(0)
                    .path("state").asText());
            assertFalse("the disk left the running VM", rig.vm.liveXml().contains(LibvirtVm.alias(id)));
            assertFalse("the disk left the persistent config", rig.vm.configXml().contains(LibvirtVm.alias(id)));
            assertTrue("the volume keeps its file while it exists", poolVolumes().contains(file));

            // ---- delete: the libvirt volume goes
            rig.karaf.ok("storage:volume-delete sv1", "storage:offering-delete dirlim", "storage:offering-delete dirmin");
            assertFalse("the libvirt volume is deleted", poolVolumes().contains(file));
            assertFalse(Files.exists(poolDir.resolve(file)));
        } finally {
            // leave the distribution as the other test expects it, then the pool
            Files.deleteIfExists(staticCfg);
            Files.writeString(kvmCfg, kvmCfgBefore);
            removeLibvirtPool();
            // the KVM host re-registers without the structure: the other test attaches through it
            await(Duration.ofSeconds(60), "KVM host " + HOST + " bound again without " + libvirtPool, () -> {
                JsonNode host = byField(rig.karaf.json("storage:hypervisor-list --json"), "service", HOST);
                return host != null && "BOUND".equals(host.path("status").asText())
                        && !texts(host.path("structures")).contains(libvirtPool);
            });
        }
    }

    /** Names of the volumes in the test's libvirt pool. */
    private static List<String> poolVolumes() {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^\\s*(\\S+)\\s+/\\S+\\s*$").matcher(Peers.virsh("vol-list", libvirtPool));
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
        Commands.run("virsh", "-c", Peers.LIBVIRT_URI, "pool-destroy", libvirtPool);
        Commands.run("virsh", "-c", Peers.LIBVIRT_URI, "pool-undefine", libvirtPool);
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

}
