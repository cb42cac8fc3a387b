package org.spindle.storage.core.internal.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;
import org.spindle.storage.api.driver.HostGroup;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.Limit;
import org.spindle.storage.api.qos.QosSpec;
import org.spindle.storage.api.qos.StorageQos;
import org.spindle.storage.api.runtime.AttachServiceInfo;
import org.spindle.storage.api.runtime.ServiceStatus;
import org.spindle.storage.api.volume.Volume;
import org.spindle.storage.api.volume.VolumeState;

/**
 * An attach service for a cluster of hosts: every call after the attach reaches the service the volume was
 * attached through, wherever its VM runs; host and initiator changes reach the SAN and the service.
 */
class ClusterAttachTest extends LifecycleFixture {
    static final long CLUSTER_ID = 10;
    /** The cluster c1: hosts ha and hb, no host of its own; vmc runs on ha. */
    FakeHypervisor cluster = new FakeHypervisor("ha", "vmc");
    /**
     * Single-host services on ha (registered before the cluster) and hb: where a call routed by the host the VM
     * was attached on, or runs on now, would wrongly go.
     */
    FakeHypervisor decoyA = new FakeHypervisor("ha");
    FakeHypervisor decoy = new FakeHypervisor("hb");

    static Map<String, Object> clusterProps(List<String> hosts, List<String> initiators) {
        Map<String, Object> p = new HashMap<>();
        p.put("hypervisor.type", "kvm");
        p.put("hypervisor.cluster", "c1");
        p.put("hypervisor.hosts", hosts.toArray(String[]::new));
        p.put("hypervisor.initiators", initiators.toArray(String[]::new));
        p.put("storage.zone", "z1");
        p.put("storage.protocols", "iscsi");
        p.put("hypervisor.limits", ALL_LIMITS.toArray(String[]::new));
        return p;
    }

    @BeforeEach
    void cluster() {
        attachers.add(CLUSTER_ID - 1, "test.attach", decoyA, attachProps("ha", "iscsi", ALL_LIMITS));
        attachers.add(CLUSTER_ID, "test.attach", cluster, clusterProps(List.of("ha", "hb"), List.of(iqn("ha"), iqn("hb"))));
        attachers.add(11, "test.attach", decoy, attachProps("hb", "iscsi", ALL_LIMITS));
    }

    @Test
    void everyCallAfterTheAttachReachesTheClusterService_afterTheVmMigrated() {
        create("v1");
        Volume v = volumes.attach("v1", "vmc", null);
        assertEquals("c1", v.attachment().service(), "the identity falls back to hypervisor.cluster");
        assertEquals("ha", v.attachment().host());
        assertEquals(List.of(iqn("ha"), iqn("hb")), v.attachment().initiators());
        assertEquals(Set.of(iqn("ha"), iqn("hb")), san.access(v.id()));

        cluster.migrate("vmc", "hb");
        volumes.changeQos("v1", new QosSpec(StorageQos.NONE, new IoLimits(Limit.of(800), Limit.NONE, Limit.NONE, Limit.NONE,
                Limit.NONE, Limit.NONE)));
        volumes.stats("v1");
        Volume grown = volumes.resize("v1", 20 * G);
        assertEquals(List.of(20 * G), cluster.grows, "the attach service grows the disk after the SAN volume");
        assertEquals(20 * G, grown.sizeBytes());
        assertEquals(VolumeState.ATTACHED, grown.state());
        volumes.detach("v1");

        // read-backs and usage readings go to the same service: only the changes are compared here
        assertEquals(List.of("attach@ha", "limits@hb", "grow@hb", "detach@hb"), cluster.callsAt.stream()
                .filter(c -> !c.startsWith("stats@") && !c.startsWith("readLimits@")).toList());
        assertTrue(cluster.callsAt.stream().filter(c -> c.startsWith("stats@")).skip(1).allMatch(c -> c.equals("stats@hb")),
                "after the migration every reading went to the VM's new host: " + cluster.callsAt);
        assertTrue(decoy.callsAt.isEmpty(), "nothing went to the service of the VM's new host");
        assertTrue(decoyA.callsAt.isEmpty(), "nothing went to the service of the host it was attached on");
        assertTrue(san.access(v.id()).isEmpty());
    }

