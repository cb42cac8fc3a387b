package org.spindle.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
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
import org.spindle.itest.attach.probe.TestHypervisor;
import org.spindle.itest.driver.probe.SanVolumeState;
import org.spindle.itest.driver.probe.TestSan;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.StorageQos;

/**
 * The volume life through the shell, routing, QoS planning as the hypervisor sees it, and refused input. One Karaf
 * for all of them: each test has its own zone (z1 … z4, z6, z7), pools, hosts, offerings and volumes.
 *
 * <p>Commands are typed as Karaf commands are: options first, then arguments (Karaf's parser stops reading
 * options at the first argument), as README shows.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class VolumeFlowIT extends SpindleKarafTestSupport {

    /** Issue flow: pool → offering → allocated volume → attach (SAN volume made, access granted) → detach → delete. */
    @Test
    public void seedFlowThroughTheShell() {
        driver("sf1", "z1", "iscsi", "gold");
        assertTrue(ok("storage:pool-list").contains("sf1"));
        assertTrue(pool("sf1").orElseThrow().path("available").asBoolean());

        ok("storage:offering-create --tags gold --min-iops 500 --max-iops 1000 --burst-iops 1500 --read-iops 400 --write-iops 200 gold");
        ok("storage:volume-create --offering gold --size 10G v1");
        JsonNode v1 = volume("v1");
        assertState("ALLOCATED", v1);
        assertEquals("sf1", v1.path("pool").asText());
        assertEquals(10L << 30, v1.path("sizeBytes").asLong());
        UUID id = UUID.fromString(v1.path("id").asText());
        TestSan san = san("sf1");
        assertTrue("nothing on the SAN before the first attach: " + san.volumes(), san.volumes().isEmpty());

        hypervisor("h1", "z1", "iscsi", ALL_LIMITS, "vm1");
        TestHypervisor h1 = hypervisor("h1");
        ok("storage:volume-attach v1 vm1");
        assertState("ATTACHED", volume("v1"));
        SanVolumeState onSan = san.volume(id).orElseThrow(() -> new AssertionError("no SAN volume for v1: " + san.volumes()));
        assertEquals(new StorageQos(500, 1000, 1500), onSan.qos());
        assertEquals(List.of(INITIATOR_PREFIX + "h1"), onSan.initiators());
        assertEquals(1, h1.attachments("vm1").size());
        IoLimits limits = h1.limits(id).orElseThrow();
        assertEquals(400, limits.readIops().rate());
        assertEquals(200, limits.writeIops().rate());
        assertTrue("the target handed to the hypervisor carries CHAP", h1.attachRequests().get(0).target().chap() != null);

        ok("storage:volume-detach v1");
        assertState("READY", volume("v1"));
        assertEquals("access revoked", List.of(), san.volume(id).orElseThrow().initiators());
        assertTrue("attachment gone", h1.attachments("vm1").isEmpty());
        assertEquals(1, h1.detached().size());

        ok("storage:volume-attach v1 vm1");
        assertState("ATTACHED", volume("v1"));
        assertEquals("a second attach reuses the SAN volume", 1, san.volumes().size());
        assertEquals("createVolume once", 1, san.calls("createVolume"));

        ok("storage:volume-detach v1");
        assertState("READY", volume("v1"));
        ok("storage:volume-delete v1");
        JsonNode deleted = find(volumes(), n -> id.toString().equals(n.path("id").asText())).orElseThrow();
        assertState("DESTROYED", deleted);
        assertTrue("SAN volume gone: " + san.volumes(), san.volume(id).isEmpty());
    }

    /**
     * Two hosts in one zone, one attaching iSCSI and one NFS. A VM runs on one host, so a VM's name finds its host;
     * the protocol must still match the pool's: an iSCSI volume for a VM on the NFS-only host is refused by the core
     * (the NFS host never hears of it, and its test service would refuse loudly anyway). When the same VM name is
     * reported by both hosts (a stale report, a migration under way), only the host whose protocol matches the pool
     * is a candidate, so the choice is not ambiguous.
     */
    @Test
    public void routingPicksTheAttachServiceWhoseProtocolMatchesThePool() {
        driver("sf2i", "z2", "iscsi", "route-i");
        driver("sf2n", "z2", "nfs", "route-n");
        hypervisor("h2i", "z2", "iscsi", ALL_LIMITS, "vm2i", "vm2both");
        hypervisor("h2n", "z2", "nfs", ALL_LIMITS, "vm2n", "vm2both");
        TestHypervisor iscsiHost = hypervisor("h2i");
        TestHypervisor nfsHost = hypervisor("h2n");
        ok("storage:offering-create --tags route-i --min-iops 100 --max-iops 200 route-i");
        ok("storage:offering-create --tags route-n --min-iops 100 --max-iops 200 route-n");

        ok("storage:volume-create --offering route-i --size 1G r-i1");
        ok("storage:volume-create --offering route-n --size 1G r-n1");
        assertEquals("sf2i", volume("r-i1").path("pool").asText());
        assertEquals("sf2n", volume("r-n1").path("pool").asText());

        ok("storage:volume-attach r-i1 vm2i");
        ok("storage:volume-attach r-n1 vm2n");
        assertEquals(1, iscsiHost.attachments("vm2i").size());
        assertEquals(1, nfsHost.attachments("vm2n").size());
        assertEquals("iscsi", iscsiHost.attachRequests().get(0).target().protocol());
        assertEquals("nfs", nfsHost.attachRequests().get(0).target().protocol());

        // an iSCSI volume for a VM that only the NFS host runs: no route, and nothing changes
        ok("storage:volume-create --offering route-i --size 1G r-i2");
        UUID refused = UUID.fromString(volume("r-i2").path("id").asText());
        String error = fails("storage:volume-attach r-i2 vm2n");
        assertOneLineNaming("vm", error);
        assertTrue("the error says which host runs the VM and what it cannot attach: " + error,
                error.contains("vm2n") && error.contains("h2n") && error.contains("iscsi") && error.contains("sf2i"));
        assertEquals("the NFS host never got an iSCSI target", 1, nfsHost.attachRequests().size());
        assertEquals("ALLOCATED", state("r-i2"));
        TestSan iscsiSan = san("sf2i");
        assertTrue("a refused attach creates no SAN volume: " + iscsiSan.volumes(), iscsiSan.volume(refused).isEmpty());
        assertTrue("a refused attach grants nothing: " + iscsiSan.accessCalls(),
                iscsiSan.accessCalls().stream().noneMatch(c -> c.volumeId().equals(refused)));

        // the same VM name on both hosts: the protocol decides
        ok("storage:volume-create --offering route-i --size 1G r-i3");
        ok("storage:volume-attach r-i3 vm2both");
        assertEquals(1, iscsiHost.attachments("vm2both").size());
        assertTrue(nfsHost.attachments("vm2both").isEmpty());
        assertEquals(1, nfsHost.attachRequests().size());

        for (String v : List.of("r-i1", "r-n1", "r-i3")) {
            ok("storage:volume-detach " + v);
        }
    }

    /** A host that limits reads plus writes together, not apart, gets total = read + write and nothing split. */
    @Test
    public void hostWithoutReadWriteGetsTheTotal() {
        driver("sf3", "z3", "iscsi", "tot");
        hypervisor("h3", "z3", "iscsi", "iops,bps,total,burst,burst-length", "vm3");
        ok("storage:offering-create --tags tot --min-iops 500 --max-iops 1000 --burst-iops 1500 --read-iops 400 --write-iops 200 gold3");
        ok("storage:volume-create --offering gold3 --size 10G t1");
        ok("storage:volume-attach t1 vm3");
        UUID id = UUID.fromString(volume("t1").path("id").asText());

        IoLimits limits = hypervisor("h3").limits(id).orElseThrow();
        assertEquals(600, limits.totalIops().rate());
        assertFalse("no read limit: " + limits, limits.readIops().isSet());
        assertFalse("no write limit: " + limits, limits.writeIops().isSet());
        ok("storage:volume-detach t1");
    }

    /**
     * Default hypervisor limits are per hypervisor type ({@value #LIMITS_PID}): a volume whose offering sets no
     * hypervisor limit gets its type's defaults when attached to a host of that type, none on a host of a type
     * without defaults, and an offering's own limits win over the defaults.
     */
    @Test
    public void defaultHypervisorLimitsArePerHypervisorType() {
        driver("sf6", "z6", "iscsi", "def");
        defaultLimits("deftype", Map.of("read.iops", 300L, "write.iops", 100L, "total.bps", 50L << 20));
        hypervisorOfType("deftype", "h6d", "z6", "vm6d");
        hypervisor("h6t", "z6", "iscsi", ALL_LIMITS, "vm6t");
        ok("storage:offering-create --tags def --min-iops 100 --max-iops 1000 def-none");
        ok("storage:offering-create --tags def --min-iops 100 --max-iops 1000 --read-iops 50 def-own");
        ok("storage:volume-create --offering def-none --size 1G d1");
        ok("storage:volume-create --offering def-none --size 1G d2");
        ok("storage:volume-create --offering def-own --size 1G d3");
        ok("storage:volume-attach d1 vm6d");
        ok("storage:volume-attach d2 vm6t");
        ok("storage:volume-attach d3 vm6d");

        IoLimits typed = hypervisor("h6d").limits(UUID.fromString(volume("d1").path("id").asText())).orElseThrow();
        assertEquals("the type's default read IOPS: " + typed, 300, typed.readIops().rate());
        assertEquals("the type's default write IOPS: " + typed, 100, typed.writeIops().rate());
        assertEquals("the type's default total bytes/s: " + typed, 50L << 20, typed.totalBps().rate());
        IoLimits untyped = hypervisor("h6t").limits(UUID.fromString(volume("d2").path("id").asText())).orElseThrow();
        assertFalse("no defaults for hypervisor type test: " + untyped, untyped.hasCaps());
        IoLimits own = hypervisor("h6d").limits(UUID.fromString(volume("d3").path("id").asText())).orElseThrow();
        assertEquals("the offering's own limit: " + own, 50, own.readIops().rate());
        assertFalse("no default mixed into an offering's own limits: " + own, own.writeIops().isSet() || own.totalBps().isSet());
        for (String v : List.of("d1", "d2", "d3")) {
            ok("storage:volume-detach " + v);
        }
    }

    /**
     * Refused input: one line naming the field and what is allowed, and nothing written (no volume row, the pool's
     * volume count unchanged). A valid create right after shows that the count does move.
     */
    @Test
    public void badVolumeCreateIsRefusedWithOneLineNamingTheField() {
        driver("sf4", "z4", "iscsi", "bad");
        ok("storage:offering-create --tags bad --min-iops 100 --max-iops 200 plain4");
        ok("storage:offering-create --tags bad --custom-iops --min-iops 100 --max-iops 5000 --burst-iops 6000 custom4");
        JsonNode before = volumes();
        long counted = poolVolumes("sf4");

        assertRefused("size", fails("storage:volume-create --offering plain4 --size -1G bad1"), "must be positive", "'-1G'");
        assertRefused("size", fails("storage:volume-create --offering plain4 --size 0 bad1"), "must be positive", "'0'");
        assertRefused("size", fails("storage:volume-create --offering plain4 --size 12X bad1"), "K, M, G, T", "unknown unit 'X'");
        assertRefused("offering", fails("storage:volume-create --offering nope --size 1G bad2"), "no offering named nope");
        assertRefused("min-iops", fails("storage:volume-create --offering custom4 --size 1G --min-iops 2000 --max-iops 1000 bad3"),
                "must not exceed max-iops 1000", "2000");

        assertEquals("volume-list unchanged", before, volumes());
        assertEquals("the pool's volume count unchanged", counted, poolVolumes("sf4"));
        ok("storage:volume-create --offering plain4 --size 1G good4");
        assertEquals("a volume that is created is counted", counted + 1, poolVolumes("sf4"));
    }

    /**
     * An attach the hypervisor refuses after the SAN volume was made and access granted: the grant is taken back,
     * no disk is left, the volume is READY, and a retry attaches it.
     */
    @Test
    public void attachRefusedByTheHypervisorLeavesNoAccessAndCanBeRetried() {
        driver("sf7", "z7", "iscsi", "refuse");
        hypervisor("h7", "z7", "iscsi", ALL_LIMITS, "vm7");
        TestHypervisor h7 = hypervisor("h7");
        TestSan san = san("sf7");
        ok("storage:offering-create --tags refuse --min-iops 100 --max-iops 200 plain7");
        ok("storage:volume-create --offering plain7 --size 1G f7");
        UUID id = UUID.fromString(volume("f7").path("id").asText());

        h7.failNext("attach", "the hypervisor refuses the disk (test)");
        String error = fails("storage:volume-attach f7 vm7");
        assertTrue(error, error.contains("the hypervisor refuses the disk (test)"));
        assertState("READY", volume("f7"));
        assertTrue("the SAN volume was made before the hypervisor was asked: " + san.volumes(), san.volume(id).isPresent());
        assertEquals("the grant was taken back: " + san.groups(id), Map.of(), san.groups(id));
        assertEquals(List.of(), san.initiators(id));
        assertTrue("no disk on the host: " + h7.disks(), h7.disk(id).isEmpty());

        ok("storage:volume-attach f7 vm7");
        assertState("ATTACHED", volume("f7"));
        assertEquals(List.of(INITIATOR_PREFIX + "h7"), san.initiators(id));
        assertTrue(h7.disk(id).isPresent());
        ok("storage:volume-detach f7");
        assertEquals(List.of(), san.initiators(id));
    }

    private long poolVolumes(String pool) {
        return pool(pool).orElseThrow().path("volumes").asLong(-1);
    }

    private static void assertRefused(String field, String error, String... says) {
        assertOneLineNaming(field, error);
        for (String s : says) {
            assertTrue("the error should say '" + s + "': " + error, error.contains(s));
        }
    }
}
