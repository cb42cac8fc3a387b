package org.spindle.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;
import org.spindle.solidfire.simulator.ElementSimulator;
import org.spindle.solidfire.simulator.Views;

/**
 * The SolidFire driver in the distribution (issue 3, the in-Karaf part): the distribution runs as a process, as
 * {@link RestartIT} runs it, with {@code org.spindle.driver.solidfire-NAME.cfg} files in its {@code etc/} pointing at an
 * Element simulator that runs in this JVM (tgt on: every active volume is a real tgt target). The pool, the volume's
 * life through the shell, the configuration's removal and a rejected configuration are checked on both sides: what
 * {@code storage:} prints, and the simulated cluster's state.
 *
 * <p>One Karaf for the class (a start is ~5-10 s); the tests run in name order and share it: {@code a} and {@code b}
 * use the pool, {@code c} the rejected configuration, {@code d} removes the pool's configuration.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class SolidFireKarafIT {
    private static final Duration READY = Duration.ofSeconds(120);
    private static final String POOL = "sfk";
    private static final String BAD = "sfbad";
    private static final String ZONE = "zsf";
    private static final String HOST = "h1";
    private static final String VM = "vm1";
    /** The initiator the test attach service declares for {@link #HOST}. */
    private static final String INITIATOR = "iqn.2026-11.org.spindle.test:host." + HOST;
    private static final long CLUSTER_IOPS = 123_456;
    private static final long CLUSTER_BYTES = 42L * 1000 * 1000 * 1000 * 1000;

    private static ElementSimulator sim;
    private static KarafProcess karaf;
    private static String wrongPassword;
    /** Element calls per operation, in the order they ran. */
    private static final Map<String, Map<String, Long>> CALLS = new LinkedHashMap<>();

    @BeforeClass
    public static void startSimulatorAndKaraf() throws Exception {
        Peers.requireTgt();
        String run = UUID.randomUUID().toString().substring(0, 8);
        sim = ElementSimulator.builder().uniqueId("itk" + run).tgt(ElementSimulator.TgtMode.ON)
                .credentials("admin", "pw-" + UUID.randomUUID()).clusterMaxIops(CLUSTER_IOPS)
                .maxProvisionedSpace(CLUSTER_BYTES).start();
        wrongPassword = "wrong-" + UUID.randomUUID();

        karaf = KarafProcess.unpack(Paths.get(System.getProperty("spindle.distribution.tar")), Paths.get("target/solidfire-karaf/spindle"));
        Files.copy(Paths.get(System.getProperty("spindle.itest.attach.jar")), karaf.home.resolve("deploy/org.spindle.itest.attach.jar"));
        Files.writeString(karaf.home.resolve("etc/org.spindle.itest.attach-" + HOST + ".config"),
                "hypervisor.host=\"" + HOST + "\"\nstorage.zone=\"" + ZONE + "\"\nstorage.protocols=[\"iscsi\"]\n"
                        + "hypervisor.limits=[\"iops\",\"bps\",\"read-write\",\"total\",\"burst\",\"burst-length\"]\nvms=[\"" + VM + "\"]\n");
        Files.writeString(config(POOL), solidFireConfig(POOL, sim.adminPassword()) + "storage.tags = sfgold\n");
        Files.writeString(config(BAD), solidFireConfig(BAD, wrongPassword));

        long t0 = System.nanoTime();
        karaf.start();
        karaf.awaitClient(READY, r -> r.exit() == 0 && r.output().contains("\"" + POOL + "\"") && r.output().contains("\"" + HOST + "\"")
                        && r.output().contains("\"available\" : true") && r.output().contains("REJECTED"),
                "storage:pool-list --json", "storage:hypervisor-list --json", "storage:driver-list --json");
        System.out.printf("SolidFireKarafIT: bin/start -> pool %s (SolidFire simulator %s) ready in %.1f s%n", POOL, sim.url(),
                (System.nanoTime() - t0) / 1e9);
    }

    @AfterClass
    public static void stop() throws Exception {
        try {
            if (karaf != null) {
                karaf.close();
            }
        } finally {
            if (sim != null) {
                sim.close();
            }
        }
        if (!CALLS.isEmpty()) {
            System.out.println("SolidFireKarafIT: Element calls per operation: " + CALLS);
        }
    }

    private static Path config(String name) {
        return karaf.home.resolve("etc/org.spindle.driver.solidfire-" + name + ".cfg");
    }

    private static String solidFireConfig(String pool, String password) {
        return "mvip = " + sim.url().replaceFirst("^https://", "") + "\n"
                + "username = " + sim.adminUser() + "\n"
                + ".password = " + password + "\n"
                + "tls.fingerprint.sha256 = " + sim.certificateSha256() + "\n"
                + "storage.pool = " + pool + "\n"
                + "storage.zone = " + ZONE + "\n"
                + "target.lun = " + sim.lun() + "\n";
    }

    /** A factory configuration makes the pool, with the cluster's capacity from GetClusterCapacity. */
    @Test
    public void a_poolAppearsWithTheClusterCapacity() throws Exception {
        JsonNode pool = pool(POOL).orElseThrow(() -> new AssertionError("no pool " + POOL));
        assertTrue(pool.toString(), pool.path("available").asBoolean());
        assertEquals("solidfire", pool.path("driverType").asText());
        assertEquals(ZONE, pool.path("zone").asText());
        assertEquals("iscsi", pool.path("protocol").asText());
        assertTrue(pool.path("managed").asBoolean());
        assertEquals("[\"sfgold\"]", pool.path("tags").toString());
        JsonNode capacity = pool.path("capacity");
        assertEquals("bytes: GetClusterCapacity.maxProvisionedSpace", CLUSTER_BYTES, capacity.path("totalBytes").asLong());
        assertEquals("IOPS: GetClusterCapacity.maxIOPS", CLUSTER_IOPS, capacity.path("totalIops").asLong());
        assertEquals(0, capacity.path("provisionedBytes").asLong());
        assertEquals(0, capacity.path("provisionedIops").asLong());
    }

    /** Offering → allocated volume → attach (SAN volume with QoS, grant) → QoS change → detach → delete (purged). */
    @Test
    public void b_seedFlowThroughTheShell() throws Exception {
        karaf.ok("storage:offering-create --tags sfgold --min-iops 500 --max-iops 1000 --burst-iops 1500 sfgold");

        sim.faults().resetCalls();
        karaf.ok("storage:volume-create --offering sfgold --size 2G v1");
        Map<String, Long> create = calls("volume-create");
        JsonNode v1 = karaf.json("storage:volume-show --json v1");
        assertEquals("ALLOCATED", v1.path("state").asText());
        assertEquals(POOL, v1.path("pool").asText());
        UUID id = UUID.fromString(v1.path("id").asText());
        assertEquals("nothing on the SAN before the first attach", List.of(), sim.volumes());
        assertFalse("no CreateVolume for an allocated volume: " + create, create.containsKey("CreateVolume"));

        sim.faults().resetCalls();
        karaf.ok("storage:volume-attach v1 " + VM);
        Map<String, Long> attach = calls("volume-attach");
        assertEquals("ATTACHED", karaf.json("storage:volume-show --json v1").path("state").asText());
        assertEquals("one volume on the SAN: " + sim.volumes(), 1, sim.volumes().size());
        Views.Volume onSan = sim.volumes().get(0);
        assertEquals("active", onSan.status());
        assertEquals(List.of(500L, 1000L, 1500L), List.of(onSan.minIOPS(), onSan.maxIOPS(), onSan.burstIOPS()));
        assertEquals("the Spindle uuid on the SAN volume", id.toString(), onSan.attributes().get("spindle-uuid"));
        assertTrue("at least 2 GiB: " + onSan.totalSize(), onSan.totalSize() >= 2L << 30);
        assertEquals(Long.valueOf(1), attach.get("CreateVolume"));
        Views.AccessGroup group = groupOf(INITIATOR).orElseThrow(() -> new AssertionError("no access group holds " + INITIATOR
                + ": " + sim.accessGroups()));
        assertTrue("the access group of " + INITIATOR + " holds the volume: " + group, group.volumes().contains(onSan.volumeID()));
        assertTrue("the volume is a tgt target", Peers.tgtTarget(onSan.iqn()) > 0);

        sim.faults().resetCalls();
        karaf.ok("storage:volume-qos --min-iops 600 --max-iops 2000 --burst-iops 3000 v1");
        calls("volume-qos");
        Views.Volume changed = sim.volume(onSan.volumeID()).orElseThrow();
        assertEquals(List.of(600L, 2000L, 3000L), List.of(changed.minIOPS(), changed.maxIOPS(), changed.burstIOPS()));

        sim.faults().resetCalls();
        karaf.ok("storage:volume-detach v1");
        calls("volume-detach");
        assertEquals("READY", karaf.json("storage:volume-show --json v1").path("state").asText());
        // the driver keeps one access group per initiator and takes the volume out of it: the host's grant is gone
        assertTrue("no access group grants " + INITIATOR + " the volume any more: " + sim.accessGroups(),
                groupOf(INITIATOR).map(g -> !g.volumes().contains(onSan.volumeID())).orElse(true));
        assertEquals(List.of(), sim.volume(onSan.volumeID()).orElseThrow().volumeAccessGroups());

        sim.faults().resetCalls();
        karaf.ok("storage:volume-delete v1");
        Map<String, Long> delete = calls("volume-delete");
        JsonNode deleted = find(karaf.json("storage:volume-list --all --json"), id.toString())
                .orElseThrow(() -> new AssertionError("v1 not listed"));
        assertEquals("DESTROYED", deleted.path("state").asText());
        assertEquals("deleted and purged: no volume, active or deleted, on the SAN", Optional.empty(), sim.volume(onSan.volumeID()));
        assertEquals(0, sim.invoke("ListDeletedVolumes", new ObjectMapper().createObjectNode(), "12.3").path("volumes").size());
        assertEquals(Long.valueOf(1), delete.get("DeleteVolume"));
        assertEquals(Long.valueOf(1), delete.get("PurgeDeletedVolume"));
        assertEquals("the tgt target went with the volume", -1, Peers.tgtTarget(onSan.iqn()));

        long total = 0;
        for (String op : List.of("volume-create", "volume-attach", "volume-detach", "volume-delete")) {
            total += CALLS.get(op).values().stream().mapToLong(Long::longValue).sum();
        }
        System.out.println("SolidFireKarafIT: Element calls for create + attach + detach + delete: " + total);
    }

    /** A configuration with a wrong .password is REJECTED, the reason names the key, no password is printed or logged. */
    @Test
    public void c_badConfigurationIsRejectedWithoutThePassword() throws Exception {
        KarafProcess.Result list = karaf.ok("storage:driver-list --json");
        JsonNode rejected = find(karaf.json("storage:driver-list --json"), "org.spindle.driver.solidfire~" + BAD, "source")
                .orElseThrow(() -> new AssertionError("configuration " + BAD + " not listed: " + list.output()));
        assertEquals("REJECTED", rejected.path("status").asText());
        String reason = rejected.path("reason").asText();
        assertTrue("the reason names the key: " + reason, reason.contains(".password"));
        System.out.println("SolidFireKarafIT: rejected " + BAD + ": " + reason);
        String table = karaf.ok("storage:driver-list").output();
        String logs = karaf.logs();
        assertTrue("the rejection is logged", logs.contains("org.spindle.driver.solidfire~" + BAD));
        for (String secret : List.of(wrongPassword, sim.adminPassword())) {
            assertFalse("a password in driver-list --json", list.output().contains(secret));
            assertFalse("a password in driver-list", table.contains(secret));
            assertFalse("a password in data/log", logs.contains(secret));
        }
    }

    /** Deleting the configuration file unregisters the driver: the pool stays, unavailable, and refuses changes. */
    @Test
    public void d_deletingTheConfigurationMakesThePoolUnavailable() throws Exception {
        karaf.ok("storage:offering-create --tags sfgold --min-iops 100 --max-iops 200 sfgone",
                "storage:volume-create --offering sfgone --size 1G v2");
        Files.delete(config(POOL));
        karaf.awaitClient(Duration.ofSeconds(60), r -> r.exit() == 0 && r.output().contains("\"available\" : false"),
                "storage:pool-list --json");
        JsonNode pool = pool(POOL).orElseThrow(() -> new AssertionError("the pool is still listed, unavailable"));
        assertFalse(pool.path("available").asBoolean());
        String attach = karaf.fails("storage:volume-attach v2 " + VM);
        assertTrue(attach, attach.contains("unavailable"));
        String create = karaf.fails("storage:volume-create --offering sfgone --size 1G v3");
        assertTrue(create, create.contains("unavailable"));
        System.out.println("SolidFireKarafIT: with the configuration deleted: " + attach.strip() + " / " + create.strip());
    }

    // ---------------------------------------------------------------- helpers

    private static Map<String, Long> calls(String operation) {
        Map<String, Long> calls = new TreeMap<>(sim.faults().calls());
        calls.values().removeIf(n -> n == 0);
        CALLS.put(operation, calls);
        return calls;
    }

    private static Optional<Views.AccessGroup> groupOf(String initiator) {
        return sim.accessGroups().stream().filter(g -> g.initiators().contains(initiator)).findFirst();
    }

    private static Optional<JsonNode> pool(String name) throws Exception {
        return find(karaf.json("storage:pool-list --json"), name, "name");
    }

    private static Optional<JsonNode> find(JsonNode array, String id) {
        return find(array, id, "id");
    }

    private static Optional<JsonNode> find(JsonNode array, String value, String field) {
        for (JsonNode n : array) {
            if (value.equals(n.path(field).asText())) {
                return Optional.of(n);
            }
        }
        return Optional.empty();
    }
}
