package org.spindle.driver.solidfire.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.spindle.driver.solidfire.internal.Requests.GB;
import static org.spindle.driver.solidfire.internal.Requests.GB_ON_SAN;
import static org.spindle.driver.solidfire.internal.Requests.host;
import static org.spindle.driver.solidfire.internal.Requests.iqn;
import static org.spindle.driver.solidfire.internal.Requests.volume;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.spindle.solidfire.simulator.Views;
import org.spindle.storage.api.IoStats;
import org.spindle.storage.api.PoolCapacity;
import org.spindle.storage.api.Portal;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.driver.SanVolume;
import org.spindle.storage.api.driver.SanVolumeRef;
import org.spindle.storage.api.driver.SanVolumeRequest;
import org.spindle.storage.api.qos.StorageQos;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The driver against the simulator (no iSCSI): every operation and its error paths. */
class SolidFireStorageDriverTest {
    TestCluster cluster;
    SolidFireStorageDriver driver;
    final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void start() throws IOException {
        cluster = TestCluster.start();
        driver = cluster.driver();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    long calls(String method) {
        return cluster.sim.faults().calls(method);
    }

    Views.Volume onSan(SanVolume v) {
        return cluster.sim.volume(Long.parseLong(v.sanId())).orElseThrow();
    }

    ObjectNode params() {
        return json.createObjectNode();
    }

    // ---- create

    @Test
    void createMakesTheAccountAndTheVolume() {
        SanVolumeRequest r = volume("db_data.1", "tenant1", new StorageQos(500, 1000, 0));
        SanVolume v = driver.createVolume(r);
        Views.Volume sv = onSan(v);
        assertEquals(r.volumeId(), v.volumeId());
        assertEquals(GB_ON_SAN, v.sizeBytes());
        assertEquals(GB_ON_SAN, sv.totalSize());
        assertEquals("db-data-1", sv.name());
        assertEquals(Map.of("spindle-uuid", r.volumeId().toString(), "spindle-name", "db_data.1"), sv.attributes());
        assertTrue(sv.enable512e());
        assertEquals(new StorageQos(500, 1000, 1500), v.qos());
        assertEquals(List.of(500L, 1000L, 1500L), List.of(sv.minIOPS(), sv.maxIOPS(), sv.burstIOPS()));
        assertEquals(new Target("iscsi", List.of(Portal.iscsi("127.0.0.1")), sv.iqn(), cluster.lun(),
                "naa." + cluster.sim.volumeJson(sv.volumeID()).orElseThrow().get("scsiNAADeviceID").asText(), null), v.target());
        Views.Account a = cluster.sim.account("spindle_tenant1").orElseThrow();
        assertEquals(sv.accountID(), a.accountID());
        assertEquals(16, a.initiatorSecret().length());
        assertEquals(16, a.targetSecret().length());
        assertNotEquals(a.initiatorSecret(), a.targetSecret());
        assertEquals(Map.of("spindle-tenant", "tenant1"), a.attributes());

        // a second volume of the tenant reuses the account
        driver.createVolume(volume("v2", "tenant1"));
        assertEquals(1, calls("AddAccount"));
        assertEquals(1, cluster.sim.accounts().size());
    }

    @Test
    void enable512eAndLunAreConfigurable() {
        Map<String, Object> c = cluster.config();
        c.put("enable512e", false);
        c.put("target.lun", 0);
        c.put("account.prefix", "cs");
        SanVolume v = cluster.driver(c).createVolume(volume("v", "t"));
        assertEquals(false, onSan(v).enable512e());
        assertEquals(0, v.target().lun());
        assertTrue(cluster.sim.account("cs_t").isPresent());
    }

    @Test
    void createIsIdempotent() {
        SanVolumeRequest r = volume("v1", "t1");
        SanVolume first = driver.createVolume(r);
        SanVolume again = driver.createVolume(r);
        assertEquals(first, again);
        assertEquals(1, cluster.sim.volumes().size());
        assertEquals(1, calls("CreateVolume"));
    }

    @Test
    void transientErrorOnCreateIsRetried() {
        cluster.sim.faults().failNext("CreateVolume", 1, "xDBVersionMismatch", "injected");
        SanVolume v = driver.createVolume(volume("v1", "t1"));
        assertEquals(2, calls("CreateVolume"));
        assertEquals(1, cluster.sim.volumes().size());
        assertEquals(v.sanId(), Long.toString(cluster.sim.volumes().get(0).volumeID()));
    }

    @Test
    void lostCreateAnswerMakesNoDuplicate() {
        SanVolumeRequest r = volume("v1", "t1");
        cluster.sim.faults().dropResponse("CreateVolume", 1);
        SanVolume first = driver.createVolume(r);   // the answer is lost; the driver finds the volume it made
        SanVolume retried = driver.createVolume(r); // and the core's retry finds it too
        assertEquals(first.sanId(), retried.sanId());
        assertEquals(1, calls("CreateVolume"));
        assertEquals(1, cluster.sim.volumes().size());
    }

    @Test
    void qosIsValidatedBeforeAnyCall() {
        driver.createVolume(volume("warm-up", "t1"));
        cluster.sim.faults().resetCalls();
        StorageException e = assertThrows(StorageException.class,
                () -> driver.createVolume(volume("v", "t1", new StorageQos(20, 1000, 2000))));
        assertEquals(Reason.INVALID_ARGUMENT, e.reason());
        assertEquals("min-iops", e.field());
        assertTrue(e.getMessage().startsWith("min-iops: must be between 50 and 15000 on this SolidFire cluster (Element API 12.3)"),
                e.getMessage());
        e = assertThrows(StorageException.class, () -> driver.createVolume(volume("v", "t1", new StorageQos(100, 1000, 250_000))));
        assertEquals("burst-iops", e.field());
        assertEquals(0, cluster.sim.faults().totalCalls());
    }

    @Test
    void longTenantsGetAHashedAccountName() {
        String tenant = "t".repeat(64);
        driver.createVolume(volume("v", tenant));
        Views.Account a = cluster.sim.accounts().get(0);
        assertEquals(64, a.username().length());
        assertTrue(a.username().startsWith("spindle_ttt"), a.username());
        driver.createVolume(volume("v2", tenant));
        assertEquals(1, cluster.sim.accounts().size());
    }

    // ---- resize, QoS

    @Test
    void resizeGrowsOnly() {
        SanVolume v = driver.createVolume(volume("v1", "t1"));
        SanVolume grown = driver.resizeVolume(v.ref(), 2 * GB);
        assertEquals(2_000_683_008L, grown.sizeBytes());
        assertEquals(2_000_683_008L, onSan(v).totalSize());
        assertEquals(1, calls("ModifyVolume"));

        assertEquals(grown, driver.resizeVolume(v.ref(), 2 * GB), "same size: nothing to do");
        StorageException e = assertThrows(StorageException.class, () -> driver.resizeVolume(v.ref(), GB));
        assertEquals(Reason.INVALID_ARGUMENT, e.reason());
        assertEquals("size", e.field());
        assertEquals("size: SolidFire volumes only grow: volume " + v.volumeId() + " has 2000683008 bytes, asked 1000000000",
                e.getMessage());
        assertEquals(1, calls("ModifyVolume"), "refused before calling");
    }

    @Test
    void qosChangesAtRuntime() {
        SanVolume v = driver.createVolume(volume("v1", "t1"));
        driver.modifyQos(v.ref(), new StorageQos(1000, 2000, 4000));
        Views.Volume sv = onSan(v);
        assertEquals(List.of(1000L, 2000L, 4000L), List.of(sv.minIOPS(), sv.maxIOPS(), sv.burstIOPS()));
        StorageException e = assertThrows(StorageException.class, () -> driver.modifyQos(v.ref(), new StorageQos(16_000, 20_000, 0)));
        assertEquals("min-iops", e.field());
        assertEquals(1, calls("ModifyVolume"));
    }

    // ---- access (host groups in detail: HostGroupAccessTest)

    @Test
    void grantReturnsTheTargetWithOneWayChapAndTheNaaId() {
        SanVolume v = driver.createVolume(volume("v1", "t1"));
        Target t = driver.grantAccess(v.ref(), host(1));
        Views.Volume sv = onSan(v);
        Views.Account a = cluster.sim.account("spindle_t1").orElseThrow();
        assertEquals(List.of(Portal.iscsi("127.0.0.1")), t.portals());
        assertEquals(sv.iqn(), t.name());
        assertEquals(cluster.lun(), t.lun());
        String naa = cluster.sim.volumeJson(sv.volumeID()).orElseThrow().get("scsiNAADeviceID").asText();
        assertEquals("naa." + naa, t.deviceId());
        assertTrue(t.deviceId().matches("naa\\.6f47acc1[0-9a-f]{24}"), t.deviceId());
        assertEquals(t.deviceId(), v.target().deviceId(), "the created volume says the same");
        assertEquals("spindle_t1", t.chap().username());
        assertEquals(a.initiatorSecret(), t.chap().secret().reveal());
        assertFalse(t.chap().isMutual());
        Views.AccessGroup g = cluster.sim.accessGroups().get(0);
        assertEquals(List.of(iqn(1)), g.initiators(), "stored lower-cased");
        assertEquals(List.of(sv.volumeID()), g.volumes());
        assertEquals("spindle-host1", g.name());
        assertEquals(t, driver.grantAccess(v.ref(), host(1)), "idempotent");
        assertEquals(1, calls("CreateVolumeAccessGroup"));
    }

    @Test
    void targetPortalsAreIpv6Safe() throws IOException {
        try (TestCluster v6 = TestCluster.start(org.spindle.solidfire.simulator.ElementSimulator.TgtMode.OFF,
                b -> b.svip("fd00::5"))) {
            SolidFireStorageDriver d = v6.driver();
            SanVolume v = d.createVolume(volume("v1", "t1"));
            assertEquals(List.of(new Portal("fd00::5", 3260)), v.target().portals());
            assertEquals("[fd00::5]:3260", v.target().portal().toString());
            Map<String, Object> c = v6.config();
            c.put("svip", "[fd00::7]:3261");
            assertEquals("[fd00::7]:3261", v6.driver(c).createVolume(volume("v2", "t1")).target().portal().toString());
        }
    }

    // ---- delete

    @Test
    void deleteDeletesAndPurgesAndIsIdempotent() {
        SanVolume v = driver.createVolume(volume("v1", "t1"));
        driver.grantAccess(v.ref(), host(1));
        driver.deleteVolume(v.ref());
        assertTrue(cluster.sim.volumes().isEmpty(), "purged");
        assertEquals(List.of(), cluster.sim.accessGroups().get(0).volumes());
        driver.deleteVolume(v.ref());
        assertEquals(1, calls("DeleteVolume"));
        assertEquals(1, calls("PurgeDeletedVolume"));
    }

    @Test
    void deleteOfADeletedVolumePurgesIt() {
        SanVolume v = driver.createVolume(volume("v1", "t1"));
        cluster.sim.invoke("DeleteVolume", params().put("volumeID", Long.parseLong(v.sanId())), "12.3");
        driver.deleteVolume(v.ref());
        assertTrue(cluster.sim.volumes().isEmpty());
        assertEquals(0, calls("DeleteVolume"));
    }

    @Test
    void deleteWithoutSanIdFindsTheVolumeByUuid() {
        SanVolume v = driver.createVolume(volume("v1", "t1"));
        driver.createVolume(volume("v2", "t1"));
        driver.deleteVolume(new SanVolumeRef(v.volumeId(), null));
        assertEquals(1, cluster.sim.volumes().size());
        driver.deleteVolume(new SanVolumeRef(v.volumeId(), null));
        driver.deleteVolume(new SanVolumeRef(UUID.randomUUID(), null));
        assertEquals(1, cluster.sim.volumes().size());
    }

    @Test
    void deleteRefusesAVolumeOfAnotherUuid() {
        SanVolume v = driver.createVolume(volume("v1", "t1"));
        UUID stranger = UUID.randomUUID();
        StorageException e = assertThrows(StorageException.class, () -> driver.deleteVolume(new SanVolumeRef(stranger, v.sanId())));
        assertEquals(Reason.CONFLICT, e.reason());
        assertEquals("SolidFire " + cluster.mvip() + ": volume " + v.sanId() + " is not Spindle volume " + stranger
                + "; refusing to delete it", e.getMessage());
        assertEquals(1, cluster.sim.volumes().size());
    }

    // ---- unknown volumes, failures

    @Test
    void unknownVolumesAreNotFound() {
        SanVolumeRef ghost = new SanVolumeRef(UUID.randomUUID(), "4711");
        StorageException e = assertThrows(StorageException.class, () -> driver.grantAccess(ghost, host(1)));
        assertEquals(Reason.NOT_FOUND, e.reason());
        assertEquals("SolidFire " + cluster.mvip() + ": volume " + ghost.volumeId() + " (SolidFire volume 4711) does not exist",
                e.getMessage());
        e = assertThrows(StorageException.class, () -> driver.volumeStats(ghost));
        assertEquals(Reason.NOT_FOUND, e.reason());
        assertTrue(e.getMessage().contains("GetVolumeStats failed: xVolumeIDDoesNotExist"), e.getMessage());
        e = assertThrows(StorageException.class, () -> driver.resizeVolume(ghost, 2 * GB));
        assertEquals(Reason.NOT_FOUND, e.reason());
        e = assertThrows(StorageException.class, () -> driver.modifyQos(ghost, new StorageQos(100, 200, 300)));
        assertEquals(Reason.NOT_FOUND, e.reason());
        e = assertThrows(StorageException.class, () -> driver.grantAccess(new SanVolumeRef(ghost.volumeId(), "x1"), host(1)));
        assertEquals(Reason.INVALID_ARGUMENT, e.reason());
        driver.revokeAccess(ghost, host(1));
        driver.deleteVolume(ghost);
    }

    @Test
    void wrongPasswordIsAuthentication() {
        Map<String, Object> c = cluster.config();
        c.put(".password", "wrong-password-1");
        StorageException e = assertThrows(StorageException.class, () -> cluster.driver(c).createVolume(volume("v1", "t1")));
        assertEquals(Reason.AUTHENTICATION, e.reason());
        assertEquals("SolidFire " + cluster.mvip() + ": create volume v1: bad credentials for cluster admin admin at "
                + cluster.mvip(), e.getMessage());
    }

    @Test
    void unreachableClusterIsUnavailable() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Map<String, Object> c = cluster.config();
        c.put("mvip", "127.0.0.1:" + port);
        c.put("retry.count", 1);
        StorageException e = assertThrows(StorageException.class, () -> cluster.driver(c).capacity());
        assertEquals(Reason.UNAVAILABLE, e.reason());
        assertTrue(e.getMessage().startsWith("SolidFire 127.0.0.1:" + port + ": read the capacity: cannot connect to 127.0.0.1:"
                + port), e.getMessage());
    }

