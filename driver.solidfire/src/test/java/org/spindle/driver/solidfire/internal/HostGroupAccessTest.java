package org.spindle.driver.solidfire.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.spindle.driver.solidfire.internal.Requests.group;
import static org.spindle.driver.solidfire.internal.Requests.iqn;
import static org.spindle.driver.solidfire.internal.Requests.volume;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.spindle.solidfire.simulator.ElementSimulator;
import org.spindle.solidfire.simulator.Views;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.driver.HostGroup;
import org.spindle.storage.api.driver.SanVolume;

/** One volume access group per host group, against the simulator at the Element versions whose limits differ. */
class HostGroupAccessTest {
    TestCluster cluster;
    SolidFireStorageDriver driver;

    void start(String elementVersion) throws IOException {
        cluster = TestCluster.start(ElementSimulator.TgtMode.OFF, b -> b.apiVersion(elementVersion));
        driver = cluster.driver();
    }

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    long calls(String method) {
        return cluster.sim.faults().calls(method);
    }

    long sanId(SanVolume v) {
        return Long.parseLong(v.sanId());
    }

    /** The simulator's group of that name (exactly one must exist). */
    Views.AccessGroup vag(String name) {
        List<Views.AccessGroup> named = cluster.sim.accessGroups().stream().filter(g -> g.name().equals(name)).toList();
        assertEquals(1, named.size(), "groups named " + name + ": " + cluster.sim.accessGroups());
        return named.get(0);
    }

    @Test
    void aSixHostGroupGetsOneAccessGroupWithExactlyItsInitiators() throws IOException {
        start("12.3");
        SanVolume v = driver.createVolume(volume("v1", "t1"));
        Target t = driver.grantAccess(v.ref(), group("cluster-a", 1, 2, 3, 4, 5, 6));
        assertEquals(1, cluster.sim.accessGroups().size());
        Views.AccessGroup g = vag("spindle-cluster-a");
        assertEquals(List.of(iqn(1), iqn(2), iqn(3), iqn(4), iqn(5), iqn(6)), g.initiators());
        assertEquals(List.of(sanId(v)), g.volumes());
        assertEquals(Map.of("spindle-host-group", "cluster-a", "spindle-prefix", "spindle"), g.attributes());
        assertEquals(onSanIqn(v), t.name());

        cluster.sim.faults().resetCalls();
        assertEquals(t, driver.grantAccess(v.ref(), group("cluster-a", 6, 5, 4, 3, 2, 1)), "idempotent, in any order");
        assertEquals(0, calls("CreateVolumeAccessGroup") + calls("AddInitiatorsToVolumeAccessGroup")
                + calls("RemoveInitiatorsFromVolumeAccessGroup") + calls("AddVolumesToVolumeAccessGroup"), "nothing to change");

        // a second volume of the same group joins the same access group
        SanVolume v2 = driver.createVolume(volume("v2", "t1"));
        driver.grantAccess(v2.ref(), group("cluster-a", 1, 2, 3, 4, 5, 6));
        assertEquals(List.of(sanId(v), sanId(v2)), vag("spindle-cluster-a").volumes());
        assertEquals(1, cluster.sim.accessGroups().size());
    }

    @Test
    void aHostThatLeftLosesExactlyItsAccessOnTheNextGrant() throws IOException {
        start("12.3");
        SanVolume v = driver.createVolume(volume("v1", "t1"));
        driver.grantAccess(v.ref(), group("cluster-a", 1, 2, 3, 4, 5, 6));
        cluster.sim.faults().resetCalls();
        driver.grantAccess(v.ref(), group("cluster-a", 1, 2, 3, 5, 6));
        assertEquals(List.of(iqn(1), iqn(2), iqn(3), iqn(5), iqn(6)), vag("spindle-cluster-a").initiators());
        assertEquals(1, calls("RemoveInitiatorsFromVolumeAccessGroup"));
        assertEquals(0, calls("AddInitiatorsToVolumeAccessGroup"));
        assertEquals(0, calls("CreateVolumeAccessGroup"));
        assertEquals(List.of(sanId(v)), vag("spindle-cluster-a").volumes());
        // and a host that joins is added, in the same group
        driver.grantAccess(v.ref(), group("cluster-a", 1, 2, 3, 5, 6, 7));
        assertEquals(List.of(iqn(1), iqn(2), iqn(3), iqn(5), iqn(6), iqn(7)), vag("spindle-cluster-a").initiators());
        assertEquals(1, cluster.sim.accessGroups().size());
    }

