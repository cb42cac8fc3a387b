package org.spindle.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
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
import org.spindle.test.support.Commands;

/**
 * The SolidFire driver in the distribution (issue 3, the in-Karaf part): the distribution runs as a process, as
 * {@link RestartIT} runs it, with {@code org.spindle.driver.solidfire-NAME.cfg} files in its {@code etc/} pointing at an
 * Element simulator that runs in this JVM (tgt on: every active volume is a real tgt target). The pool, the volume's
 * life through the shell, the configuration's removal and a rejected configuration are checked on both sides: what
 * {@code storage:} prints, and the simulated cluster's state.
 *
 * <p>One Karaf for the class (a start is ~5-10 s); the tests run in name order and share it: {@code a}, {@code b} and
 * {@code c} use the pool ({@code c} through a six-host cluster attach service, configured from the start beside host
 * {@value #HOST}), {@code d} the rejected configuration, {@code e} removes the pool's configuration.
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
    /** A cluster attach service of six hosts (more than the 4 access groups a volume had per initiator before). */
    private static final String CLUSTER = "c6";
    private static final String CLUSTER_VM = "c6vm";
    private static final List<String> CLUSTER_HOSTS = List.of("c6h1", "c6h2", "c6h3", "c6h4", "c6h5", "c6h6");
    private static final String CLUSTER_IQN = "iqn.2026-11.org.spindle.itest:";
    private static final long CLUSTER_IOPS = 123_456;
    private static final long CLUSTER_BYTES = 42L * 1000 * 1000 * 1000 * 1000;

    private static final ObjectMapper JSON = new ObjectMapper();

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
                "hypervisor.hosts=[\"" + HOST + "\"]\nstorage.zone=\"" + ZONE + "\"\nstorage.protocols=[\"iscsi\"]\n"
                        + "hypervisor.limits=[\"iops\",\"bps\",\"read-write\",\"total\",\"burst\",\"burst-length\"]\nvms=[\"" + VM + "\"]\n");
        Files.writeString(karaf.home.resolve("etc/org.spindle.itest.attach-" + CLUSTER + ".config"), clusterConfig());
        Files.writeString(config(POOL), solidFireConfig(POOL, sim.adminPassword()) + "storage.tags = sfgold\n");
        Files.writeString(config(BAD), solidFireConfig(BAD, wrongPassword));

        long t0 = System.nanoTime();
        karaf.start();
        karaf.awaitClient(READY, r -> r.exit() == 0 && r.output().contains("\"" + POOL + "\"") && r.output().contains("\"" + HOST + "\"")
                        && r.output().contains("\"" + CLUSTER + "\"")
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
        sim.faults().resetCalls();
        // each operation in its own shell session (its Element calls are counted), with the volume-show after it
        // (which the SAN does not hear of)
        JsonNode v1 = KarafProcess.jsons(karaf.ok("storage:offering-create --tags sfgold --min-iops 500 --max-iops 1000 "
                + "--burst-iops 1500 --custom-iops sfgold", "storage:volume-create --offering sfgold --size 2G v1",
                "storage:volume-show --json v1")).get(0);
        Map<String, Long> create = calls("volume-create");
        assertEquals("ALLOCATED", v1.path("state").asText());
        assertEquals(POOL, v1.path("pool").asText());
        UUID id = UUID.fromString(v1.path("id").asText());
        assertEquals("nothing on the SAN before the first attach", List.of(), sim.volumes());
        assertFalse("no CreateVolume for an allocated volume: " + create, create.containsKey("CreateVolume"));

        sim.faults().resetCalls();
        JsonNode attached = KarafProcess.jsons(karaf.ok("storage:volume-attach v1 " + VM, "storage:volume-show --json v1")).get(0);
        Map<String, Long> attach = calls("volume-attach");
        assertEquals("ATTACHED", attached.path("state").asText());
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
        karaf.ok("storage:volume-qos --min-iops 600 --max-iops 800 --burst-iops 1200 v1");
        calls("volume-qos");
        Views.Volume changed = sim.volume(onSan.volumeID()).orElseThrow();
        assertEquals(List.of(600L, 800L, 1200L), List.of(changed.minIOPS(), changed.maxIOPS(), changed.burstIOPS()));

        sim.faults().resetCalls();
        JsonNode detached = KarafProcess.jsons(karaf.ok("storage:volume-detach v1", "storage:volume-show --json v1")).get(0);
        calls("volume-detach");
        assertEquals("READY", detached.path("state").asText());
        // the driver keeps one access group per host group (per attach service) and takes the volume out of it
        assertTrue("no access group grants " + INITIATOR + " the volume any more: " + sim.accessGroups(),
                groupOf(INITIATOR).map(g -> !g.volumes().contains(onSan.volumeID())).orElse(true));
        assertEquals(List.of(), sim.volume(onSan.volumeID()).orElseThrow().volumeAccessGroups());

        sim.faults().resetCalls();
        JsonNode all = KarafProcess.jsons(karaf.ok("storage:volume-delete v1", "storage:volume-list --all --json")).get(0);
        Map<String, Long> delete = calls("volume-delete");
        JsonNode deleted = find(all, id.toString()).orElseThrow(() -> new AssertionError("v1 not listed"));
        assertEquals("DESTROYED", deleted.path("state").asText());
        assertEquals("deleted and purged: no volume, active or deleted, on the SAN", Optional.empty(), sim.volume(onSan.volumeID()));
        assertEquals(0, sim.invoke("ListDeletedVolumes", JSON.createObjectNode(), "12.3").path("volumes").size());
        assertEquals(Long.valueOf(1), delete.get("DeleteVolume"));
        assertEquals(Long.valueOf(1), delete.get("PurgeDeletedVolume"));
        assertEquals("the tgt target went with the volume", -1, Peers.tgtTarget(onSan.iqn()));

        long total = 0;
        for (String op : List.of("volume-create", "volume-attach", "volume-detach", "volume-delete")) {
            total += CALLS.get(op).values().stream().mapToLong(Long::longValue).sum();
        }
        System.out.println("SolidFireKarafIT: Element calls for create + attach + detach + delete: " + total);
    }

    /**
     * Issue 7: a cluster attach service of six hosts, each with its own initiator, attaches a volume. On the SAN
     * (Element ListVolumeAccessGroups and ListVolumes) exactly one access group, with the six initiators, holds it,
     * and each of the six logs in to the LUN for real (libiscsi, with the account's CHAP) while an initiator outside
     * the cluster is refused. Detach takes the group's access away.
     */
    @Test
    public void c_sixHostClusterAttachesWithAccessForAllSix() throws Exception {
        Peers.requireLibiscsi();
        // one shell session: the commands, then what the service and the volume look like
        List<JsonNode> shown = KarafProcess.jsons(karaf.ok("storage:offering-create --tags sfgold --min-iops 200 --max-iops 400 "
                        + "--burst-iops 800 sfc6", "storage:volume-create --offering sfc6 --size 1G v6",
                "storage:volume-attach v6 " + CLUSTER_VM, "storage:hypervisor-list --json", "storage:volume-show --json v6"));
        JsonNode service = find(shown.get(0), CLUSTER, "service")
                .orElseThrow(() -> new AssertionError("attach service " + CLUSTER + " not listed: " + shown.get(0)));
        assertEquals(service.toString(), CLUSTER_HOSTS, texts(service.path("hosts")));
        assertEquals(service.toString(), clusterInitiators(), texts(service.path("initiators")));
        assertEquals(service.toString(), "BOUND", service.path("status").asText());
        JsonNode v6 = shown.get(1);
        assertEquals(v6.toString(), "ATTACHED", v6.path("state").asText());
        JsonNode attachment = v6.path("attachment");
        assertEquals(attachment.toString(), CLUSTER, attachment.path("service").asText());
        assertEquals(attachment.toString(), "c6h4", attachment.path("host").asText());
        assertEquals("the initiators granted, as recorded: " + attachment, clusterInitiators(), texts(attachment.path("initiators")));

        // the SAN's view, in Element's own terms
        String id = v6.path("id").asText();
        JsonNode volume = null;
        for (JsonNode v : sim.invoke("ListVolumes", JSON.createObjectNode(), "12.3").path("volumes")) {
            if (id.equals(v.path("attributes").path("spindle-uuid").asText())) {
                volume = v;
            }
        }
        assertTrue("v6 on the SAN", volume != null);
        long volumeId = volume.path("volumeID").asLong();
        List<JsonNode> holding = new ArrayList<>();
        for (JsonNode g : sim.invoke("ListVolumeAccessGroups", JSON.createObjectNode(), "12.3").path("volumeAccessGroups")) {
            if (longs(g.path("volumes")).contains(volumeId)) {
                holding.add(g);
            }
        }
        assertEquals("exactly one access group holds v6: " + holding, 1, holding.size());
        List<String> initiators = texts(holding.get(0).path("initiators"));
        Collections.sort(initiators);
        assertEquals("the group holds the six initiators: " + holding.get(0), clusterInitiators(), initiators);
        assertEquals("the group is the attach service's: " + holding.get(0), CLUSTER,
                holding.get(0).path("attributes").path("spindle-host-group").asText());
        assertEquals(volume.toString(), List.of(holding.get(0).path("volumeAccessGroupID").asLong()), longs(volume.path("volumeAccessGroups")));

        // each host of the cluster logs in to the LUN (libiscsi: login, INQUIRY, logout); a stranger cannot
        String iqn = volume.path("iqn").asText();
        Views.Account account = sim.accounts().stream().filter(a -> a.accountID() == sim.volume(volumeId).orElseThrow().accountID())
                .findFirst().orElseThrow();
        String lun = "iscsi://" + account.username() + "%" + account.initiatorSecret() + "@" + sim.svip() + ":3260/" + iqn + "/" + sim.lun();
        long t0 = System.nanoTime();
        for (String initiator : clusterInitiators()) {
            Commands.Result inquiry = Commands.run("iscsi-inq", "-i", initiator, lun);
            assertEquals(initiator + " logs in to v6's LUN: " + inquiry.out(), 0, inquiry.exit());
            assertTrue("the LUN answers INQUIRY: " + inquiry.out(), inquiry.out().contains("Peripheral Device Type"));
        }
        System.out.printf("SolidFireKarafIT: six iSCSI logins (libiscsi login, INQUIRY, logout; one per cluster host) in %d ms%n",
                (System.nanoTime() - t0) / 1_000_000);
        Commands.Result stranger = Commands.run("iscsi-inq", "-i", CLUSTER_IQN + "stranger", lun);
        assertTrue("an initiator outside the cluster is refused: " + stranger.out(), stranger.exit() != 0);

        assertEquals("READY", KarafProcess.jsons(karaf.ok("storage:volume-detach v6", "storage:volume-show --json v6")).get(0)
                .path("state").asText());
        assertEquals("no access group holds v6 after the detach: " + sim.accessGroups(), List.of(),
                sim.volume(volumeId).orElseThrow().volumeAccessGroups());
        Commands.Result revoked = Commands.run("iscsi-inq", "-i", clusterInitiators().get(0), lun);
        assertTrue("access revoked: " + revoked.out(), revoked.exit() != 0);
        karaf.ok("storage:volume-delete v6");
    }

    /** A configuration with a wrong .password is REJECTED, the reason names the key, no password is printed or logged. */
    @Test
    public void d_badConfigurationIsRejectedWithoutThePassword() throws Exception {
        KarafProcess.Result list = karaf.ok("storage:driver-list --json");
        JsonNode rejected = find(KarafProcess.jsons(list).get(0), "org.spindle.driver.solidfire~" + BAD, "source")
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
    public void e_deletingTheConfigurationMakesThePoolUnavailable() throws Exception {
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

    /** The test attach service as a cluster of six hosts, one initiator each, running {@value #CLUSTER_VM} on the fourth. */
    private static String clusterConfig() {
        return "hypervisor.service=\"" + CLUSTER + "\"\nhypervisor.cluster=\"" + CLUSTER + "\"\n"
                + "hypervisor.hosts=" + array(CLUSTER_HOSTS) + "\nhypervisor.initiators=" + array(clusterInitiators()) + "\n"
                + "storage.zone=\"" + ZONE + "\"\nstorage.protocols=[\"iscsi\"]\n"
                + "hypervisor.limits=[\"iops\",\"bps\",\"read-write\",\"total\",\"burst\",\"burst-length\"]\n"
                + "vms=[\"" + CLUSTER_VM + "@c6h4\"]\n";
    }

    /** The six hosts' initiators, sorted. */
    private static List<String> clusterInitiators() {
        return CLUSTER_HOSTS.stream().map(h -> CLUSTER_IQN + h).sorted().toList();
    }

    /** A {@code .config} file's string array. */
    private static String array(List<String> values) {
        return values.stream().map(v -> "\"" + v + "\"").collect(java.util.stream.Collectors.joining(",", "[", "]"));
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static List<Long> longs(JsonNode array) {
        List<Long> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asLong()));
        return out;
    }

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
