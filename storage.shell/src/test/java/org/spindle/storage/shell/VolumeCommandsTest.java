package org.spindle.storage.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.spindle.storage.api.IoStats;
import org.spindle.storage.api.Portal;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.Limit;
import org.spindle.storage.api.qos.StorageQos;
import org.spindle.storage.api.volume.Volume;
import org.spindle.storage.api.volume.VolumeSpec;
import org.spindle.storage.api.volume.VolumeState;

class VolumeCommandsTest {
    private final FakeVolumeService volumes = new FakeVolumeService();
    private final ObjectMapper mapper = new ObjectMapper();

    private VolumeCreate create(String name, String size) {
        VolumeCreate c = new VolumeCreate();
        c.volumes = volumes;
        c.name = name;
        c.offering = "gold";
        c.size = size;
        return c;
    }

    private StorageException refused(String field, Command command) {
        StorageException e = assertThrows(StorageException.class, command::run);
        assertEquals(Reason.INVALID_ARGUMENT, e.reason());
        assertEquals(field, e.field());
        assertTrue(e.getMessage().startsWith(field + ": "), e.getMessage());
        assertEquals(List.of(), volumes.calls, "no service call for bad input");
        return e;
    }

    interface Command {
        void run() throws Exception;
    }

    // volume-create

    @Test
    void createPassesTheSpec() throws Exception {
        String out = Console.run(create("vol1", "1.5G"));

        assertEquals(new VolumeSpec("vol1", "gold", 3L << 29, "admin", StorageQos.NONE), volumes.created);
        assertEquals(List.of("create vol1"), volumes.calls);
        assertTrue(out.startsWith("Volume vol1 created: id "), out);
        assertTrue(out.contains("10 GiB (10737418240 bytes), pool sf-1, ALLOCATED"), out);
    }

    @Test
    void createWithTenantAndCustomIops() throws Exception {
        VolumeCreate c = create("vol1", "10G");
        c.tenant = "project-7";
        c.minIops = "500";
        c.maxIops = "1000";
        c.burstIops = "2000";
        Console.run(c);

        assertEquals(new VolumeSpec("vol1", "gold", 10L << 30, "project-7", new StorageQos(500, 1000, 2000)),
                volumes.created);
    }

    @Test
    void createRefusesABadSizeWithoutCallingTheService() {
        StorageException e = refused("size", () -> Console.run(create("vol1", "10GB")));
        assertTrue(e.getMessage().contains("GB is ambiguous"), e.getMessage());
        refused("size", () -> Console.run(create("vol1", "-1G")));
        refused("size", () -> Console.run(create("vol1", "0")));
        assertEquals("size: must be at least 1M (1048576 bytes) (was 4096)",
                refused("size", () -> Console.run(create("vol1", "4K"))).getMessage());
    }

    @Test
    void createRefusesBadNamesAndIopsWithoutCallingTheService() {
        refused("name", () -> Console.run(create("bad name", "10G")));
        VolumeCreate tenant = create("vol1", "10G");
        tenant.tenant = "";
        refused("tenant", () -> Console.run(tenant));
        VolumeCreate iops = create("vol1", "10G");
        iops.minIops = "2000";
        iops.maxIops = "1000";
        refused("min-iops", () -> Console.run(iops));
        VolumeCreate garbage = create("vol1", "10G");
        garbage.burstIops = "lots";
        refused("burst-iops", () -> Console.run(garbage));
    }

    // volume-list

