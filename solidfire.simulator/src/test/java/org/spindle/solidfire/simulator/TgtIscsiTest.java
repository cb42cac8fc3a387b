package org.spindle.solidfire.simulator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.spindle.test.support.Commands;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real iSCSI through tgtd + libiscsi. Skipped without tgt unless -Dspindle.require.tgt=true. */
class TgtIscsiTest {
    static final String HOST1 = "iqn.2024-01.org.spindle.test:host1";
    static final String HOST2 = "iqn.2024-01.org.spindle.test:host2";
    static final String USER = "CloudStack_tgt_1";
    static final String INIT_SECRET = "initSecret1234";
    static final String TARGET_SECRET = "targSecret1234";

    ElementSimulator sim;
    Rpc rpc;

    @BeforeEach
    void start() throws IOException {
        Iscsi.requireTgt(); // per test, so a skip is reported per test with its reason
        sim = ElementSimulator.builder().tgt(ElementSimulator.TgtMode.ON).start();
        rpc = new Rpc(sim);
    }

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.stop();
        }
    }

    @Test
    void volumeIsARealLunGuardedByAccessGroupsAndChap() throws IOException {
        assertTrue(sim.tgtActive());
        assertEquals(1, sim.lun());
        assertEquals(1, rpc.call("GetClusterInfo").at("/clusterInfo/attributes/iscsiLun").asInt());
        long account = rpc.call("AddAccount", Map.of("username", USER, "initiatorSecret", INIT_SECRET,
                "targetSecret", TARGET_SECRET)).get("accountID").asLong();
        long vol = rpc.createVolume("Data-Vol", account, 1_000_000_000L);
        String iqn = sim.volume(vol).orElseThrow().iqn();
        assertTrue(Iscsi.tgtShow().contains(iqn), "target exists");
        Path backing = sim.backingFile(vol).orElseThrow();
        assertEquals(1_000_341_504L, Files.size(backing));

        // not in any access group: nobody may log in, even with the right CHAP
        Commands.Result r = Iscsi.inquiry(HOST1, USER, INIT_SECRET, iqn, 1);
        assertFalse(r.succeeded(), r.out());

        long vag = rpc.call("CreateVolumeAccessGroup", Map.of("name", "hosts", "initiators", List.of(HOST1),
                "volumes", List.of(vol))).get("volumeAccessGroupID").asLong();
        assertEquals(1_000_341_504L, Iscsi.capacity(HOST1, USER, INIT_SECRET, iqn, 1));
        Commands.Result ls = Iscsi.list(HOST1, USER, INIT_SECRET);
        assertTrue(ls.succeeded(), ls.out());
        assertTrue(ls.out().contains(iqn), ls.out());
        assertTrue(ls.out().matches("(?s).*Lun:1\\s+Type:DIRECT_ACCESS.*"), ls.out());

        r = Iscsi.inquiry(HOST1, USER, "wrongSecret123", iqn, 1);
        assertFalse(r.succeeded());
        assertTrue(r.out().contains("Authentication failure"), r.out());
        r = Iscsi.inquiry(HOST1, null, null, iqn, 1);
        assertFalse(r.succeeded(), "CHAP is required: " + r.out());
        r = Iscsi.inquiry(HOST2, USER, INIT_SECRET, iqn, 1);
        assertFalse(r.succeeded(), "an initiator outside the group is refused: " + r.out());

        // grow: the LUN grows with the volume
        rpc.call("ModifyVolume", Map.of("volumeID", vol, "totalSize", 2_000_000_000L));
        assertEquals(2_000_683_008L, Files.size(backing));
        assertEquals(2_000_683_008L, Iscsi.capacity(HOST1, USER, INIT_SECRET, iqn, 1));

        // read-only and back: tgt accepts the LU flag change, the LUN stays readable
        rpc.call("ModifyVolume", Map.of("volumeID", vol, "access", "readOnly"));
        assertEquals(2_000_683_008L, Iscsi.capacity(HOST1, USER, INIT_SECRET, iqn, 1));
        rpc.call("ModifyVolume", Map.of("volumeID", vol, "access", "readWrite"));
        // locked: no initiator may log in
        rpc.call("ModifyVolume", Map.of("volumeID", vol, "access", "locked"));
        assertFalse(Iscsi.inquiry(HOST1, USER, INIT_SECRET, iqn, 1).succeeded(), "locked volume refuses logins");
        rpc.call("ModifyVolume", Map.of("volumeID", vol, "access", "readWrite"));

        // second initiator granted, then the first removed
        rpc.call("AddInitiatorsToVolumeAccessGroup", Map.of("volumeAccessGroupID", vag, "initiators", List.of(HOST2)));
        assertEquals(2_000_683_008L, Iscsi.capacity(HOST2, USER, INIT_SECRET, iqn, 1));
        rpc.call("RemoveInitiatorsFromVolumeAccessGroup", Map.of("volumeAccessGroupID", vag, "initiators", List.of(HOST1)));
        assertFalse(Iscsi.inquiry(HOST1, USER, INIT_SECRET, iqn, 1).succeeded(), "removed initiator is refused");
        assertTrue(Iscsi.inquiry(HOST2, USER, INIT_SECRET, iqn, 1).succeeded());

        // volume out of the group: refused
        rpc.call("RemoveVolumesFromVolumeAccessGroup", Map.of("volumeAccessGroupID", vag, "volumes", List.of(vol)));
        assertFalse(Iscsi.inquiry(HOST2, USER, INIT_SECRET, iqn, 1).succeeded());
        rpc.call("AddVolumesToVolumeAccessGroup", Map.of("volumeAccessGroupID", vag, "volumes", List.of(vol)));
        assertTrue(Iscsi.inquiry(HOST2, USER, INIT_SECRET, iqn, 1).succeeded());

        // delete: the target is gone, the data stays until purge
        rpc.call("DeleteVolume", Map.of("volumeID", vol));
        assertFalse(Iscsi.tgtShow().contains(iqn), "target removed on delete");
        Commands.Result gone = Iscsi.inquiry(HOST2, USER, INIT_SECRET, iqn, 1);
        assertFalse(gone.succeeded());
        assertTrue(gone.out().contains("Login Failed"), gone.out());
        assertTrue(Files.exists(backing));
        rpc.call("PurgeDeletedVolume", Map.of("volumeID", vol));
        assertFalse(Files.exists(backing), "backing file removed on purge");
        assertFalse(Iscsi.tgtAccounts().contains(USER), "tgt account removed with its last target");
    }

    @Test
    void anInitiatorReadsTheNaaIdTheClusterReports() throws IOException {
        long account = rpc.call("AddAccount", Map.of("username", "naa-user", "initiatorSecret", INIT_SECRET)).get("accountID").asLong();
        long vol = rpc.createVolume("naa", account, 1_000_000_000L);
        rpc.call("CreateVolumeAccessGroup", Map.of("name", "g", "initiators", List.of(HOST1), "volumes", List.of(vol)));
        String naa = sim.volumeJson(vol).orElseThrow().get("scsiNAADeviceID").asText();
        String iqn = sim.volume(vol).orElseThrow().iqn();
        Commands.Result page = Iscsi.vpd(HOST1, "naa-user", INIT_SECRET, iqn, 1, 0x83);
        assertTrue(page.succeeded(), page.out());
        // tgt builds the NAA IEEE Registered Extended designator from the LUN's scsi_id, which it also shows as the
        // T10 vendor designator; iscsi-inq prints a binary designator up to its first zero byte
        assertTrue(page.out().contains("Designator Type:(1) T10_VENDORT_ID\nDesignator:[" + naa + "]"), page.out());
        String binary = Iscsi.firstNaaDesignator(page.out());
        assertTrue(binary.length() >= 8 && naa.startsWith(binary), "NAA designator " + binary + " vs " + naa);
        Commands.Result serial = Iscsi.vpd(HOST1, "naa-user", INIT_SECRET, iqn, 1, 0x80);
        assertTrue(serial.out().contains(naa.substring(16) + "]"), serial.out());
        Commands.Result std = Iscsi.inquiry(HOST1, "naa-user", INIT_SECRET, iqn, 1);
        assertTrue(std.out().contains("SolidFir"), std.out());
    }

    @Test
    void stopRemovesEverythingItCreated() throws IOException {
        long account = rpc.call("AddAccount", Map.of("username", "stop-user", "initiatorSecret", INIT_SECRET)).get("accountID").asLong();
        long v1 = rpc.createVolume("a", account, 1_000_000_000L);
        long v2 = rpc.createVolume("b", account, 1_000_000_000L);
        rpc.call("CreateVolumeAccessGroup", Map.of("name", "g", "initiators", List.of(HOST1), "volumes", List.of(v1, v2)));
        rpc.call("DeleteVolume", Map.of("volumeID", v2)); // deleted, not purged: its file must go too
        String iqn1 = sim.volume(v1).orElseThrow().iqn();
        Path f1 = sim.backingFile(v1).orElseThrow();
        Path f2 = sim.backingFile(v2).orElseThrow();
        Path dir = sim.stateDir().orElseThrow();
        assertEquals(1_000_341_504L, Iscsi.capacity(HOST1, "stop-user", INIT_SECRET, iqn1, 1));
        String prefix = "iqn.2010-01.com.solidfire:" + sim.uniqueId() + ".";
        sim.stop();
        assertFalse(Iscsi.tgtShow().contains(prefix), Iscsi.tgtShow());
        assertFalse(Iscsi.tgtAccounts().contains("stop-user"));
        assertFalse(Files.exists(f1));
        assertFalse(Files.exists(f2));
        assertFalse(Files.exists(dir), "the temporary state dir is removed");
    }

    @Test
    void accountSharedByVolumesAndTwoSimulators() throws IOException {
        long account = rpc.call("AddAccount", Map.of("username", "shared-user", "initiatorSecret", INIT_SECRET)).get("accountID").asLong();
        long v1 = rpc.createVolume("one", account, 1_000_000_000L);
        long v2 = rpc.createVolume("two", account, 1_000_000_000L);
        rpc.call("CreateVolumeAccessGroup", Map.of("name", "g", "initiators", List.of(HOST1), "volumes", List.of(v1, v2)));
        rpc.call("DeleteVolume", Map.of("volumeID", v1));
        // the account stays bound to the other volume's target
        assertTrue(Iscsi.inquiry(HOST1, "shared-user", INIT_SECRET, sim.volume(v2).orElseThrow().iqn(), 1).succeeded());

        // a second simulator on the same tgtd gets its own targets (distinct unique IDs)
        try (ElementSimulator other = ElementSimulator.builder().tgt(ElementSimulator.TgtMode.ON).start()) {
            Rpc o = new Rpc(other);
            long a2 = o.call("AddAccount", Map.of("username", "other-user", "initiatorSecret", "otherSecret12")).get("accountID").asLong();
            long ov = o.createVolume("one", a2, 1_000_000_000L);
            o.call("CreateVolumeAccessGroup", Map.of("name", "g", "initiators", List.of(HOST2), "volumes", List.of(ov)));
            assertTrue(Iscsi.inquiry(HOST2, "other-user", "otherSecret12", other.volume(ov).orElseThrow().iqn(), 1).succeeded());
            assertFalse(Iscsi.inquiry(HOST1, "other-user", "otherSecret12", other.volume(ov).orElseThrow().iqn(), 1).succeeded());
        }
        assertTrue(Iscsi.inquiry(HOST1, "shared-user", INIT_SECRET, sim.volume(v2).orElseThrow().iqn(), 1).succeeded());
    }

    @Test
    void tgtFailuresDoNotLeakSecrets() {
        TgtAdm tgt = new TgtAdm("tgtadm", java.time.Duration.ofSeconds(5));
        tgt.run("--mode", "account", "--op", "new", "--user", "leak-check", "--password", "verySecret123");
        try {
            TgtAdm.TgtException e = org.junit.jupiter.api.Assertions.assertThrows(TgtAdm.TgtException.class,
                    () -> tgt.run(List.of("--mode", "account", "--op", "new", "--user", "leak-check", "--password", "verySecret123"),
                            List.of("verySecret123")));
            assertTrue(e.alreadyExists());
            assertFalse(e.getMessage().contains("verySecret123"), e.getMessage());
            assertTrue(e.getMessage().contains("--password ***"), e.getMessage());
        } finally {
            tgt.run("--mode", "account", "--op", "delete", "--user", "leak-check");
        }
    }
}
