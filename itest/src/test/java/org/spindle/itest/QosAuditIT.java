package org.spindle.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.spindle.itest.KvmKarafRig.DEVICE;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.After;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.spindle.solidfire.simulator.CallCounter;
import org.spindle.solidfire.simulator.Views;

/**
 * Issue 12's drift audit through Karaf, on real peers ({@link KvmKarafRig}: the distribution as a process, the Element
 * simulator on real tgt LUNs, the local libvirtd and a running QEMU VM). A volume is attached with storage QoS and
 * hypervisor limits; then its QoS is changed behind Spindle's back, on the SAN with the Element API's own
 * {@code ModifyVolume} over HTTPS (what the SolidFire UI does) and on the disk with {@code virsh blkdeviotune}.
 * {@code storage:qos-audit} names each drifted value (side, field, expected, found) and leaves it in report mode,
 * {@code storage:qos-audit --heal} applies the plan again, and both sides read back in line afterwards. The audit of
 * one volume costs one read per side, counted by the audit and on the simulator. A viewer may audit but not heal
 * (the argument-matched line of the storage command ACL).
 *
 * <p>The core's periodic audit is turned off ({@code etc/org.spindle.storage.qos.cfg}, {@code audit.interval.seconds = 0},
 * mode report) once the distribution runs, so that only the commands act.
 */
public class QosAuditIT {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static KvmKarafRig rig;

    @BeforeClass
    public static void start() throws Exception {
        rig = KvmKarafRig.start("qosaudit");
        // the periodic pass off, report mode (the default, written down): only the commands act
        Files.writeString(rig.karaf.home.resolve("etc/org.spindle.storage.qos.cfg"), "audit.interval.seconds = 0\naudit.mode = report\n");
        rig.karaf.awaitClient(KvmKarafRig.READY, r -> r.exit() == 0 && r.output().matches("(?s).*audit.interval.seconds\\s*=\\s*0.*"),
                "config:property-list --pid org.spindle.storage.qos");
    }

    @After
    public void removeVolumes() throws Exception {
        rig.removeVolumes();
    }