    @Test
    void listPrintsATable() throws Exception {
        volumes.with(Samples.volume("vol1", VolumeState.READY), Samples.attached("vol2"),
                Samples.volume("gone", VolumeState.DESTROYED));
        VolumeList list = new VolumeList();
        list.volumes = volumes;

        String out = Console.run(list);

        assertFalse(volumes.queries.get(0).includeDestroyed());
        List<String> lines = out.lines().toList();
        assertEquals(List.of("NAME", "ID", "TENANT", "STATE", "SIZE", "OFFERING", "POOL", "VM", "MIN", "IOPS", "MAX",
                "IOPS", "BURST", "IOPS"), List.of(lines.get(0).split("[\\s│|]+")));
        assertEquals(4, lines.size(), out); // header, separator, two rows
        assertTrue(lines.get(2).contains("vol1") && lines.get(2).contains("READY") && lines.get(2).contains("10 GiB"));
        assertTrue(lines.get(3).contains("vol2") && lines.get(3).contains("vm-1") && lines.get(3).contains("2000"));
        assertTrue(lines.get(3).contains(Samples.attached("vol2").id().toString().substring(0, 8)));
        assertFalse(out.contains("gone"));
    }

    @Test
    void listAllIncludesDestroyed() throws Exception {
        volumes.with(Samples.volume("gone", VolumeState.DESTROYED));
        VolumeList list = new VolumeList();
        list.volumes = volumes;
        list.all = true;

        assertTrue(Console.run(list).contains("DESTROYED"));
        assertTrue(volumes.queries.get(0).includeDestroyed());
    }

    @Test
    void listOfNothingSaysSo() throws Exception {
        VolumeList list = new VolumeList();
        list.volumes = volumes;
        assertTrue(Console.run(list).contains("No volumes"));
    }

    @Test
    void listJsonIsAnArrayOfVolumes() throws Exception {
        volumes.with(Samples.volume("vol1", VolumeState.READY), Samples.attached("vol2"));
        VolumeList list = new VolumeList();
        list.volumes = volumes;
        list.json = true;

        JsonNode array = mapper.readTree(Console.run(list));

        assertTrue(array.isArray());
        assertEquals(2, array.size());
        assertEquals("vol1", array.get(0).get("name").asText());
        assertEquals("READY", array.get(0).get("state").asText());
        assertEquals(10L << 30, array.get(0).get("sizeBytes").asLong());
        assertEquals("vm-1", array.get(1).get("attachment").get("vm").asText());
        assertTrue(array.get(0).get("target").isNull());
    }

    // volume-show

    @Test
    void showPrintsQosTargetAndAttachmentButNeverChap() throws Exception {
        volumes.with(Samples.attached("vol1"));
        VolumeShow show = new VolumeShow();
        show.volumes = volumes;
        show.volume = "vol1";

        String out = Console.run(show);

        assertTrue(out.contains("Name:"), out);
        assertLine(out, "State", "ATTACHED");
        assertLine(out, "Size", "10 GiB (10737418240 bytes)");
        assertLine(out, "Tenant", "tenant-9");
        assertLine(out, "Effective QoS", "guaranteed 1000 IOPS, max 2000 IOPS, burst 3000 IOPS, throughput 100 MiB/s");
        assertLine(out, "Protocol", "iscsi");
        assertLine(out, "Portals", "10.0.0.5:3260,[fd00::5]:3261");
        assertLine(out, "IQN", "iqn.2010-01.com.solidfire:abc.vol1.42");
        assertLine(out, "LUN", "0");
        assertLine(out, "Device id", Samples.DEVICE_ID);
        assertLine(out, "VM", "vm-1");
        assertLine(out, "VM id", Samples.VM_ID);
        assertLine(out, "Host", "kvm-3");
        assertLine(out, "Attach service", "kvm-3");
        assertLine(out, "Device", "sdb");
        assertLine(out, "Initiators", Samples.IQN_KVM_3);
        assertLine(out, "Created", "2026-01-02T03:04:05Z");
        assertNoChap(out);
    }