    @Test
    void revokeTakesOnlyThatGroupsAccessAndDeletesItsEmptyGroup() throws IOException {
        start("12.3");
        SanVolume v = driver.createVolume(volume("v1", "t1"));
        SanVolume other = driver.createVolume(volume("v2", "t1"));
        HostGroup a = group("cluster-a", 1, 2, 3);
        HostGroup b = group("cluster-b", 4, 5);
        driver.grantAccess(v.ref(), a);
        driver.grantAccess(other.ref(), a);
        driver.grantAccess(v.ref(), b);

        driver.revokeAccess(v.ref(), a);
        assertEquals(List.of(sanId(other)), vag("spindle-cluster-a").volumes(), "a keeps its other volume");
        assertEquals(List.of(iqn(1), iqn(2), iqn(3)), vag("spindle-cluster-a").initiators());
        assertEquals(List.of(sanId(v)), vag("spindle-cluster-b").volumes(), "the second group keeps its access");
        assertEquals(List.of(iqn(4), iqn(5)), vag("spindle-cluster-b").initiators());

        driver.revokeAccess(other.ref(), a);
        assertTrue(cluster.sim.accessGroups().stream().noneMatch(g -> g.name().equals("spindle-cluster-a")),
                "a group without volumes is deleted: " + cluster.sim.accessGroups());
        assertEquals(List.of(sanId(v)), vag("spindle-cluster-b").volumes());

        cluster.sim.faults().resetCalls();
        driver.revokeAccess(v.ref(), a);
        driver.revokeAccess(other.ref(), group("never-granted", 9));
        assertEquals(0, calls("RemoveVolumesFromVolumeAccessGroup") + calls("DeleteVolumeAccessGroup"), "idempotent");
        assertEquals(List.of(sanId(v)), vag("spindle-cluster-b").volumes());
    }

    @Test
    void fiveGroupsOnOneVolumeWorkOnElement12() throws IOException {
        start("12.3");
        SanVolume v = driver.createVolume(volume("v1", "t1"));
        for (int g = 1; g <= 5; g++) {
            driver.grantAccess(v.ref(), group("g" + g, 2 * g, 2 * g + 1));
        }
        assertEquals(5, cluster.sim.volume(sanId(v)).orElseThrow().volumeAccessGroups().size());
        assertEquals(List.of(iqn(10), iqn(11)), vag("spindle-g5").initiators());
    }

    @Test
    void theFifthGroupIsRefusedOnElement9WithAClearError() throws IOException {
        start("9.0");
        SanVolume v = driver.createVolume(volume("v1", "t1"));
        for (int g = 1; g <= 4; g++) {
            driver.grantAccess(v.ref(), group("g" + g, 2 * g, 2 * g + 1));
        }
        cluster.sim.faults().resetCalls();
        StorageException e = assertThrows(StorageException.class, () -> driver.grantAccess(v.ref(), group("g5", 10, 11)));
        assertEquals(Reason.CONFLICT, e.reason());
        assertEquals("volume", e.field());
        assertEquals("SolidFire volume " + v.sanId() + " is already in 4 volume access groups, the most this cluster allows "
                + "(GetLimits); revoke another host group's access before granting host group g5", e.getMessage());
        assertEquals(0, calls("CreateVolumeAccessGroup"), "refused before calling");
        driver.revokeAccess(v.ref(), group("g2", 4, 5));
        driver.grantAccess(v.ref(), group("g5", 10, 11));
        assertEquals(4, cluster.sim.volume(sanId(v)).orElseThrow().volumeAccessGroups().size());
    }

