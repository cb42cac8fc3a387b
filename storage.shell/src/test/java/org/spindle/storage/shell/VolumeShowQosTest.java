package org.spindle.storage.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.spindle.storage.shell.VolumeCommandsTest.assertLine;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.spindle.storage.api.qos.AppliedQos;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.Limit;
import org.spindle.storage.api.qos.QosDrift;
import org.spindle.storage.api.qos.QosSide;
import org.spindle.storage.api.qos.StorageQos;
import org.spindle.storage.api.volume.Volume;
import org.spindle.storage.api.volume.VolumeState;

/** volume-show's QoS: requested, planned and applied side by side, the read-back time, the drift. */
class VolumeShowQosTest {
    static final Instant READ_AT = Instant.parse("2026-12-01T10:15:00Z");
    private final FakeVolumeService volumes = new FakeVolumeService();

    /** Attached; the SAN reports max 4000 (plan 2000), the hypervisor total-bps 200 MiB/s (plan 100) and weight 300. */
    static Volume drifted(String name) {
        Volume v = Samples.attached(name);
        AppliedQos applied = new AppliedQos(new StorageQos(1000, 4000, 4000),
                new IoLimits(new Limit(500, 800, 30), Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE,
                        Limit.of(200L << 20), 300), READ_AT);
        List<QosDrift> drift = List.of(new QosDrift(QosSide.STORAGE, "max-iops", 2000, 4000),
                new QosDrift(QosSide.STORAGE, "burst-iops", 3000, 4000),
                new QosDrift(QosSide.HYPERVISOR, "total-bps", 100L << 20, 200L << 20),
                new QosDrift(QosSide.HYPERVISOR, "weight", 0, 300));
        return new Volume(v.id(), name, v.tenant(), v.sizeBytes(), v.offering(), v.pool(), v.state(), v.version(),
                v.requested(), v.plan(), v.sanId(), v.target(), v.attachment(), null, v.created(), v.updated(),
                applied, drift);
    }

    private String show(Volume v, boolean json) throws Exception {
        volumes.with(v);
        VolumeShow show = new VolumeShow();
        show.volumes = volumes;
        show.volume = v.name();
        show.json = json;
        return Console.run(show);
    }

    /** The cells of the QoS table's row for {@code side field}. */
    private static List<String> row(String out, String side, String field) {
        return out.lines().map(l -> List.of(l.strip().split(" *[│|] *")))
                .filter(c -> c.size() == 5 && c.get(0).equals(side) && c.get(1).equals(field)).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + side + " " + field + " in\n" + out));
    }

    @Test
    void eachValueSideBySideRequestedPlannedApplied() throws Exception {
        String out = show(drifted("vol1"), false);

        assertTrue(out.lines().anyMatch(l -> l.matches("SIDE +[│|] FIELD +[│|] REQUESTED [│|] PLANNED +[│|] APPLIED\\s*")), out);
        assertEquals(List.of("storage", "min-iops", "1000", "1000", "1000"), row(out, "storage", "min-iops"));
        assertEquals(List.of("storage", "max-iops", "2000", "2000", "4000"), row(out, "storage", "max-iops"));
        assertEquals(List.of("storage", "burst-iops", "3000", "3000", "4000"), row(out, "storage", "burst-iops"));
        assertEquals(List.of("hypervisor", "read-iops", "500", "500", "500"), row(out, "hypervisor", "read-iops"));
        assertEquals(List.of("hypervisor", "read-iops-max", "800", "800", "800"), row(out, "hypervisor", "read-iops-max"));
        assertEquals(List.of("hypervisor", "read-iops-max-length", "30 s", "30 s", "30 s"),
                row(out, "hypervisor", "read-iops-max-length"));
        assertEquals(List.of("hypervisor", "total-bps", "100 MiB/s", "100 MiB/s", "200 MiB/s"),
                row(out, "hypervisor", "total-bps"));
        assertEquals(List.of("hypervisor", "weight", "-", "-", "300"), row(out, "hypervisor", "weight"));
        assertFalse(out.contains("write-iops"), "a value no column has is left out");
        assertLine(out, "Effective QoS", "guaranteed 1000 IOPS, max 2000 IOPS, burst 3000 IOPS, throughput 100 MiB/s");
        assertLine(out, "QoS read back", "2026-12-01T10:15:00Z");
    }

    @Test
    void oneDriftLinePerValueTheAuditFoundOffThePlan() throws Exception {
        String out = show(drifted("vol1"), false);

        List<String> drift = out.lines().filter(l -> l.startsWith("QoS drift:"))
                .map(l -> l.substring("QoS drift:".length()).strip()).toList();
        assertEquals(List.of("storage max-iops: expected 2000, found 4000", "storage burst-iops: expected 3000, found 4000",
                "hypervisor total-bps: expected 100 MiB/s, found 200 MiB/s", "hypervisor weight: expected none, found 300"),
                drift);
    }

    @Test
    void whatItsAttachServiceFoundChangedOutsideSpindle_isShown() throws Exception {
        Volume v = drifted("vol1");
        volumes.with(v);
        FakeStorageRuntime runtime = new FakeStorageRuntime();
        runtime.attachServices.add(new org.spindle.storage.api.runtime.AttachServiceInfo("42", "b", "kvm-1", "kvm", List.of("kvm-1"),
                null, "zone-1", List.of("iscsi"), List.of(), List.of(), List.of(), org.spindle.storage.api.runtime.ServiceStatus.BOUND,
                null, List.of(v.id() + " uuid-vm1 disk detached outside Spindle from vm vm1",
                        java.util.UUID.randomUUID() + " uuid-vm2 leftover: libvirt secret 1 has no disk")));
        VolumeShow show = new VolumeShow();
        show.volumes = volumes;
        show.runtime = runtime;
        show.volume = v.name();
        String out = Console.run(show);
        assertEquals(List.of("Hypervisor drift: kvm-1: uuid-vm1 disk detached outside Spindle from vm vm1"),
                out.lines().filter(l -> l.startsWith("Hypervisor drift")).toList(), out);
    }

    @Test
    void aVolumeNeverReadBackAndInLine() throws Exception {
        String out = show(Samples.volume("vol2", VolumeState.ALLOCATED), false);

        assertLine(out, "QoS read back", "never");
        assertLine(out, "QoS drift", "none");
        assertEquals(List.of("storage", "max-iops", "2000", "2000", "-"), row(out, "storage", "max-iops"));
        assertEquals(List.of("hypervisor", "total-bps", "100 MiB/s", "100 MiB/s", "-"), row(out, "hypervisor", "total-bps"));
    }

    @Test
    void jsonCarriesAppliedAndDrift() throws Exception {
        JsonNode v = new ObjectMapper().readTree(show(drifted("vol1"), true));

        assertEquals(4000, v.get("applied").get("storage").get("maxIops").asLong());
        assertEquals(200L << 20, v.get("applied").get("hypervisor").get("totalBps").get("rate").asLong());
        assertEquals("2026-12-01T10:15:00Z", v.get("applied").get("readAt").asText());
        assertEquals(4, v.get("drift").size());
        JsonNode d = v.get("drift").get(0);
        assertEquals(List.of("side", "field", "expected", "found"), VolumeCommandsTest.names(d));
        assertEquals("STORAGE", d.get("side").asText());
        assertEquals("max-iops", d.get("field").asText());
        assertEquals(4000, d.get("found").asLong());
    }
}