    @Test
    void showJsonIsOneObjectWithoutChap() throws Exception {
        volumes.with(Samples.attached("vol1"));
        VolumeShow show = new VolumeShow();
        show.volumes = volumes;
        show.volume = "vol1";
        show.json = true;

        String out = Console.run(show);
        JsonNode v = mapper.readTree(out);

        assertNoChap(out);
        assertTrue(v.isObject());
        assertEquals(Samples.attached("vol1").id().toString(), v.get("id").asText());
        for (String field : List.of("id", "name", "tenant", "sizeBytes", "offering", "pool", "state", "version",
                "requested", "plan", "sanId", "target", "attachment", "error", "created", "updated", "applied", "drift")) {
            assertTrue(v.has(field), field);
        }
        assertEquals(2000, v.get("plan").get("storage").get("maxIops").asLong());
        assertEquals(800, v.get("plan").get("hypervisor").get("readIops").get("burst").asLong());
        assertEquals(100L << 20, v.get("plan").get("effective").get("maxBytesPerSec").asLong());
        assertEquals(List.of("protocol", "portals", "name", "lun", "deviceId"), names(v.get("target")));
        assertEquals("[fd00::5]:3261", v.get("target").get("portals").get(1).asText());
        assertEquals(Samples.DEVICE_ID, v.get("target").get("deviceId").asText());
        JsonNode a = v.get("attachment");
        assertEquals(List.of("service", "vmId", "vm", "host", "device", "initiators"), names(a));
        assertEquals(Samples.VM_ID, a.get("vmId").asText());
        assertEquals(Samples.IQN_KVM_3, a.get("initiators").get(0).asText());
        assertEquals("2026-01-02T03:05:05Z", v.get("updated").asText());
    }

    @Test
    void showOfAClusterAttachmentNamesTheServiceAndEveryGrantedInitiator() throws Exception {
        volumes.with(Samples.attachedToCluster("vol1"));
        VolumeShow show = new VolumeShow();
        show.volumes = volumes;
        show.volume = "vol1";

        String out = Console.run(show);

        assertLine(out, "Host", "xen-2");
        assertLine(out, "Attach service", "pool-a");
        assertLine(out, "Device", "xvdc");
        assertLine(out, "Initiators", Samples.IQN_XEN_1 + "," + Samples.IQN_XEN_2);

        show.json = true;
        JsonNode a = mapper.readTree(Console.run(show)).get("attachment");
        assertEquals("pool-a", a.get("service").asText());
        assertEquals(2, a.get("initiators").size());
        assertEquals(Samples.IQN_XEN_2, a.get("initiators").get(1).asText());
    }

    @Test
    void showOfATargetWithoutDeviceIdSaysSo() throws Exception {
        Volume attached = Samples.attached("vol1");
        Target t = attached.target();
        volumes.with(new Volume(attached.id(), "vol1", attached.tenant(), attached.sizeBytes(), attached.offering(),
                attached.pool(), attached.state(), attached.version(), attached.requested(), attached.plan(),
                attached.sanId(), new Target(t.protocol(), List.of(Portal.iscsi("san.example")), t.name(), 3, null, null),
                attached.attachment(), null, attached.created(), attached.updated()));
        VolumeShow show = new VolumeShow();
        show.volumes = volumes;
        show.volume = "vol1";

        String out = Console.run(show);

        assertLine(out, "Portals", "san.example:3260");
        assertLine(out, "LUN", "3");
        assertLine(out, "Device id", "-");
        show.json = true;
        assertTrue(mapper.readTree(Console.run(show)).get("target").get("deviceId").isNull());
    }

    @Test
    void showOfAnUnknownVolumeIsNotFound() {
        VolumeShow show = new VolumeShow();
        show.volumes = volumes;
        show.volume = "nope";
        StorageException e = assertThrows(StorageException.class, () -> Console.run(show));
        assertEquals(Reason.NOT_FOUND, e.reason());
        assertEquals("volume: no volume named 'nope'", e.getMessage());
    }

    @Test
    void showOfAnAllocatedVolume() throws Exception {
        volumes.with(Samples.volume("vol1", VolumeState.ALLOCATED));
        VolumeShow show = new VolumeShow();
        show.volumes = volumes;
        show.volume = "vol1";
        String out = Console.run(show);
        assertLine(out, "Target", "none (not created on the SAN yet)");
        assertLine(out, "Attached", "no");
        assertLine(out, "SAN id", "-");
    }

    // volume-stats

