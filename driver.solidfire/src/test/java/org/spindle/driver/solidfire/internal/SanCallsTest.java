package org.spindle.driver.solidfire.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.spindle.driver.solidfire.internal.Requests.GB;
import static org.spindle.driver.solidfire.internal.Requests.GB_ON_SAN;
import static org.spindle.driver.solidfire.internal.Requests.volume;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
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
 * GetClusterCapacity (no listing of every volume); the QoS audit's listVolumes and findVolume are one
 * ListActiveVolumes each.
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
    void listVolumesAndFindVolumeAreOneListActiveVolumes() {
        SanVolume a = driver.createVolume(volume("a", "t1"));
        SanVolume b = driver.createVolume(volume("b", "t2"));
        assertEquals(Map.of("ListActiveVolumes", 1L), cost(driver::listVolumes), "this driver made both accounts");
        SolidFireStorageDriver restarted = cluster.driver();
        restarted.capacity(); // discovery
        assertEquals(Map.of("ListAccounts", 1L, "ListActiveVolumes", 1L), cost(restarted::listVolumes),
                "a driver that just started learns once which accounts are Spindle's");
        assertEquals(Map.of("ListActiveVolumes", 1L), cost(restarted::listVolumes));
        assertEquals(Map.of("ListActiveVolumes", 1L), cost(() -> driver.findVolume(a.volumeId())));

        // a tenant account made by another node of this installation: learnt with one ListAccounts, then free again
        SolidFireStorageDriver otherNode = cluster.driver();
        SanVolume c = otherNode.createVolume(volume("c", "t3"));
        assertEquals(Map.of("ListAccounts", 1L, "ListActiveVolumes", 1L), cost(driver::listVolumes));
        assertEquals(Set.of(a.volumeId(), b.volumeId(), c.volumeId()),
                driver.listVolumes().stream().map(SanVolume::volumeId).collect(Collectors.toSet()));
        assertEquals(Map.of("ListActiveVolumes", 1L), cost(driver::listVolumes));
        assertEquals(c.volumeId(), driver.findVolume(c.volumeId()).orElseThrow().volumeId());
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
