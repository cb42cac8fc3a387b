package org.spindle.driver.solidfire.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.spindle.driver.solidfire.internal.Requests.GB;
import static org.spindle.driver.solidfire.internal.Requests.GB_ON_SAN;
import static org.spindle.driver.solidfire.internal.Requests.volume;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.spindle.solidfire.simulator.CallCounter;
import org.spindle.storage.api.PoolCapacity;
import org.spindle.storage.api.driver.SanVolume;
import org.spindle.storage.api.qos.StorageQos;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Issue 14: Element calls per driver operation, counted on the simulator. Reading the capacity is one
 * GetClusterCapacity (no listing of every volume); the QoS audit's listVolumes is one ListActiveVolumes, and
 * findVolume one ListVolumes of that volume once the driver has seen it.
 */
class SanCallsTest {
    TestCluster cluster;
    SolidFireStorageDriver driver;

    @BeforeEach
    void start() throws IOException {
        cluster = TestCluster.start();
        driver = cluster.driver();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    /** The Element calls {@code op} makes, per method. */
    <T> Map<String, Long> cost(Supplier<T> op) {
        CallCounter.Counts before = cluster.sim.calls().snapshot();
        op.get();
        return cluster.sim.calls().snapshot().minus(before).byMethod();
    }

    @Test
    void capacityIsOneGetClusterCapacity_andItsGuaranteedIopsFollowTheDriversChanges() {
        SanVolume a = driver.createVolume(volume("a", "t1", new StorageQos(500, 1000, 2000)));
        PoolCapacity first = driver.capacity();
        assertEquals(500, first.provisionedIops());
        assertEquals(GB_ON_SAN, first.provisionedBytes());
        assertEquals(Map.of("GetClusterCapacity", 1L), cost(driver::capacity), "a listing of the create is not needed");

        SanVolume b = driver.createVolume(volume("b", "t2", new StorageQos(1000, 2000, 4000)));
        assertEquals(Map.of("GetClusterCapacity", 1L), cost(driver::capacity));
        assertEquals(1500, driver.capacity().provisionedIops(), "the create is counted without a listing");
        driver.modifyQos(b.ref(), new StorageQos(3000, 4000, 4000));
        assertEquals(3500, driver.capacity().provisionedIops());
        driver.deleteVolume(a.ref());
        PoolCapacity after = driver.capacity();
        assertEquals(3000, after.provisionedIops());
        assertEquals(GB_ON_SAN, after.provisionedBytes());
        assertEquals(Map.of("GetClusterCapacity", 1L), cost(driver::capacity));
    }

    @Test
    void aChangeByOthersShowsAfterTheNextListing_whichTheAuditMakesAnyway() {
        SanVolume v = driver.createVolume(volume("v", "t1", new StorageQos(500, 1000, 2000)));
        assertEquals(500, driver.capacity().provisionedIops());
        new Operator(cluster.sim).modifyQos(v.sanId(), 900, 1000, 2000);
        ObjectNode foreign = new ObjectMapper().createObjectNode().put("name", "theirs").put("totalSize", GB)
                .put("accountID", cluster.sim.invoke("AddAccount", new ObjectMapper().createObjectNode()
                        .put("username", "cinder-p1"), "12.3").path("accountID").asLong());
        foreign.putObject("qos").put("minIOPS", 2000).put("maxIOPS", 3000).put("burstIOPS", 3000);
        cluster.sim.invoke("CreateVolume", foreign, "12.3");
        assertEquals(500, driver.capacity().provisionedIops(), "not seen yet: no listing since");
        driver.listVolumes();
        assertEquals(2900, driver.capacity().provisionedIops(), "every active volume of the cluster, others' too");
    }

    @Test
    void aTallyOlderThanItsMaximumAgeIsListedAgain() {
        AtomicLong now = new AtomicLong();
        SolidFireStorageDriver aging = driver(now);
        aging.createVolume(volume("v", "t1", new StorageQos(500, 1000, 2000)));
        assertEquals(Map.of("GetClusterCapacity", 1L, "ListActiveVolumes", 1L), cost(aging::capacity),
                "no listing known yet");
        now.addAndGet(Duration.ofMinutes(4).toNanos());
        assertEquals(Map.of("GetClusterCapacity", 1L), cost(aging::capacity));
        now.addAndGet(Duration.ofMinutes(2).toNanos());
        assertEquals(Map.of("GetClusterCapacity", 1L, "ListActiveVolumes", 1L), cost(aging::capacity));
        assertEquals(500, aging.capacity().provisionedIops());
    }

    @Test
    void aCreateLooksForItsVolumeByName_notThroughTheTenantsWholeList() {
        for (int i = 0; i < 30; i++) {
            driver.createVolume(volume("v" + i, "t1"));
        }
        org.spindle.storage.api.driver.SanVolumeRequest request = volume("v30", "t1");
        Map<String, Long> create = cost(() -> driver.createVolume(request));
        assertEquals(1L, create.get("CreateVolume"), create.toString());
        assertEquals(1L, create.get("ListVolumes"), "one look for a volume of that name in the account: " + create);
        assertTrue(!create.containsKey("ListVolumesForAccount"), "the tenant's 30 volumes are not listed: " + create);
        // a repeated create (its first answer lost beyond the driver) finds the volume by its name and UUID
        SanVolume first = driver.findVolume(request.volumeId()).orElseThrow();
        Map<String, Long> again = cost(() -> driver.createVolume(request));
        assertTrue(!again.containsKey("CreateVolume"), "no second SAN volume: " + again);
        assertEquals(first.sanId(), driver.createVolume(request).sanId());
        assertEquals(31, driver.listVolumes().size());
    }

    @Test
    void listVolumesAndFindVolumeAreOneListActiveVolumes() {
        SanVolume a = driver.createVolume(volume("a", "t1"));
        SanVolume b = driver.createVolume(volume("b", "t2"));
        assertEquals(Map.of("ListActiveVolumes", 1L), cost(driver::listVolumes), "this driver made both accounts");
        SolidFireStorageDriver restarted = cluster.driver();
        restarted.capacity(); // discovery
        assertEquals(Map.of("ListAccounts", 1L, "ListActiveVolumes", 1L), cost(restarted::listVolumes),
                "a driver that just started learns once which accounts are Spindle's");
        assertEquals(Map.of("ListActiveVolumes", 1L), cost(restarted::listVolumes));
        assertEquals(Map.of("ListVolumes", 1L), cost(() -> driver.findVolume(a.volumeId())),
                "a volume the driver has seen is read alone");

        // a tenant account made by another node of this installation: learnt with one ListAccounts, then free again
        SolidFireStorageDriver otherNode = cluster.driver();
        SanVolume c = otherNode.createVolume(volume("c", "t3"));
        assertEquals(Map.of("ListAccounts", 1L, "ListActiveVolumes", 1L), cost(driver::listVolumes));
        assertEquals(Set.of(a.volumeId(), b.volumeId(), c.volumeId()),
                driver.listVolumes().stream().map(SanVolume::volumeId).collect(Collectors.toSet()));
        assertEquals(Map.of("ListActiveVolumes", 1L), cost(driver::listVolumes));
        assertEquals(c.volumeId(), driver.findVolume(c.volumeId()).orElseThrow().volumeId());
    }

    @Test
    void findVolumeReadsOneVolume_andListsOnlyForOneItHasNotSeenOrThatMoved() {
        SanVolume a = driver.createVolume(volume("a", "t1"));
        SanVolume b = driver.createVolume(volume("b", "t1"));
        assertEquals(Map.of("ListVolumes", 1L), cost(() -> driver.findVolume(a.volumeId())));

        SolidFireStorageDriver restarted = cluster.driver();
        restarted.capacity(); // discovery, and a listing that teaches it every volume's id
        assertEquals(Map.of("ListVolumes", 1L), cost(() -> restarted.findVolume(b.volumeId())));
        SolidFireStorageDriver fresh = cluster.driver();
        fresh.findVolume(UUID.randomUUID()); // discovery
        SanVolume c = driver.createVolume(volume("c", "t1"));
        assertEquals(Map.of("ListActiveVolumes", 1L), cost(() -> fresh.findVolume(c.volumeId())), "not seen: one listing");
        assertEquals(Map.of("ListVolumes", 1L), cost(() -> fresh.findVolume(c.volumeId())), "then read alone");

        new Operator(cluster.sim).call("DeleteVolume", new ObjectMapper().createObjectNode()
                .put("volumeID", Long.parseLong(a.sanId()))); // behind Spindle's back
        assertEquals(Map.of("ListVolumes", 1L, "ListActiveVolumes", 1L), cost(() -> driver.findVolume(a.volumeId())));
        assertTrue(driver.findVolume(a.volumeId()).isEmpty());
        assertEquals(Map.of("ListActiveVolumes", 1L), cost(() -> driver.findVolume(a.volumeId())),
                "an id found gone is forgotten");
        assertTrue(driver.findVolume(UUID.randomUUID()).isEmpty());
    }

    private SolidFireStorageDriver driver(AtomicLong now) {
        ClusterSettings s = cluster.settings(cluster.config());
        try {
            return new SolidFireStorageDriver(s, new ClusterSession(s, DriverAssembly.client(s), f -> { }),
                    new Accounts(s.accountPrefix(), new SecureRandom()), new AccessGroups(new GroupNaming(s.accountPrefix())),
                    new QosRules(s), new GuaranteedIops(now::get, GuaranteedIops.MAX_AGE));
        } catch (ConfigException e) {
            throw new AssertionError(e);
        }
    }
}