    @Test
    void statsAsLinesAndJson() throws Exception {
        volumes.with(Samples.attached("vol1"));
        volumes.stats = new IoStats(10, 20, 4096, 1L << 30, Instant.parse("2026-01-02T03:04:05Z"));
        VolumeStats stats = new VolumeStats();
        stats.volumes = volumes;
        stats.volume = "vol1";

        String out = Console.run(stats);
        assertLine(out, "Read ops", "10");
        assertLine(out, "Write bytes", "1 GiB (1073741824 bytes)");

        stats.json = true;
        JsonNode node = mapper.readTree(Console.run(stats));
        assertEquals(List.of("readOps", "writeOps", "readBytes", "writeBytes", "sampledAt"), names(node));
        assertEquals("2026-01-02T03:04:05Z", node.get("sampledAt").asText());
    }

    // volume-attach, detach, resize, delete

    @Test
    void attachDelegates() throws Exception {
        volumes.with(Samples.attached("vol1"));
        VolumeAttach attach = new VolumeAttach();
        attach.volumes = volumes;
        attach.volume = "vol1";
        attach.vm = "vm-1";

        String out = Console.run(attach);

        assertEquals(List.of("attach vol1 vm-1"), volumes.calls);
        assertNull(volumes.attachHost);
        assertEquals("Volume vol1 attached to vm-1 on host kvm-3 as sdb", out.strip());

        attach.host = "kvm-3";
        Console.run(attach);
        assertEquals("kvm-3", volumes.attachHost);
    }

    @Test
    void attachThroughAClusterServiceNamesTheService() throws Exception {
        volumes.with(Samples.attachedToCluster("vol1"));
        VolumeAttach attach = new VolumeAttach();
        attach.volumes = volumes;
        attach.volume = "vol1";
        attach.vm = Samples.VM_ID;
        attach.host = "pool-a";

        String out = Console.run(attach);

        assertEquals(List.of("attach vol1 " + Samples.VM_ID), volumes.calls);
        assertEquals("pool-a", volumes.attachHost, "--host passes an attach service name through as it is");
        assertEquals("Volume vol1 attached to vm-1 on host xen-2 as xvdc (attach service pool-a)", out.strip());
    }

    @Test
    void detachAndDeleteDelegate() throws Exception {
        volumes.with(Samples.volume("vol1", VolumeState.DESTROYED));
        VolumeDetach detach = new VolumeDetach();
        detach.volumes = volumes;
        detach.volume = "vol1";
        assertEquals("Volume vol1 detached", Console.run(detach).strip());
        VolumeDelete delete = new VolumeDelete();
        delete.volumes = volumes;
        delete.volume = "vol1";
        assertEquals("Volume vol1 deleted (DESTROYED)", Console.run(delete).strip());
        assertEquals(List.of("detach vol1", "delete vol1"), volumes.calls);
    }