    @Test
    void groupsBeyondTheClustersInitiatorLimitAreRefusedNamingTheField() throws IOException {
        start("9.0");
        SanVolume v = driver.createVolume(volume("v1", "t1"));
        int[] hosts = new int[65];
        for (int i = 0; i < hosts.length; i++) {
            hosts[i] = i + 1;
        }
        StorageException e = assertThrows(StorageException.class, () -> driver.grantAccess(v.ref(), group("big", hosts)));
        assertEquals(Reason.INVALID_ARGUMENT, e.reason());
        assertEquals("initiators", e.field());
        assertTrue(e.getMessage().contains("has 65 initiators; a SolidFire volume access group holds at most 64"), e.getMessage());
    }

    @Test
    void anInitiatorInAnotherGroupIsAConflictNamingBoth() throws IOException {
        start("12.3");
        SanVolume v = driver.createVolume(volume("v1", "t1"));
        driver.grantAccess(v.ref(), group("cluster-a", 1, 2));
        StorageException e = assertThrows(StorageException.class, () -> driver.grantAccess(v.ref(), group("cluster-b", 2, 3)));
        assertEquals(Reason.CONFLICT, e.reason());
        assertTrue(e.getMessage().contains(iqn(2) + " (in volume access group spindle-cluster-a"), e.getMessage());
        assertEquals(1, cluster.sim.accessGroups().size());
    }

    @Test
    void emptyPerInitiatorGroupsOfAnEarlierSpindleMakeWayButUsedOnesDoNot() throws IOException {
        start("12.3");
        SanVolume v = driver.createVolume(volume("v1", "t1"));
        SanVolume old = driver.createVolume(volume("old", "t1"));
        legacyGroup(iqn(1), List.of());
        legacyGroup(iqn(2), List.of(sanId(old)));
        StorageException e = assertThrows(StorageException.class, () -> driver.grantAccess(v.ref(), group("cluster-a", 1, 2)));
        assertEquals(Reason.CONFLICT, e.reason());
        assertTrue(e.getMessage().contains(iqn(2) + " (in volume access group iqn-2024-01-org-spindle-test-host2"), e.getMessage());
        assertTrue(cluster.sim.accessGroups().stream().noneMatch(g -> g.name().equals("iqn-2024-01-org-spindle-test-host1")),
                "the empty one is gone");
        driver.grantAccess(v.ref(), group("cluster-a", 1, 3));
        assertEquals(List.of(iqn(1), iqn(3)), vag("spindle-cluster-a").initiators());
        assertEquals(List.of(sanId(old)), vag("iqn-2024-01-org-spindle-test-host2").volumes(), "a used one stays");
    }

    private void legacyGroup(String iqn, List<Long> volumes) {
        var p = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("name", iqn.replaceAll("[^A-Za-z0-9]", "-"));
        p.putArray("initiators").add(iqn);
        volumes.forEach(p.putArray("volumes")::add);
        p.putObject("attributes").put("spindle", "true");
        cluster.sim.invoke("CreateVolumeAccessGroup", p, "12.3");
    }

    @Test
    void groupNamesFitElementAndStayDistinct() {
        GroupNaming n = new GroupNaming("spindle");
        assertEquals("spindle-cluster-a", n.vagName("cluster-a"));
        String dotted = n.vagName("kvm.cluster_a");
        assertEquals("spindle-kvm-cluster-a-5d14c8cd", dotted, "SHA-256 of the exact group name, as the README says");
        assertTrue(!dotted.equals(n.vagName("kvm-cluster-a")) && !dotted.equals(n.vagName("kvm_cluster.a")));
        String longName = n.vagName("h".repeat(64));
        assertEquals(64, longName.length());
        assertTrue(!longName.equals(n.vagName("h".repeat(63))));
        assertTrue(!new GroupNaming("other").vagName("cluster-a").equals(n.vagName("cluster-a")), "per Spindle");
    }

    @Test
    void aLostCreateAnswerLeavesOneGroup() throws IOException {
        start("12.3");
        SanVolume v = driver.createVolume(volume("v1", "t1"));
        cluster.sim.faults().dropResponse("CreateVolumeAccessGroup", 1);
        driver.grantAccess(v.ref(), group("cluster-a", 1, 2, 3, 4, 5, 6));
        assertEquals(1, cluster.sim.accessGroups().size());
        assertEquals(6, vag("spindle-cluster-a").initiators().size());
        assertEquals(1, calls("CreateVolumeAccessGroup"), "never repeated blindly");
    }