    @AfterClass
    public static void cleanUp() throws Exception {
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    public void driftOnTheSanAndOnTheDiskIsFoundReportedAndHealed() throws Exception {
        rig.karaf.ok("storage:offering-create --tags kvm --min-iops 500 --max-iops 1000 --burst-iops 1500 --read-iops 400 "
                + "--write-iops 200 qagold", "storage:volume-create --offering qagold --size 1G " + rig.volume("qa1"));
        Matcher attached = DEVICE.matcher(rig.karaf.ok("storage:volume-attach qa1 " + rig.vmName).output());
        assertTrue(attached.find());
        String device = attached.group(1);
        Views.Volume onSan = rig.sim.volumes().get(0);
        assertEquals(List.of(500L, 1000L, 1500L), List.of(onSan.minIOPS(), onSan.maxIOPS(), onSan.burstIOPS()));

        // ---- in line: nothing drifted, one read per side
        CallCounter.Counts before = rig.sim.calls().snapshot();
        JsonNode clean = rig.karaf.json("storage:qos-audit --json qa1");
        CallCounter.Counts cost = rig.sim.calls().snapshot().minus(before);
        assertEquals(clean.toString(), 0, clean.path("findings").size());
        assertEquals(clean.toString(), 1, clean.path("volumes").asInt());
        assertEquals(clean.toString(), 1, clean.path("storageReads").asInt());
        assertEquals(clean.toString(), 1, clean.path("hypervisorReads").asInt());
        assertTrue("at most one SAN call for one volume's audit: " + cost, cost.total() - cost.get("GetClusterCapacity") <= 1);
        System.out.println("QosAuditIT: SAN calls of one volume's audit, counted on the simulator: " + cost);

        // ---- behind Spindle's back: the SAN through its own API, the disk through virsh
        elementCall("ModifyVolume", MAPPER.createObjectNode().put("volumeID", onSan.volumeID())
                .set("qos", MAPPER.createObjectNode().put("minIOPS", 500).put("maxIOPS", 2000).put("burstIOPS", 3000)));
        // libvirt sets IOPS limits as a group (total, read, write): given read alone it clears write, so write is
        // given again as it was and only read changes
        Peers.virsh("blkdeviotune", rig.vmName, device, "--live", "--read-iops-sec", "900", "--write-iops-sec", "200");
        Map<String, Long> changed = rig.vm.blkdeviotune(device);
        assertEquals(changed.toString(), List.of(900L, 200L), List.of(changed.get("read_iops_sec"), changed.get("write_iops_sec")));

        // ---- report mode: found, named, marked on the volume, left as it is
        JsonNode report = rig.karaf.json("storage:qos-audit --json qa1");
        assertEquals(report.toString(), 1, report.path("findings").size());
        JsonNode finding = report.path("findings").get(0);
        assertEquals("qa1", finding.path("volume").asText());
        assertFalse(finding.toString(), finding.path("healed").asBoolean());
        List<String> drift = drift(finding.path("drift"));
        assertTrue(drift.toString(), drift.containsAll(List.of("STORAGE max-iops 1000 2000", "STORAGE burst-iops 1500 3000",
                "HYPERVISOR read-iops 400 900")));
        assertEquals("only what was changed drifted: " + drift, 3, drift.size());
        assertEquals(drift, drift(rig.karaf.json("storage:volume-show --json qa1").path("drift")));
        assertEquals("report mode leaves the SAN as it is", 2000L, rig.sim.volume(onSan.volumeID()).orElseThrow().maxIOPS());
        assertEquals("report mode leaves the disk as it is", Long.valueOf(900), rig.vm.blkdeviotune(device).get("read_iops_sec"));

        String lines = rig.karaf.ok("storage:qos-audit qa1", "storage:volume-show qa1").output();
        assertTrue(lines, lines.contains("1 volume compared, 1 storage read, 1 hypervisor read; 1 drifted, 0 healed"));
        assertTrue(lines, lines.matches("(?s).*qa1 +[|│] storage +[|│] max-iops +[|│] 1000 +[|│] 2000 +[|│] no.*"));
        assertTrue(lines, lines.matches("(?s).*qa1 +[|│] hypervisor +[|│] read-iops +[|│] 400 +[|│] 900 +[|│] no.*"));
        assertTrue(lines, lines.matches("(?s).*QoS drift: +storage max-iops: expected 1000, found 2000.*"));
        assertTrue(lines, lines.matches("(?s).*QoS drift: +hypervisor read-iops: expected 400, found 900.*"));
        assertTrue(lines, lines.matches("(?s).*storage +[|│] max-iops +[|│] 1000 +[|│] 1000 +[|│] 2000.*"));

        // ---- heal: the plan applied again on both sides, and read back in line
        JsonNode healed = rig.karaf.json("storage:qos-audit --heal --json qa1");
        assertEquals(healed.toString(), 1, healed.path("findings").size());
        assertTrue(healed.toString(), healed.path("findings").get(0).path("healed").asBoolean());
        Views.Volume back = rig.sim.volume(onSan.volumeID()).orElseThrow();
        assertEquals("the SAN volume's QoS again", List.of(500L, 1000L, 1500L), List.of(back.minIOPS(), back.maxIOPS(), back.burstIOPS()));
        Map<String, Long> tune = rig.vm.blkdeviotune(device);
        assertEquals("the disk's limits again: " + tune, Long.valueOf(400), tune.get("read_iops_sec"));
        assertEquals("kept: " + tune, Long.valueOf(200), tune.get("write_iops_sec"));
        JsonNode after = rig.karaf.json("storage:qos-audit --json qa1");
        assertEquals("in line after healing: " + after, 0, after.path("findings").size());
        JsonNode shown = rig.karaf.json("storage:volume-show --json qa1");
        assertEquals(shown.toString(), 0, shown.path("drift").size());
        assertEquals(shown.toString(), 1000, shown.path("applied").path("storage").path("maxIops").asLong());
        assertEquals(shown.toString(), 400, shown.path("applied").path("hypervisor").path("readIops").path("rate").asLong());
        assertEquals("ATTACHED", shown.path("state").asText());
    }

    @Test
    public void aViewerAuditsButOnlyAnOperatorHeals() throws Exception {
        rig.karaf.ok("storage:offering-create --tags kvm --min-iops 300 --max-iops 600 --burst-iops 900 qasilver",
                "storage:volume-create --offering qasilver --size 1G " + rig.volume("qa2"),
                "storage:volume-attach qa2 " + rig.vmName);
        String viewer = KarafProcess.randomPassword();
        String operator = KarafProcess.randomPassword();
        // both users in one write, then wait until Karaf has replaced the passwords by their hashes: it rewrites the
        // file when it sees a plain password, and a line appended meanwhile would be lost
        Path users = rig.karaf.home.resolve("etc/users.properties");
        Files.writeString(users, "\nqaviewer = " + viewer + ",_g_:viewergroup\nqaoperator = " + operator + ",_g_:operatorgroup\n",
                StandardOpenOption.APPEND);
        KvmKarafRig.await(KvmKarafRig.READY, "Karaf hashes the new passwords", () -> {
            String text = Files.readString(users);
            return !text.contains(viewer) && !text.contains(operator) && text.contains("qaoperator");
        });
        Views.Volume onSan = rig.sim.volumes().stream().filter(v -> v.maxIOPS() == 600).findFirst().orElseThrow();
        elementCall("ModifyVolume", MAPPER.createObjectNode().put("volumeID", onSan.volumeID())
                .set("qos", MAPPER.createObjectNode().put("minIOPS", 300).put("maxIOPS", 700).put("burstIOPS", 900)));

        KarafProcess.Result audited = rig.karaf.clientAs("qaviewer", viewer, "storage:qos-audit qa2", "storage:usage --from 2026-01-01 --to 2027-01-01");
        assertEquals(audited.output(), 0, audited.exit());
        assertTrue(audited.output(), audited.output().contains("max-iops") && audited.output().contains("700"));
        KarafProcess.Result refused = rig.karaf.clientAs("qaviewer", viewer, "storage:qos-audit --heal qa2");
        assertTrue("a viewer healed: " + refused, refused.exit() != 0 && refused.output().contains("Insufficient credentials"));
        assertEquals("nothing healed for the viewer", 700L, rig.sim.volume(onSan.volumeID()).orElseThrow().maxIOPS());

        KarafProcess.Result healed = rig.karaf.clientAs("qaoperator", operator, "storage:qos-audit --heal qa2");
        assertEquals(healed.output(), 0, healed.exit());
        assertEquals(600L, rig.sim.volume(onSan.volumeID()).orElseThrow().maxIOPS());
    }

    /** Drift entries as {@code SIDE field expected found}. */
    private static List<String> drift(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(d -> out.add(d.path("side").asText() + " " + d.path("field").asText() + " " + d.path("expected").asLong()
                + " " + d.path("found").asLong()));
        return out;
    }

    /** One Element JSON-RPC call to the simulator over HTTPS, as the SAN's own UI or an operator's script makes it. */
    private static JsonNode elementCall(String method, ObjectNode params) throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(rig.sim.clientSslContext()).connectTimeout(Duration.ofSeconds(10)).build();
        String body = MAPPER.writeValueAsString(MAPPER.createObjectNode().put("method", method).put("id", 1).set("params", params));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(rig.sim.endpoint("12.3"))
                .header("Authorization", rig.sim.basicAuthorization()).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode reply = MAPPER.readTree(r.body());
        assertEquals(r.body(), 200, r.statusCode());
        assertTrue(method + " failed: " + r.body(), reply.has("result") && !reply.has("error"));
        return reply.path("result");
    }
}