    @Test
    void attachNamesAHostOfTheClusterOrTheServiceItself() {
        create("v1");
        create("v2");
        assertEquals("c1", volumes.attach("v1", "vmc", "hb").attachment().service(), "hb is one of the cluster's hosts");
        assertEquals("c1", volumes.attach("v2", "uuid-vmc", "c1").attachment().service(), "by service name and VM id");
    }

    @Test
    void aHostJoins_theNewGroupIsGrantedAndStored_andTheServiceUpdatesItsHosts() {
        create("v1");
        Volume v = volumes.attach("v1", "vmc", null);
        List<String> three = List.of(iqn("ha"), iqn("hb"), iqn("hc"));
        attachers.add(CLUSTER_ID, "test.attach", cluster, clusterProps(List.of("ha", "hb", "hc"), three));

        assertEquals(new HostGroup("c1", three), san.grants.get(san.grants.size() - 1));
        assertEquals(1, cluster.hostUpdates.size());
        assertNotNull(cluster.hostUpdates.get(0).chap(), "updateHosts gets the target with the credentials to log in");
        assertEquals(Set.copyOf(three), san.access(v.id()));
        Volume after = volumes.get("v1").orElseThrow();
        assertEquals(three, after.attachment().initiators(), "the granted initiators are stored");
        assertEquals(new HostGroup("c1", three), row("v1").granted());
        assertNull(after.error());

        attachers.add(CLUSTER_ID, "test.attach", cluster, clusterProps(List.of("ha", "hb", "hc"), three));
        assertEquals(1, cluster.hostUpdates.size(), "unchanged properties change nothing");
    }

    @Test
    void anInitiatorIsReplaced_detachRevokesExactlyWhatWasGranted_andNoInitiatorKeepsAccess() {
        create("v1");
        Volume v = volumes.attach("v1", "vmc", null);
        List<String> replaced = List.of(iqn("ha"), iqn("hb-reinstalled"));
        attachers.add(CLUSTER_ID, "test.attach", cluster, clusterProps(List.of("ha", "hb"), replaced));
        assertEquals(Set.copyOf(replaced), san.access(v.id()), "the old IQN of hb lost its access");

        volumes.detach("v1");
        assertEquals(List.of(new HostGroup("c1", replaced)), san.revokes);
        assertTrue(san.access(v.id()).isEmpty());
        assertNull(row("v1").granted());
    }

    @Test
    void aFailedRegrant_isRecordedOnTheVolume_andDetachRevokesTheStoredInitiatorsNotTheCurrentOnes() {
        create("v1");
        Volume v = volumes.attach("v1", "vmc", null);
        san.failNextGrant = new StorageException(Reason.BACKEND_FAILURE, "access group full");
        attachers.add(CLUSTER_ID, "test.attach", cluster, clusterProps(List.of("ha", "hb", "hc"),
                List.of(iqn("ha"), iqn("hb"), iqn("hc"))));

        Volume after = volumes.get("v1").orElseThrow();
        assertTrue(after.error().contains("access group full"), after.error());
        assertEquals(VolumeState.ATTACHED, after.state());
        assertTrue(cluster.hostUpdates.isEmpty());
        volumes.detach("v1");
        assertEquals(List.of(new HostGroup("c1", List.of(iqn("ha"), iqn("hb")))), san.revokes);
        assertTrue(san.access(v.id()).isEmpty());
    }

    @Test
    void aHostThatJoinsDuringTheAttach_isGivenAccessOnceTheAttachIsDone() {
        create("v1");
        List<String> three = List.of(iqn("ha"), iqn("hb"), iqn("hc"));
        san.beforeGrant = (ref, group) -> {
            san.beforeGrant = (r, g) -> { };
            attachers.add(CLUSTER_ID, "test.attach", cluster, clusterProps(List.of("ha", "hb", "hc"), three));
        };
        Volume v = volumes.attach("v1", "vmc", null);
        assertEquals(List.of(iqn("ha"), iqn("hb")), v.attachment().initiators(), "the attach granted the hosts it knew");
        assertEquals(new HostGroup("c1", three), row("v1").granted(), "then the host that joined meanwhile");
        assertEquals(Set.copyOf(three), san.access(v.id()));
        assertEquals(1, cluster.hostUpdates.size());
        assertNull(row("v1").volume().error());
    }

