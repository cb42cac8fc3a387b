package org.spindle.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.Configuration;
import org.spindle.itest.attach.probe.AttachedDisk;
import org.spindle.itest.attach.probe.DetachCall;
import org.spindle.itest.attach.probe.HostsUpdate;
import org.spindle.itest.driver.probe.AccessCall;
import org.spindle.itest.driver.probe.TestSan;
import org.spindle.itest.attach.probe.TestHypervisor;
import org.spindle.storage.api.attach.AttachProperties;
import org.spindle.storage.api.attach.VmInfo;

/**
 * Issue 7 through the shell: an attach service that plays a hypervisor CLUSTER (a Xen pool, a vSphere cluster) of
 * two hosts, registered with {@code hypervisor.service} and {@code hypervisor.cluster} and no single host. Every
 * call after the attach must find the service by its identity, whatever host the VM runs on by then; a host that
 * joins is granted access and brought into the structure; access the SAN gave is always taken back exactly.
 *
 * <p>What reached the service is read from its probe ({@link TestHypervisor}), what the SAN grants from the test
 * driver's ({@link TestSan}: access per volume and host group). A configuration update of the test attach service
 * changes its registration in place: the VM moving to another host is a live migration, new hosts and initiators a
 * host joining. One Karaf for the class; each test has its own zone, pool, cluster and volume.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ClusterAttachIT extends SpindleKarafTestSupport {
    private static final String IQN = "iqn.2026-11.org.spindle.itest:";

    /** Attach, live migration to the other host, then QoS, stats, grow and detach all reach the cluster's service. */
    @Test
    public void everyCallAfterTheAttachReachesTheClusterAfterTheVmMigrated() {
        driver("sfc1", "zc1", "iscsi", "clus1");
        List<String> initiators = List.of(IQN + "c1a", IQN + "c1b");
        Configuration c1 = cluster("c1", List.of("c1a", "c1b"), initiators, "zc1", "cvm1@c1a");
        TestHypervisor cluster = hypervisor("c1");
        TestSan san = san("sfc1");

        // storage:hypervisor-list shows the service with both hosts and their initiators, no single host
        String table = ok("storage:hypervisor-list");
        String row = table.lines().filter(l -> l.contains(" c1 ")).findFirst().orElseThrow(() -> new AssertionError(table));
        assertTrue(row, row.contains("c1a,c1b") && row.contains(IQN + "c1a," + IQN + "c1b"));
        JsonNode listed = find(json("storage:hypervisor-list --json"), n -> "c1".equals(n.path("service").asText())).orElseThrow();
        assertEquals(listed.toString(), List.of("c1a", "c1b"), texts(listed.path("hosts")));
        assertEquals(listed.toString(), "c1", listed.path("cluster").asText());
        assertEquals(listed.toString(), initiators, texts(listed.path("initiators")));

        ok("storage:offering-create --tags clus1 --min-iops 500 --max-iops 1000 --burst-iops 1500 --read-iops 400 --write-iops 200 --custom-iops clus1");
        ok("storage:volume-create --offering clus1 --size 1G cv1");
        String attached = ok("storage:volume-attach cv1 cvm1");
        assertTrue(attached, attached.contains("on host c1a") && attached.contains("attach service c1"));
        JsonNode cv1 = volume("cv1");
        assertState("ATTACHED", cv1);
        UUID id = UUID.fromString(cv1.path("id").asText());
        VmInfo vm = cluster.vm("cvm1").orElseThrow();
        JsonNode attachment = cv1.path("attachment");
        assertEquals(attachment.toString(), "c1", attachment.path("service").asText());
        assertEquals(attachment.toString(), vm.id(), attachment.path("vmId").asText());
        assertEquals(attachment.toString(), "c1a", attachment.path("host").asText());
        assertEquals(attachment.toString(), initiators, texts(attachment.path("initiators")));
        assertEquals("one host group, the cluster's, with both hosts", Map.of("c1", initiators), san.groups(id));

        // live migration: the VM runs on c1b now; the attach service (and its registration) stay the same
        update(c1, "vms", new String[] {"cvm1@c1b"});
        await("cvm1 runs on c1b", () -> "c1b".equals(cluster.vm("cvm1").map(VmInfo::host).orElse(null)));
        assertEquals("the VM keeps its id", vm.id(), cluster.vm("cvm1").orElseThrow().id());

        ok("storage:volume-qos --read-iops 800 --max-iops 800 --burst-iops 1200 cv1");
        assertEquals(1, cluster.limitChanges().size());
        assertEquals("changeLimits found the VM by its id", vm.id(), cluster.limitChanges().get(0).attachment().vmId());
        assertEquals(800, cluster.limits(id).orElseThrow().readIops().rate());
        assertEquals(800L, san.volume(id).orElseThrow().qos().maxIops());

        JsonNode counters = json("storage:volume-stats --json cv1");
        // usage readings around each change ask for the counters too: every request went to the cluster's service, by the VM's id
        assertFalse("volume-stats asked the cluster's service", cluster.statsRequests().isEmpty());
        assertTrue("diskStats found the VM by its id: " + cluster.statsRequests(),
                cluster.statsRequests().stream().allMatch(a -> vm.id().equals(a.vmId())));
        assertTrue(counters.toString(), counters.path("readOps").asLong() > 0);

        ok("storage:volume-resize cv1 2G");
        assertEquals(2L << 30, volume("cv1").path("sizeBytes").asLong());
        assertEquals("the SAN volume grew", 2L << 30, san.volume(id).orElseThrow().sizeBytes());
        assertEquals("grow reached the service once", 1, cluster.grows().size());
        assertEquals(2L << 30, cluster.grows().get(0).newSizeBytes());
        AttachedDisk disk = cluster.disk(id).orElseThrow();
        assertEquals("the disk as the VM sees it, on the host it runs on now", List.of("c1b", 2L << 30),
                List.of(disk.host(), disk.sizeBytes()));

        ok("storage:volume-detach cv1");
        assertState("READY", volume("cv1"));
        assertEquals(1, cluster.detached().size());
        DetachCall detach = cluster.detached().get(0);
        assertEquals(vm.id(), detach.attachment().vmId());
        assertEquals("detach gets the target, without credentials", san.volume(id).orElseThrow().iqn(), detach.target().name());
        assertTrue("no CHAP on the detach target", detach.target().chap() == null);
        assertTrue("the disk is gone from the VM", cluster.disk(id).isEmpty());
        assertEquals("no initiator reaches the volume", List.of(), san.initiators(id));
        assertEquals("the hosts never changed: no updateHosts", 0, cluster.calls("updateHosts"));
        ok("storage:volume-delete cv1");
    }

    /**
     * A host joins the cluster (its initiator appears): the core grants the cluster's group with it for the attached
     * volume and the service gets updateHosts. Then a host's IQN is replaced: the group is granted again, without the
     * old name; another IQN change is refused by the SAN (the volume records the error). Detach then revokes exactly
     * what was granted last: no initiator keeps access.
     */
    @Test
    public void aJoiningHostIsGrantedAndAnInitiatorChangeLeavesNoAccessBehind() {
        driver("sfc2", "zc2", "iscsi", "clus2");
        String a = IQN + "c2a";
        String b = IQN + "c2b";
        String c = IQN + "c2c";
        String a2 = IQN + "c2a-new";
        String c2new = IQN + "c2c-new";
        Configuration c2 = cluster("c2", List.of("c2a", "c2b"), List.of(a, b), "zc2", "cvm2@c2b");
        TestHypervisor cluster = hypervisor("c2");
        TestSan san = san("sfc2");
        ok("storage:offering-create --tags clus2 --min-iops 100 --max-iops 200 clus2");
        ok("storage:volume-create --offering clus2 --size 1G cv2");
        ok("storage:volume-attach --host c2 cv2 cvm2"); // --host names the attach service here, not a host
        UUID id = UUID.fromString(volume("cv2").path("id").asText());
        assertEquals(Map.of("c2", List.of(a, b)), san.groups(id));

        // a host joins: hosts and initiators change together
        update(c2, Map.<String, Object>of(AttachProperties.HOSTS, new String[] {"c2a", "c2b", "c2c"}, AttachProperties.INITIATORS, new String[] {a, b, c}));
        await("the joining host's initiator is granted: " + san.groups(id), () -> san.initiators(id).equals(List.of(a, b, c)));
        await("the service brought the volume to the new host", () -> cluster.hostsUpdates().stream()
                .anyMatch(u -> u.hosts().contains("c2c") && u.initiators().contains(c)));
        HostsUpdate joined = last(cluster.hostsUpdates());
        assertEquals(id, joined.attachment().volumeId());
        assertNotNull("updateHosts gets the target with the credentials the new host logs in with", joined.target().chap());
        assertEquals(Map.of("c2", List.of(a, b, c)), san.groups(id));
        await("the granted initiators are recorded", () -> texts(volume("cv2").path("attachment").path("initiators"))
                .equals(List.of(a, b, c)));

        // host c2a's IQN is replaced: the group is granted again without the old name
        update(c2, AttachProperties.INITIATORS, new String[] {a2, b, c});
        await("the group holds the new IQN and not the old one: " + san.groups(id),
                () -> san.groups(id).equals(Map.of("c2", List.of(b, a2, c).stream().sorted().toList())));
        await("the changed initiators are recorded", () -> texts(volume("cv2").path("attachment").path("initiators"))
                .equals(List.of(a2, b, c).stream().sorted().toList()));
        assertFalse(san.initiators(id).contains(a));

        // host c2c's IQN is replaced too, but the SAN refuses that grant: the volume says so, and nothing is lost track of
        int hostsUpdates = cluster.hostsUpdates().size();
        san.failNext(AccessCall.GRANT, "the SAN refuses the grant (test)");
        update(c2, AttachProperties.INITIATORS, new String[] {a2, b, c2new});
        await("the failed grant is recorded on the volume", () -> volume("cv2").path("error").asText().contains("the SAN refuses the grant (test)"));
        assertEquals("the SAN kept the group as granted last", Map.of("c2", List.of(b, a2, c).stream().sorted().toList()), san.groups(id));
        assertEquals("no updateHosts without access for the new host", hostsUpdates, cluster.hostsUpdates().size());

        ok("storage:volume-detach cv2");
        assertState("READY", volume("cv2"));
        assertEquals("no initiator keeps access after the detach (no leak): " + san.groups(id), List.of(), san.initiators(id));
        AccessCall revoke = last(san.accessCalls());
        assertFalse("the last access call revokes: " + san.accessCalls(), revoke.isGrant());
        assertEquals("detach revoked exactly the group granted last", List.of(a2, b, c).stream().sorted().toList(),
                revoke.group().initiators());
        assertEquals("c2", revoke.group().name());
        for (String initiator : List.of(a, a2, b, c, c2new)) {
            assertFalse(initiator + " keeps access", san.initiators(id).contains(initiator));
        }
        ok("storage:volume-delete cv2");
    }

    private static <T> T last(List<T> list) {
        assertFalse("nothing recorded", list.isEmpty());
        return list.get(list.size() - 1);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /**
     * Issue 15: 50 hosts in a zone, through Karaf. An attach by VM id without --host asks every host once, then only
     * the one it found the VM on; a name is looked up everywhere each time.
     */
    @Test
    public void fiftyHosts_anAttachByVmIdAsksEveryHostOnce_thenOnlyItsOwn() {
        driver("sf50", "z50", "iscsi", "fifty");
        List<TestHypervisor> hosts = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
            cluster("k" + i, List.of("k" + i), List.of(IQN + "k" + i), "z50", "vm" + i + "@k" + i);
            hosts.add(hypervisor("k" + i));
        }
        ok("storage:offering-create --tags fifty --min-iops 100 --max-iops 200 fifty");
        for (String v : List.of("f1", "f2", "f3")) {
            ok("storage:volume-create --offering fifty --size 1G " + v);
        }
        String id = hosts.get(37).vm("vm37").orElseThrow().id();
        java.util.function.IntSupplier lookups = () -> hosts.stream().mapToInt(h -> h.calls("findVm")).sum();
        int before = lookups.getAsInt();
        ok("storage:volume-attach f1 " + id);
        assertEquals("the first attach asks every host of the zone", 50, lookups.getAsInt() - before);
        ok("storage:volume-attach f2 " + id);
        assertEquals("the next asks only the host it found the VM on", 51, lookups.getAsInt() - before);
        assertEquals("k37", volume("f2").path("attachment").path("service").asText());
        ok("storage:volume-attach f3 vm37");
        assertEquals("a name is looked up everywhere", 101, lookups.getAsInt() - before);
    }
}
