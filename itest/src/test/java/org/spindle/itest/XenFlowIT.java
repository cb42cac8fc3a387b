package org.spindle.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.spindle.solidfire.simulator.ElementSimulator;
import org.spindle.solidfire.simulator.Views;
import org.spindle.xen.simulator.TgtLun;
import org.spindle.xen.simulator.XenSimulator;

/**
 * Issue 10 through Karaf: the distribution as a process with its SolidFire driver on an Element simulator serving
 * real tgt LUNs, and its Xen attach service on a simulated pool of three hosts (in this JVM). The hosts' XenAPI
 * storage managers log in to the LUNs with libiscsi as each host's initiator, so the SAN's access group must hold
 * all three. The seed flow through the shell, with the pool's objects checked after each step.
 */
public class XenFlowIT {
    private static final String POOL = "sfx";
    private static final String ZONE = "zxen";
    private static final String XEN = "xenpool";
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String[] IQNS = {"iqn.2026-12.org.spindle.itest:xen1-" + RUN, "iqn.2026-12.org.spindle.itest:xen2-" + RUN,
            "iqn.2026-12.org.spindle.itest:xen3-" + RUN};
    private static final String VM = "xenvm-" + RUN;
    private static final String HALTED = "xenoff-" + RUN;

    private static final String OPERATOR_SR = "operator-sr-" + RUN;
    private static final String STATIC_POOL = "xstatic";

    private static ElementSimulator san;
    private static TgtLun operatorLun;
    private static XenSimulator xen;
    private static KarafProcess karaf;

    @BeforeClass
    public static void start() throws Exception {
        Peers.requireTgt();
        Peers.requireLibiscsi();
        Path work = Files.createDirectories(Paths.get("target/xen-flow").toAbsolutePath());
        san = ElementSimulator.builder().uniqueId("xen" + RUN).tgt(ElementSimulator.TgtMode.ON)
                .credentials("admin", "pw-" + UUID.randomUUID()).start();
        xen = XenSimulator.builder().host("xen1", IQNS[0]).host("xen2", IQNS[1]).host("xen3", IQNS[2])
                .vm(VM, "xen2", true).vm(HALTED, null, false).password("xen-" + UUID.randomUUID()).build().start();
        // an SR the operator made, on a LUN of its own that admits the three hosts, offered as static pool xstatic
        operatorLun = TgtLun.create("flow-" + RUN, 256L << 20, "xenflow" + RUN, "xfS" + RUN + "1234", IQNS);
        xen.createSr(OPERATOR_SR, Map.of("target", "127.0.0.1", "targetIQN", operatorLun.iqn, "chapuser", operatorLun.user,
                "chappassword", operatorLun.secret, "SCSIid", operatorLun.scsiId()));
        karaf = KarafProcess.unpack(Paths.get(System.getProperty("spindle.distribution.tar")), work.resolve("spindle"));
        Files.writeString(karaf.home.resolve("etc/org.spindle.driver.solidfire-" + POOL + ".cfg"),
                "mvip = " + san.url().replaceFirst("^https://", "") + "\nusername = " + san.adminUser() + "\n.password = "
                        + san.adminPassword() + "\ntls.fingerprint.sha256 = " + san.certificateSha256() + "\nstorage.pool = "
                        + POOL + "\nstorage.zone = " + ZONE + "\nstorage.tags = xen\ntarget.lun = " + san.lun() + "\n");
        Files.writeString(karaf.home.resolve("etc/org.spindle.hyper.xen-" + XEN + ".cfg"),
                "pool.name = " + XEN + "\nxen.url = " + xen.url() + "\nxen.user = root\n.xen.password = " + xen.password()
                        + "\ntls.fingerprint.sha256 = " + xen.certificateSha256() + "\nstorage.zone = " + ZONE + "\nstatic.srs = " + OPERATOR_SR + "\n");
        Files.writeString(karaf.home.resolve("etc/org.spindle.storage.pool.static-" + STATIC_POOL + ".cfg"), "name = " + STATIC_POOL
                + "\nzone = " + ZONE + "\ntags = " + STATIC_POOL + "\nstructure = " + OPERATOR_SR + "\ncapacity.bytes = " + (200L << 20) + "\n");
        karaf.start();
        karaf.awaitClient(Duration.ofSeconds(120), r -> r.exit() == 0 && r.output().contains("\"" + POOL + "\"")
                        && r.output().contains("\"available\" : true") && r.output().contains("\"" + XEN + "\"")
                        && r.output().contains("\"" + STATIC_POOL + "\"")
                        && r.output().contains("BOUND"),
                "storage:pool-list --json", "storage:hypervisor-list --json");
    }

    @AfterClass
    public static void stop() throws Exception {
        try {
            if (karaf != null) {
                karaf.close();
            }
        } finally {
            if (xen != null) {
                xen.close();
            }
            if (san != null) {
                san.close();
            }
            if (operatorLun != null) {
                operatorLun.close();
            }
        }
    }

    private static int count(String cls) {
        return xen.records(cls).size();
    }

    /** Spindle's SRs (labelled spindle:<volume uuid>); the operator's is not one. */
    private static List<String> spindleSrs() {
        return xen.records("SR").stream().filter(r -> String.valueOf(r.get("name_description")).startsWith("spindle:"))
                .map(r -> (String) r.get("ref")).toList();
    }

    private static List<Map<String, Object>> spindlePbds() {
        List<String> srs = spindleSrs();
        return xen.records("PBD").stream().filter(p -> srs.contains((String) p.get("SR"))).toList();
    }