    // ---- capacity, stats, listing

    @Test
    void capacityInBytesAndIops() {
        driver.createVolume(volume("v1", "t1", new StorageQos(500, 1000, 2000)));
        driver.createVolume(volume("v2", "t2", new StorageQos(1000, 2000, 4000)));
        PoolCapacity c = driver.capacity();
        assertEquals(100L * 1000 * 1000 * 1000 * 1000, c.totalBytes());
        assertEquals(2 * GB_ON_SAN, c.provisionedBytes());
        assertEquals(200_000, c.totalIops());
        assertEquals(1500, c.provisionedIops());
        Map<String, Object> cfg = cluster.config();
        cfg.put("capacity.iops", 50_000);
        assertEquals(50_000, cluster.driver(cfg).capacity().totalIops());
    }

    @Test
    void statsOfAVolume() {
        SanVolume v = driver.createVolume(volume("v1", "t1"));
        IoStats s = driver.volumeStats(v.ref());
        assertEquals(0, s.readOps());
        assertEquals(0, s.writeBytes());
        assertNotNull(s.sampledAt());
    }

    @Test
    void listsOnlySpindleVolumesOfSpindleAccounts() {
        SanVolume a = driver.createVolume(volume("a", "t1"));
        SanVolume b = driver.createVolume(volume("b", "t2"));
        SanVolume gone = driver.createVolume(volume("gone", "t2"));
        driver.deleteVolume(gone.ref());
        long foreign = cluster.sim.invoke("AddAccount", params().put("username", "cinder-p1"), "12.3").path("accountID").asLong();
        ObjectNode p = params().put("name", "theirs").put("accountID", foreign).put("totalSize", GB);
        p.putObject("attributes").put("spindle-uuid", UUID.randomUUID().toString());
        cluster.sim.invoke("CreateVolume", p, "12.3");
        ObjectNode untagged = params().put("name", "untagged")
                .put("accountID", cluster.sim.account("spindle_t1").orElseThrow().accountID()).put("totalSize", GB);
        cluster.sim.invoke("CreateVolume", untagged, "12.3");
        List<SanVolume> listed = driver.listVolumes();
        assertEquals(Set.of(a.volumeId(), b.volumeId()), listed.stream().map(SanVolume::volumeId).collect(Collectors.toSet()));
        assertEquals(a, listed.stream().filter(x -> x.volumeId().equals(a.volumeId())).findFirst().orElseThrow());
        assertNull(listed.get(0).target().chap());
    }