    @Test
    void serviceFailuresPropagateAsTheyAre() {
        VolumeDetach detach = new VolumeDetach();
        detach.volumes = volumes;
        detach.volume = "nope";
        StorageException e = assertThrows(StorageException.class, () -> Console.run(detach));
        assertEquals("volume nope not found", e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Reason.class)
    void everyReasonReachesTheConsoleUnchanged(Reason reason) {
        StorageException failure = new StorageException(reason, "size", "pool sf-1: " + reason + " while resizing", null);
        volumes.with(Samples.volume("vol1", VolumeState.READY));
        volumes.failure = failure;
        VolumeResize resize = new VolumeResize();
        resize.volumes = volumes;
        resize.volume = "vol1";
        resize.size = "20G";

        StorageException e = assertThrows(StorageException.class, () -> Console.run(resize));

        assertSame(failure, e, "CAPACITY, BUSY and the others are neither wrapped nor reworded");
        assertEquals(List.of("resize vol1"), volumes.calls);
    }

    @Test
    void resizeParsesTheSize() throws Exception {
        volumes.with(Samples.volume("vol1", VolumeState.READY));
        VolumeResize resize = new VolumeResize();
        resize.volumes = volumes;
        resize.volume = "vol1";
        resize.size = "20GiB";
        Console.run(resize);
        assertEquals(20L << 30, volumes.resizedTo);

        volumes.calls.clear();
        resize.size = "20 GB";
        refused("size", () -> Console.run(resize));
    }

    // volume-qos

    @Test
    void qosKeepsUnsetValuesAndSendsTheCombination() throws Exception {
        volumes.with(Samples.attached("vol1"));
        VolumeQos qos = new VolumeQos();
        qos.volumes = volumes;
        qos.volume = "vol1";
        qos.maxIops = "2500";
        qos.readIopsMax = "900";  // only the burst: the rate (500) stays
        qos.writeBps = "50M";

        String out = Console.run(qos);

        assertEquals(List.of("get vol1", "changeQos vol1"), volumes.calls);
        assertEquals(new StorageQos(1000, 2500, 3000), volumes.qos.storage());
        assertEquals(new IoLimits(new Limit(500, 900, 30), Limit.NONE, Limit.NONE, Limit.NONE, Limit.of(50L << 20),
                Limit.of(100L << 20)), volumes.qos.limits());
        assertLine(out, "Effective QoS", "guaranteed 1000 IOPS, max 2000 IOPS, burst 3000 IOPS, throughput 100 MiB/s");
    }

    @Test
    void qosRefusesBadInputBeforeAnyCall() {
        volumes.with(Samples.attached("vol1"));
        VolumeQos none = new VolumeQos();
        none.volumes = volumes;
        none.volume = "vol1";
        assertEquals("qos: give at least one QoS option, e.g. --max-iops 2000, --total-bps 200M or --weight 500",
                refused("qos", () -> Console.run(none)).getMessage());

        VolumeQos garbage = new VolumeQos();
        garbage.volumes = volumes;
        garbage.volume = "vol1";
        garbage.totalBps = "fast";
        refused("total-bps", () -> Console.run(garbage));
    }

    @Test
    void qosSetsTheWeightAndKeepsTheLimits() throws Exception {
        volumes.with(Samples.attached("vol1"));
        VolumeQos qos = new VolumeQos();
        qos.volumes = volumes;
        qos.volume = "vol1";
        qos.weight = "700";

        Console.run(qos);

        assertEquals(Samples.REQUESTED.limits().withWeight(700), volumes.qos.limits());
        assertEquals(Samples.REQUESTED.storage(), volumes.qos.storage());
    }

    @Test
    void qosRefusesAWeightOutOfRangeBeforeAnyCall() {
        volumes.with(Samples.attached("vol1"));
        for (String bad : List.of("0", "1001", "-5", "heavy", "1.5")) {
            VolumeQos qos = new VolumeQos();
            qos.volumes = volumes;
            qos.volume = "vol1";
            qos.weight = bad;
            refused("weight", () -> Console.run(qos));
        }
    }

    @Test
    void qosRefusesACombinationThatContradictsTheCurrentValues() {
        volumes.with(Samples.attached("vol1"));
        VolumeQos qos = new VolumeQos();
        qos.volumes = volumes;
        qos.volume = "vol1";
        qos.readIops = "1000"; // above the current burst 800
        StorageException e = assertThrows(StorageException.class, () -> Console.run(qos));
        assertEquals("read-iops-max", e.field());
        assertEquals("read-iops-max: must be at least read-iops 1000 (was 800)", e.getMessage());
        assertEquals(List.of(), volumes.writes());
    }

    static void assertLine(String out, String key, String value) {
        assertTrue(out.lines().anyMatch(l -> l.matches(java.util.regex.Pattern.quote(key) + ": +"
                + java.util.regex.Pattern.quote(value))), key + ": " + value + " in\n" + out);
    }

    static void assertNoChap(String out) {
        assertFalse(out.contains(Samples.CHAP_SECRET), out);
        assertFalse(out.contains(Samples.CHAP_TARGET_SECRET), out);
        assertFalse(out.contains(Samples.CHAP_USER), out);
        assertFalse(out.contains(Samples.CHAP_TARGET_USER), out);
        assertFalse(out.toLowerCase().contains("chap"), out);
    }

    static List<String> names(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