    /** Nothing of Spindle's is left; the operator's SR with its three PBDs (and their secrets) is untouched. */
    private static void assertNothingInThePool() {
        assertEquals(List.of(), spindleSrs());
        assertEquals(1, count("SR"));
        assertEquals(3, count("PBD"));
        assertEquals(3, count("secret"));
        assertEquals(xen.records("VDI").toString(), 0, count("VDI"));
        assertEquals(xen.records("VBD").toString(), 0, count("VBD"));
    }

    @Test
    public void seedFlowOnAPoolOfThreeHosts() throws Exception {
        // the pool's hosts, read from the pool
        String hv = karaf.ok("storage:hypervisor-list").output();
        assertTrue(hv, hv.contains("xen1") && hv.contains("xen2") && hv.contains("xen3") && hv.contains("weight"));

        karaf.ok("storage:offering-create --tags xen --min-iops 500 --max-iops 1000 --burst-iops 1500 xengold",
                "storage:volume-create --offering xengold --size 1G xv1");
        String attached = karaf.ok("storage:volume-attach xv1 " + VM).output();
        assertTrue(attached, attached.contains("attached"));
        JsonNode shown = karaf.json("storage:volume-show --json xv1");
        assertEquals("ATTACHED", shown.path("state").asText());

        // the pool: one SR with a plugged PBD on every host, a VDI, a plugged VBD in the VM
        assertEquals(1, spindleSrs().size());
        assertEquals(3, spindlePbds().size());
        spindlePbds().forEach(p -> assertEquals(p.toString(), true, p.get("currently_attached")));
        assertEquals(1, count("VDI"));
        Map<String, Object> vbd = xen.records("VBD").get(0);
        assertEquals(true, vbd.get("currently_attached"));
        assertEquals(shown.path("id").asText(), ((Map<?, ?>) vbd.get("other_config")).get("spindle-volume"));
        // the SAN's access group holds the three hosts' initiators
        JsonNode groups = san.invoke("ListVolumeAccessGroups", JsonNodeFactory.instance.objectNode(), "12.3");
        Set<String> initiators = new TreeSet<>();
        groups.path("volumeAccessGroups").forEach(g -> g.path("initiators").forEach(i -> initiators.add(i.asText())));
        assertEquals(Set.of(IQNS), initiators);

        // grown while attached: the SAN grows the LUN, the SR is scanned and the VDI fills it again
        long before = (Long) xen.records("VDI").get(0).get("virtual_size");
        karaf.ok("storage:volume-resize xv1 2G");
        long after = (Long) xen.records("VDI").get(0).get("virtual_size");
        assertTrue(before + " -> " + after, after > before && after > (1L << 30) && after <= (2L << 30));

        // the VM moves within the pool; detach still finds everything
        xen.migrate(VM, "xen3");
        karaf.ok("storage:volume-detach xv1");
        assertNothingInThePool();

        // a detach interrupted half-way (PBD.destroy fails once) converges on the next one; re-attach works
        karaf.ok("storage:volume-attach xv1 " + VM);
        xen.faults().fail("PBD.destroy", 1, "INTERNAL_ERROR", "injected by XenFlowIT");
        karaf.fails("storage:volume-detach xv1");
        karaf.ok("storage:volume-detach xv1");
        assertNothingInThePool();
        karaf.ok("storage:volume-attach xv1 " + VM);
        assertEquals(3, spindlePbds().size());
        assertEquals(true, xen.records("VBD").get(0).get("currently_attached"));
        karaf.ok("storage:volume-detach xv1", "storage:volume-delete xv1");
        assertNothingInThePool();
        assertEquals(List.<Views.Volume>of(), san.volumes());
    }

    @Test
    public void aStaticSrHoldsAVdiPerVolume() throws Exception {
        karaf.ok("storage:offering-create --tags " + STATIC_POOL + " --weight 500 xsw",
                "storage:volume-create --offering xsw --size 64M xs1", "storage:volume-attach xs1 " + VM);
        List<Map<String, Object>> vdis = xen.records("VDI");
        assertEquals(1, vdis.size());
        String operatorSr = xen.records("SR").stream().filter(r -> OPERATOR_SR.equals(r.get("name_label"))).findFirst()
                .map(r -> (String) r.get("ref")).orElseThrow();
        assertEquals(operatorSr, vdis.get(0).get("SR"));
        assertEquals(64L << 20, vdis.get(0).get("virtual_size"));
        Map<String, Object> vbd = xen.records("VBD").get(0);
        assertEquals(true, vbd.get("currently_attached"));
        assertEquals("ionice", vbd.get("qos_algorithm_type"));
        karaf.ok("storage:volume-detach xs1");
        assertEquals(0, count("VBD"));
        assertEquals("the disk stays with the volume", 1, count("VDI"));
        karaf.ok("storage:volume-delete xs1");
        assertNothingInThePool();
    }

    @Test
    public void aHaltedVmGetsItsVbdUnplugged() throws Exception {
        karaf.ok("storage:offering-create --tags xen --min-iops 100 --max-iops 200 --burst-iops 300 xencold",
                "storage:volume-create --offering xencold --size 1G xv2", "storage:volume-attach xv2 " + HALTED);
        assertEquals(false, xen.records("VBD").get(0).get("currently_attached"));
        karaf.ok("storage:volume-detach xv2", "storage:volume-delete xv2");
        assertNothingInThePool();
    }

    @Test
    public void readWriteIopsCapsAreRefusedOnXenWithTheReason() throws Exception {
        karaf.ok("storage:offering-create --tags xen --min-iops 500 --max-iops 1000 --burst-iops 1500 --read-iops 400 --write-iops 200 xenrw",
                "storage:volume-create --offering xenrw --size 1G xv3");
        String refused = karaf.fails("storage:volume-attach xv3 " + VM);
        assertTrue(refused, refused.contains("read-iops 400") && refused.contains("weight"));
        assertNothingInThePool();
        karaf.ok("storage:volume-delete xv3");
    }
}