    @Test
    void aGrantRacingARevokeThatDeletesTheGroupEndsWithAccess() throws Exception {
        start("12.3");
        SanVolume v1 = driver.createVolume(volume("v1", "t1"));
        SanVolume v2 = driver.createVolume(volume("v2", "t1"));
        HostGroup a = group("cluster-a", 1, 2);
        driver.grantAccess(v1.ref(), a);
        // another Spindle process (its own driver, no shared lock) revokes v1 while this one adds v2: the revoke
        // empties and deletes the group after this grant listed it and before its AddVolumes is applied
        SolidFireStorageDriver elsewhere = cluster.driver();
        cluster.sim.faults().latency("AddVolumesToVolumeAccessGroup", 600);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Target> grant = pool.submit(() -> driver.grantAccess(v2.ref(), a));
            Thread.sleep(250);
            elsewhere.revokeAccess(v1.ref(), a);
            grant.get();
        } finally {
            pool.shutdownNow();
        }
        Views.AccessGroup g = vag("spindle-cluster-a");
        assertEquals(List.of(sanId(v2)), g.volumes());
        assertEquals(List.of(iqn(1), iqn(2)), g.initiators());
        assertEquals(1, calls("DeleteVolumeAccessGroup"), "the race really happened");
    }

    @Test
    void lostAnswersOfEveryAccessGroupChangeAreHarmless() throws IOException {
        start("12.3");
        SanVolume v = driver.createVolume(volume("v1", "t1"));
        SanVolume v2 = driver.createVolume(volume("v2", "t1"));
        driver.grantAccess(v.ref(), group("cluster-a", 1, 2, 3));
        for (String method : List.of("AddInitiatorsToVolumeAccessGroup", "RemoveInitiatorsFromVolumeAccessGroup",
                "AddVolumesToVolumeAccessGroup", "RemoveVolumesFromVolumeAccessGroup", "DeleteVolumeAccessGroup")) {
            cluster.sim.faults().dropResponse(method, 1);
        }
        driver.grantAccess(v2.ref(), group("cluster-a", 2, 3, 4));
        assertEquals(List.of(iqn(2), iqn(3), iqn(4)), vag("spindle-cluster-a").initiators());
        assertEquals(List.of(sanId(v), sanId(v2)), vag("spindle-cluster-a").volumes());
        driver.revokeAccess(v.ref(), group("cluster-a", 2, 3, 4));
        driver.revokeAccess(v2.ref(), group("cluster-a", 2, 3, 4));
        assertEquals(List.of(), cluster.sim.accessGroups());
        assertEquals(Map.of(), cluster.sim.faults().armed().get("drops"), "every answer was lost once");
    }

    @Test
    void volumesBelowElementsMinimumAreRefusedBeforeAnyCall() throws IOException {
        start("12.3");
        driver.capacity();
        cluster.sim.faults().resetCalls();
        StorageException e = assertThrows(StorageException.class, () -> driver.createVolume(
                new org.spindle.storage.api.driver.SanVolumeRequest(java.util.UUID.randomUUID(), "small", "t1",
                        999_999_999L, org.spindle.storage.api.qos.StorageQos.NONE)));
        assertEquals("size", e.field());
        assertTrue(e.getMessage().contains("at least 1000000000 bytes"), e.getMessage());
        assertEquals(0, cluster.sim.faults().totalCalls());
    }

    @Test
    void findVolumeByItsUuidAfterALostCreateAnswer() throws IOException {
        start("12.3");
        var request = volume("v1", "t1");
        cluster.sim.faults().dropResponse("CreateVolume", 1);
        SanVolume made = driver.createVolume(request);
        SanVolume found = cluster.driver().findVolume(request.volumeId()).orElseThrow(); // a fresh driver: no memory
        assertEquals(made, found);
        assertEquals(request.volumeId(), found.volumeId());
        assertEquals(Optional.empty(), driver.findVolume(java.util.UUID.randomUUID()));
        driver.deleteVolume(made.ref());
        assertEquals(Optional.empty(), driver.findVolume(request.volumeId()), "a deleted volume is not found");
    }

    private String onSanIqn(SanVolume v) {
        return cluster.sim.volume(sanId(v)).orElseThrow().iqn();
    }
}