    // ---- versions, call counts

    @Test
    void worksPinnedToApi7() {
        Map<String, Object> c = cluster.config();
        c.put("api.version", "7.0");
        SolidFireStorageDriver old = cluster.driver(c);
        StorageException e = assertThrows(StorageException.class, () -> old.createVolume(volume("v", "t", new StorageQos(50, 50, 50))));
        assertTrue(e.getMessage().contains("between 100 and 15000 on this SolidFire cluster (Element API 7.0)"), e.getMessage());
        SanVolume v = old.createVolume(volume("v", "t", new StorageQos(100, 100, 100)));
        assertEquals(0, calls("GetAPI"));
        Target t = old.grantAccess(v.ref(), host(1));
        assertEquals(onSan(v).iqn(), t.name());
        old.revokeAccess(v.ref(), host(1));
        old.deleteVolume(v.ref());
        assertTrue(cluster.sim.volumes().isEmpty());
        assertEquals(0, calls("ListVolumes"), "ListVolumes needs 8.0");
    }

    @Test
    void elementCallsPerCreateGrantRevokeDelete() {
        driver.capacity(); // discovery happens once per driver, not per volume
        cluster.sim.faults().resetCalls();
        SanVolume v = driver.createVolume(volume("v1", "new-tenant"));
        long create = cluster.sim.faults().totalCalls();
        driver.grantAccess(v.ref(), host(1));
        long grant = cluster.sim.faults().totalCalls() - create;
        driver.revokeAccess(v.ref(), host(1));
        long revoke = cluster.sim.faults().totalCalls() - create - grant;
        driver.deleteVolume(v.ref());
        long delete = cluster.sim.faults().totalCalls() - create - grant - revoke;
        System.out.println("Element calls: create " + create + " (new tenant), grant " + grant + ", revoke " + revoke
                + ", delete " + delete + " = " + (create + grant + revoke + delete) + "; " + cluster.sim.faults().calls());
        assertEquals(4, create);  // GetAccountByName, AddAccount, ListVolumesForAccount, CreateVolume
        assertEquals(5, grant);   // ListVolumes, GetAccountByID, ListVolumeAccessGroups, CreateVolumeAccessGroup, read back
        assertEquals(4, revoke);  // ListVolumeAccessGroups, RemoveVolumesFromVolumeAccessGroup, read back, DeleteVolumeAccessGroup
        assertEquals(3, delete);  // ListVolumes, DeleteVolume, PurgeDeletedVolume

        cluster.sim.faults().resetCalls();
        SanVolume w = driver.createVolume(volume("v2", "new-tenant"));
        driver.grantAccess(w.ref(), host(1));
        driver.revokeAccess(w.ref(), host(1));
        driver.deleteVolume(w.ref());
        assertEquals(15, cluster.sim.faults().totalCalls(), "existing tenant: " + cluster.sim.faults().calls());
    }
}
