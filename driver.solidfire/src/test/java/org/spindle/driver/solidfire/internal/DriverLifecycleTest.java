package org.spindle.driver.solidfire.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.spindle.storage.api.driver.StorageQosCapability;
import org.spindle.storage.api.StorageException;

/** Registration, its properties, and rejection of configurations the cluster refuses. */
class DriverLifecycleTest {
    static final String PID = "org.spindle.driver.solidfire.5f1c";
    TestCluster cluster;
    FakeRegistrar registrar;
    List<String> rejections;

    @BeforeEach
    void start() throws IOException {
        cluster = TestCluster.start();
        registrar = new FakeRegistrar();
        rejections = new ArrayList<>();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    DriverLifecycle lifecycle(Map<String, Object> config) throws ConfigException {
        return DriverAssembly.assemble(cluster.settings(config), DriverLifecycle.DECLARED, PID, registrar, rejections::add);
    }

    @Test
    void theMaxIopsCeilingComesFromTheCluster() throws Exception {
        try (TestCluster v9 = TestCluster.start(org.spindle.solidfire.simulator.ElementSimulator.TgtMode.OFF,
                b -> b.apiVersion("9.0"))) {
            FakeRegistrar r = new FakeRegistrar();
            DriverLifecycle l = DriverAssembly.assemble(v9.settings(v9.config()), DriverLifecycle.DECLARED, PID, r, x -> { });
            l.start();
            assertEquals(100_000L, r.current().get("storage.qos.max-iops.ceiling"), "GetLimits of an Element 9.0 cluster");
            assertEquals(100L, r.current().get("storage.qos.max-iops.floor"));
            l.stop();
            Map<String, Object> c = v9.config();
            c.put("qos.max.iops.ceiling", 30_000);
            FakeRegistrar capped = new FakeRegistrar();
            DriverLifecycle l2 = DriverAssembly.assemble(v9.settings(c), DriverLifecycle.DECLARED, PID, capped, x -> { });
            l2.start();
            assertEquals(30_000L, capped.current().get("storage.qos.max-iops.ceiling"), "a configured lower ceiling");
            l2.stop();
        }
    }

    @Test
    void registersOneDriverWithItsProperties() throws ConfigException {
        DriverLifecycle l = lifecycle(cluster.config());
        l.start();
        assertTrue(l.registered());
        assertEquals(1, registrar.registered.size());
        Map<String, Object> p = registrar.current();
        assertEquals("sf-gold", p.get("storage.pool"));
        assertEquals("solidfire", p.get("storage.driver.type"));
        assertEquals("zone1", p.get("storage.zone"));
        assertArrayEquals(new String[] {"gold", "ssd"}, (String[]) p.get("storage.tags"));
        assertArrayEquals(new String[] {"iscsi"}, (String[]) p.get("storage.protocols"));
        assertEquals(Boolean.TRUE, p.get("storage.managed"));
        assertEquals(List.of(StorageQosCapability.MIN_IOPS, StorageQosCapability.MAX_IOPS, StorageQosCapability.BURST_IOPS),
                Arrays.stream((String[]) p.get("storage.qos")).map(t -> StorageQosCapability.fromToken(t).orElseThrow()).toList());
        assertEquals(50L, p.get("storage.qos.min-iops.floor"));
        assertEquals(15_000L, p.get("storage.qos.min-iops.ceiling"));
        assertEquals(100L, p.get("storage.qos.max-iops.floor"), "Element's volumeMaxIOPSMin");
        assertEquals(200_000L, p.get("storage.qos.max-iops.ceiling"), "GetLimits of an Element 12.3 cluster");
        assertEquals(1_000_000_000L, p.get("storage.volume.size.min"), "Element's volumeSizeMin");
        assertEquals("12.3", p.get("solidfire.api.version"));
        assertEquals("spindle-sim-" + cluster.sim.uniqueId(), p.get("solidfire.cluster"));
        assertEquals(cluster.mvip(), p.get("solidfire.mvip"));
        assertEquals(PID, p.get("service.pid"));
        assertFalse(p.keySet().stream().anyMatch(k -> k.contains("password")));
        assertFalse(p.values().stream().anyMatch(v -> String.valueOf(v).contains(TestCluster.PASSWORD)));
        assertEquals(List.of(), rejections);
        assertEquals(4, cluster.sim.faults().totalCalls(), "GetAPI, GetClusterInfo, GetDefaultQoS, GetLimits");

        l.stop();
        assertTrue(registrar.unregistered);
        assertFalse(l.registered());
    }

    @Test
    void theFloorFollowsThePinnedVersion() throws ConfigException {
        Map<String, Object> c = cluster.config();
        c.put("api.version", "7.0");
        lifecycle(c).start();
        assertEquals(100L, registrar.current().get("storage.qos.min-iops.floor"));
        assertEquals("7.0", registrar.current().get("solidfire.api.version"));
        assertEquals(0, cluster.sim.faults().calls("GetAPI"));
    }

    @Test
    void badCredentialsAreRejected() throws ConfigException {
        Map<String, Object> c = cluster.config();
        c.put(".password", "wrong-password-1");
        DriverLifecycle l = lifecycle(c);
        l.start();
        assertFalse(l.registered());
        assertTrue(registrar.registered.isEmpty());
        assertEquals(List.of("username/.password: bad credentials for cluster admin admin at " + cluster.mvip()), rejections);
    }

    @Test
    void aWrongPinIsRejected() throws ConfigException {
        Map<String, Object> c = cluster.config();
        c.put("tls.fingerprint.sha256", "ab".repeat(32));
        lifecycle(c).start();
        assertTrue(registrar.registered.isEmpty());
        assertEquals(List.of("tls.fingerprint.sha256: TLS: " + cluster.mvip() + " is not the pinned cluster: the server "
                + "certificate has SHA-256 " + cluster.sim.certificateSha256() + ", not the pinned " + "ab".repeat(32)), rejections);
    }

    @Test
    void aPinnedVersionTheClusterLacksIsRejected() throws ConfigException {
        Map<String, Object> c = cluster.config();
        c.put("api.version", "13.0");
        lifecycle(c).start();
        assertTrue(registrar.registered.isEmpty());
        assertEquals(1, rejections.size());
        assertTrue(rejections.get(0).startsWith("api.version: the cluster at " + cluster.mvip() + " does not serve API 13.0 ("),
                rejections.get(0));
    }

    @Test
    void anUnreachableClusterStillRegistersAndItsCallsFail() throws ConfigException, IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Map<String, Object> c = cluster.config();
        c.put("mvip", "127.0.0.1:" + port);
        c.put("retry.count", 0);
        lifecycle(c).start();
        assertEquals(List.of(), rejections);
        Map<String, Object> p = registrar.current();
        assertEquals(100L, p.get("storage.qos.min-iops.floor"), "the floor every version accepts");
        assertEquals(100_000L, p.get("storage.qos.max-iops.ceiling"), "the ceiling every version accepts");
        assertEquals(1_000_000_000L, p.get("storage.volume.size.min"));
        assertNull(p.get("solidfire.api.version"));
        StorageException e = assertThrows(StorageException.class, () -> registrar.driver.capacity());
        assertEquals(StorageException.Reason.UNAVAILABLE, e.reason());
        assertTrue(e.getMessage().contains("cannot connect to 127.0.0.1:" + port), e.getMessage());
    }

    @Test
    void aClusterThatAnswersLaterUpdatesTheProperties() throws ConfigException {
        cluster.sim.faults().failNext("GetAPI", 1, "xNotReadyForIO", "the cluster is starting");
        lifecycle(cluster.config()).start();
        assertEquals(100L, registrar.current().get("storage.qos.min-iops.floor"));
        registrar.driver.capacity();
        assertEquals(1, registrar.updates.size());
        assertEquals(50L, registrar.current().get("storage.qos.min-iops.floor"));
        assertEquals(200_000L, registrar.current().get("storage.qos.max-iops.ceiling"));
        assertEquals("12.3", registrar.current().get("solidfire.api.version"));
    }

    @Test
    void stoppedBeforeTheProbeEndsRegistersNothing() throws ConfigException {
        DriverLifecycle l = lifecycle(cluster.config());
        l.stop();
        l.start();
        assertTrue(registrar.registered.isEmpty());
    }
}
