package org.spindle.storage.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.qos.QosDrift;
import org.spindle.storage.api.qos.QosSide;
import org.spindle.storage.api.runtime.QosAuditReport;
import org.spindle.storage.api.runtime.QosFinding;

class QosAuditCommandTest {
    private static final Instant AT = Instant.parse("2026-12-01T11:00:00Z");
    private static final UUID ID1 = UUID.fromString("00000000-0000-0000-0000-000000000001");
    private static final UUID ID2 = UUID.fromString("00000000-0000-0000-0000-000000000002");
    private final FakeQosAudit audit = new FakeQosAudit();

    private QosAuditCommand command(String volume, boolean heal) {
        QosAuditCommand c = new QosAuditCommand();
        c.audit = audit;
        c.volume = volume;
        c.heal = heal;
        return c;
    }

    private static QosAuditReport report(boolean healed) {
        return new QosAuditReport(AT, 7, 2, 5, List.of(
                new QosFinding(ID1, "vol1", List.of(new QosDrift(QosSide.STORAGE, "max-iops", 1000, 2000),
                        new QosDrift(QosSide.STORAGE, "burst-iops", 1500, 2000)), healed, null),
                new QosFinding(ID2, "vol2", List.of(new QosDrift(QosSide.HYPERVISOR, "total-iops", 800, 0)), false,
                        healed ? "hypervisor kvm-3: domain vm-9 not running" : null)),
                List.of("pool sf-2: driver UNAVAILABLE (SAN 10.0.0.9:443 not answering)"));
    }

    private static List<String> cells(String out, String volume, String field) {
        return out.lines().map(l -> List.of(l.strip().split(" *[│|] *")))
                .filter(c -> c.size() == 6 && c.get(0).equals(volume) && c.get(2).equals(field)).findFirst()
                .orElseThrow(() -> new AssertionError(volume + " " + field + " in\n" + out));
    }

    @Test
    void auditPrintsOneLinePerDriftedValueTheCountsAndWhatWasDeferred() throws Exception {
        audit.report = report(false);

        String out = Console.run(command(null, false));

        assertEquals(List.of("audit null"), audit.calls, "every volume, in the configured mode");
        assertEquals("QoS audit at 2026-12-01T11:00:00Z: 7 volumes compared, 2 storage reads, 5 hypervisor reads; "
                + "2 drifted, 0 healed", out.lines().findFirst().orElseThrow());
        assertTrue(out.lines().anyMatch(l -> l.matches("VOLUME [│|] SIDE +[│|] FIELD +[│|] EXPECTED [│|] FOUND [│|] HEALED\\s*")), out);
        assertEquals(List.of("vol1", "storage", "max-iops", "1000", "2000", "no"), cells(out, "vol1", "max-iops"));
        assertEquals(List.of("vol1", "storage", "burst-iops", "1500", "2000", "no"), cells(out, "vol1", "burst-iops"));
        assertEquals(List.of("vol2", "hypervisor", "total-iops", "800", "none", "no"), cells(out, "vol2", "total-iops"));
        assertTrue(out.contains("Deferred to the next pass:\n    pool sf-2: driver UNAVAILABLE (SAN 10.0.0.9:443 not answering)"), out);
    }

    @Test
    void healHealsWhateverTheModeAndSaysWhatFailed() throws Exception {
        audit.report = report(true);

        String out = Console.run(command("vol1", true));

        assertEquals(List.of("heal vol1"), audit.calls);
        assertTrue(out.lines().findFirst().orElseThrow().endsWith("2 drifted, 1 healed"), out);
        assertEquals("yes", cells(out, "vol1", "max-iops").get(5));
        assertEquals("no: hypervisor kvm-3: domain vm-9 not running", cells(out, "vol2", "total-iops").get(5));
    }

    @Test
    void nothingDriftedSaysSo() throws Exception {
        audit.report = new QosAuditReport(AT, 1, 1, 0, List.of(), List.of());

        String out = Console.run(command("vol1", false));

        assertEquals("QoS audit at 2026-12-01T11:00:00Z: 1 volume compared, 1 storage read, 0 hypervisor reads; "
                + "0 drifted, 0 healed", out.lines().findFirst().orElseThrow());
        assertTrue(out.contains("No drift"), out);
        assertFalse(out.contains("Deferred"), out);
    }

    @Test
    void aFindingWithoutValuesStillNamesTheVolume() throws Exception {
        audit.report = new QosAuditReport(AT, 1, 1, 1, List.of(new QosFinding(ID1, null, List.of(), false, "read failed")),
                List.of());
        String out = Console.run(command(null, true));
        assertTrue(out.lines().anyMatch(l -> l.startsWith(ID1.toString()) && l.strip().endsWith("no: read failed")), out);
    }

    @Test
    void jsonIsTheReport() throws Exception {
        audit.report = report(true);
        QosAuditCommand c = command(null, false);
        c.json = true;

        JsonNode r = new ObjectMapper().readTree(Console.run(c));

        assertEquals(List.of("at", "volumes", "storageReads", "hypervisorReads", "findings", "deferred"),
                VolumeCommandsTest.names(r));
        assertEquals(5, r.get("hypervisorReads").asInt());
        JsonNode f = r.get("findings").get(0);
        assertEquals(List.of("volumeId", "volume", "drift", "healed", "error"), VolumeCommandsTest.names(f));
        assertEquals("max-iops", f.get("drift").get(0).get("field").asText());
        assertEquals(2000, f.get("drift").get(0).get("found").asLong());
        assertTrue(f.get("healed").asBoolean());
    }

    @Test
    void aBlankVolumeIsRefusedBeforeAnyCall() {
        StorageException e = assertThrows(StorageException.class, () -> Console.run(command(" ", true)));
        assertEquals("volume", e.field());
        assertEquals(List.of(), audit.calls);
    }
}