    @Test
    void aFailedHostUpdate_isRecordedNotThrown() {
        create("v1");
        volumes.attach("v1", "vmc", null);
        cluster.failNextUpdateHosts = new StorageException(Reason.BACKEND_FAILURE, "host hc unreachable");
        attachers.add(CLUSTER_ID, "test.attach", cluster, clusterProps(List.of("ha", "hb", "hc"), List.of(iqn("ha"), iqn("hb"))));
        assertTrue(volumes.get("v1").orElseThrow().error().contains("host hc unreachable"));
    }

    @Test
    void aSecondServiceWithTheSameIdentity_isRejectedNamingIt_untilTheFirstGoes() {
        Map<String, Object> same = clusterProps(List.of("hx"), List.of(iqn("hx")));
        same.remove("hypervisor.cluster");
        same.put("hypervisor.service", "c1");
        attachers.add(12, "other.attach", new FakeHypervisor("hx"), same);
        AttachServiceInfo rejected = info("12");
        assertEquals(ServiceStatus.REJECTED, rejected.status());
        assertTrue(rejected.reason().contains("hypervisor.service") && rejected.reason().contains("'c1'")
                && rejected.reason().contains("attach service " + CLUSTER_ID), rejected.reason());
        assertEquals("c1", attachers.byIdentity("c1").orElseThrow().identity());
        assertEquals(CLUSTER_ID, attachers.byIdentity("c1").orElseThrow().serviceId());

        attachers.remove(CLUSTER_ID);
        assertEquals(ServiceStatus.BOUND, info("12").status());
    }

    @Test
    void unknownTokens_areIgnored_theServiceIsBound() {
        Map<String, Object> p = attachProps("hn", "iscsi", List.of("iops", "total", "teleport"));
        p.put("hypervisor.service", "kvm-hn");
        p.put("hypervisor.hosts", "hn"); // a single String, as configuration admin may give it
        attachers.add(13, "new.attach", new FakeHypervisor("hn"), p);
        AttachServiceInfo info = info("13");
        assertEquals(ServiceStatus.BOUND, info.status());
        assertEquals(List.of("iops", "total"), info.limits());
        assertEquals("kvm-hn", info.service());
        assertEquals(List.of("hn"), info.hosts());
        assertEquals(List.of(iqn("hn")), info.initiators());

        pools.add(14, "new.driver", new FakeSan(), driverProps("sf9", "gold", "min-iops", "latency"));
        var driver = pools.infos().stream().filter(d -> d.source().equals("14")).findFirst().orElseThrow();
        assertEquals(ServiceStatus.BOUND, driver.status());
        assertEquals(List.of("min-iops"), driver.qos());
    }

    @Test
    void vmNamesAsHypervisorsHaveThem_spacesAndUpTo255Characters() {
        String longName = "Finance DB " + "x".repeat(244);
        FakeHypervisor vcenter = new FakeHypervisor("esx1", "My VM 1", longName);
        attachers.add(15, "test.attach", vcenter, attachProps("esx1", "iscsi", ALL_LIMITS));
        create("v1");
        create("v2");
        assertEquals("My VM 1", volumes.attach("v1", "My VM 1", "esx1").attachment().vm());
        assertEquals(255, longName.length());
        assertEquals(longName, volumes.attach("v2", longName, "esx1").attachment().vm());
        assertEquals(longName, volumes.get("v2").orElseThrow().attachment().vm(), "stored and read back whole");
        create("v3");
        assertEquals("vm", assertThrows(() -> volumes.attach("v3", longName + "y", null)).field());
        assertEquals("vm", assertThrows(() -> volumes.attach("v3", "bad\nname", null)).field());
        assertEquals("vm", assertThrows(() -> volumes.attach("v3", "  ", null)).field());
    }

    private StorageException assertThrows(org.junit.jupiter.api.function.Executable call) {
        StorageException e = org.junit.jupiter.api.Assertions.assertThrows(StorageException.class, call);
        assertEquals(Reason.INVALID_ARGUMENT, e.reason());
        return e;
    }

    private AttachServiceInfo info(String source) {
        return attachers.infos().stream().filter(i -> i.source().equals(source)).findFirst().orElseThrow();
    }
}
