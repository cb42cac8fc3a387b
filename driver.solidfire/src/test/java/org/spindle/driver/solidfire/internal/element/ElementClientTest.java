package org.spindle.driver.solidfire.internal.element;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spindle.solidfire.simulator.ElementSimulator;
import org.spindle.storage.api.Secret;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The transport against the simulator: envelope, typed errors, retries, TLS trust. */
class ElementClientTest {
    ElementSimulator sim;
    ElementClient client;
    final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void start() throws IOException {
        sim = Sims.start();
        client = Sims.client(sim);
    }

    @AfterEach
    void stop() {
        sim.stop();
    }

    ObjectNode params() {
        return json.createObjectNode();
    }

    @Test
    void envelopeAndResult() {
        assertEquals(new ApiVersion(12, 3), ElementApi.currentVersion(client));
        JsonNode r = client.call("12.3", "GetClusterInfo", params());
        assertEquals(sim.uniqueId(), r.at("/clusterInfo/uniqueID").asText());
        assertEquals(1, sim.faults().calls("GetAPI"));
        assertEquals(1, sim.faults().calls("GetClusterInfo"));
    }

    @Test
    void errorEnvelopeBecomesATypedException() {
        ElementException e = assertThrows(ElementException.class,
                () -> client.call("12.3", "GetVolumeStats", params().put("volumeID", 4711)));
        assertEquals("xVolumeIDDoesNotExist", e.name());
        assertEquals(500, e.code());
        assertEquals("GetVolumeStats", e.method());
        assertTrue(e.getMessage().startsWith("GetVolumeStats failed: xVolumeIDDoesNotExist"), e.getMessage());
        // not transient: one call only
        assertEquals(1, sim.faults().calls("GetVolumeStats"));
    }

    @Test
    void unknownVersionIsAnElementError() {
        ElementException e = assertThrows(ElementException.class, () -> client.call("13.0", "GetClusterInfo", params()));
        assertEquals("xUnknownAPIVersion", e.name());
        e = assertThrows(ElementException.class, () -> client.call("7.0", "ListVolumes", params()));
        assertEquals("xUnknownAPIMethod", e.name());
    }

    @Test
    void badCredentials() {
        ElementClient wrong = Sims.client(sim, "not-the-password", Sims.pinned(sim.certificateSha256()),
                new RetryPolicy(3, Duration.ZERO, Duration.ZERO));
        ElementAuthException e = assertThrows(ElementAuthException.class,
                () -> wrong.call("12.3", "GetClusterInfo", params()));
        assertEquals("bad credentials for cluster admin admin at " + Sims.mvip(sim), e.getMessage());
        assertFalse(e.getMessage().contains("not-the-password"));
    }

    @Test
    void wrongPinIsAClearTlsError() {
        String other = "00".repeat(32);
        ElementClient pinnedElsewhere = Sims.client(sim, Sims.PASSWORD, Sims.pinned(other), RetryPolicy.NONE);
        ElementTransportException e = assertThrows(ElementTransportException.class,
                () -> pinnedElsewhere.call("12.3", "GetClusterInfo", params()));
        assertEquals(ElementTransportException.Kind.TLS, e.kind());
        assertFalse(e.ambiguous());
        assertEquals("TLS: " + Sims.mvip(sim) + " is not the pinned cluster: the server certificate has SHA-256 "
                + sim.certificateSha256() + ", not the pinned " + other, e.getMessage());
        assertEquals(0, sim.faults().totalCalls(), "nothing was sent");
    }

    @Test
    void truststoreWithHostNameVerification(@TempDir Path dir) throws Exception {
        Path store = dir.resolve("trust.p12");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("sim", sim.certificate());
        try (var out = Files.newOutputStream(store)) {
            ks.store(out, "changeit".toCharArray());
        }
        ElementClient trusted = Sims.client(sim, Sims.PASSWORD, TlsTrust.truststore(store, Secret.of("changeit")),
                RetryPolicy.NONE);
        assertEquals(sim.uniqueId(), trusted.call("12.3", "GetClusterInfo", params()).at("/clusterInfo/uniqueID").asText());
        ElementClient byName = Sims.client("localhost:" + sim.port(), Sims.PASSWORD,
                TlsTrust.truststore(store, Secret.of("changeit")), RetryPolicy.NONE, Duration.ofSeconds(5));
        assertEquals(sim.uniqueId(), byName.call("12.3", "GetClusterInfo", params()).at("/clusterInfo/uniqueID").asText());

        // a trust store without this cluster's certificate
        try (ElementSimulator other = Sims.start()) {
            ElementClient wrong = Sims.client(other, Sims.PASSWORD, TlsTrust.truststore(store, Secret.of("changeit")),
                    RetryPolicy.NONE);
            ElementTransportException e = assertThrows(ElementTransportException.class,
                    () -> wrong.call("12.3", "GetClusterInfo", params()));
            assertEquals(ElementTransportException.Kind.TLS, e.kind());
            assertTrue(e.getMessage().startsWith("TLS handshake with " + Sims.mvip(other) + " failed: "), e.getMessage());
        }
    }

    @Test
    void transientErrorsAreRetriedWithBackoff() {
        List<Duration> waits = new ArrayList<>();
        ElementClient c = client.withRetry(new RetryPolicy(5, Duration.ofMillis(100), Duration.ofMillis(300)))
                .withSleeper(waits::add);
        sim.faults().failNext("GetClusterInfo", 4, "xDBVersionMismatch", "injected");
        assertEquals(sim.uniqueId(), c.call("12.3", "GetClusterInfo", params()).at("/clusterInfo/uniqueID").asText());
        assertEquals(5, sim.faults().calls("GetClusterInfo"));
        assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(300), Duration.ofMillis(300)), waits);

        sim.faults().failNext("GetClusterInfo", 2, "xNotReadyForIO", "injected");
        ElementException e = assertThrows(ElementException.class,
                () -> client.withRetry(new RetryPolicy(1, Duration.ZERO, Duration.ZERO)).call("12.3", "GetClusterInfo", params()));
        assertEquals("xNotReadyForIO", e.name());
        assertEquals(7, sim.faults().calls("GetClusterInfo"));
    }

    @Test
    void nonTransientErrorsAreNotRetried() {
        sim.faults().failNext("GetClusterInfo", 1, "xInvalidParameter", "injected");
        assertEquals("xInvalidParameter", assertThrows(ElementException.class,
                () -> client.call("12.3", "GetClusterInfo", params())).name());
        assertEquals(1, sim.faults().calls("GetClusterInfo"));
    }

    @Test
    void lostAnswersAreRetriedOnlyWhenRepeatingIsSafe() {
        sim.faults().dropResponse("GetClusterInfo", 1);
        assertEquals(sim.uniqueId(), client.call("12.3", "GetClusterInfo", params()).at("/clusterInfo/uniqueID").asText());
        assertEquals(2, sim.faults().calls("GetClusterInfo"));

        long account = client.call("12.3", "AddAccount", params().put("username", "t1")).path("accountID").asLong();
        sim.faults().dropResponse("CreateVolume", 1);
        ObjectNode p = params().put("name", "v1").put("accountID", account).put("totalSize", 1_000_000_000L);
        ElementTransportException e = assertThrows(ElementTransportException.class, () -> client.call("12.3", "CreateVolume", p));
        assertEquals(ElementTransportException.Kind.NO_RESPONSE, e.kind());
        assertTrue(e.ambiguous());
        assertTrue(e.getMessage().startsWith("CreateVolume to " + Sims.mvip(sim) + ": the connection closed without an answer"),
                e.getMessage());
        assertEquals(1, sim.faults().calls("CreateVolume"), "not repeated");
        assertEquals(1, sim.volumes().size(), "the create was applied");
    }

    @Test
    void slowAnswersTimeOut() {
        ElementClient impatient = Sims.client(Sims.mvip(sim), Sims.PASSWORD, Sims.pinned(sim.certificateSha256()),
                RetryPolicy.NONE, Duration.ofMillis(1000));
        // connected and pooled; on a busy machine the TLS handshake alone can take longer than the timeout, so retry
        ElementApi.currentVersion(impatient.withRetry(new RetryPolicy(10, Duration.ZERO, Duration.ZERO)));
        sim.faults().latency("GetClusterInfo", 2500);
        ElementTransportException e = assertThrows(ElementTransportException.class,
                () -> impatient.call("12.3", "GetClusterInfo", params()));
        assertEquals(ElementTransportException.Kind.TIMEOUT, e.kind(), e.getMessage() + " / " + e.getCause());
        assertEquals("GetClusterInfo to " + Sims.mvip(sim) + ": no answer within 1000 ms", e.getMessage());
    }

    @Test
    void unreachableClusterIsRetried() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<Duration> waits = new ArrayList<>();
        ElementClient nowhere = Sims.client("127.0.0.1:" + port, Sims.PASSWORD, Sims.pinned(sim.certificateSha256()),
                new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(10)), Duration.ofSeconds(2)).withSleeper(waits::add);
        ElementTransportException e = assertThrows(ElementTransportException.class,
                () -> nowhere.call("12.3", "GetClusterInfo", params()));
        assertEquals(ElementTransportException.Kind.UNREACHABLE, e.kind());
        assertTrue(e.getMessage().startsWith("cannot connect to 127.0.0.1:" + port), e.getMessage());
        assertEquals(2, waits.size());
    }

    @Test
    void secretsSentAreMaskedInErrors() {
        sim.faults().failNext("AddAccount", 1, "xInvalidParameter", "initiatorSecret Init-Secret-42 is weak");
        ElementApi api = new ElementApi(client, new ApiVersion(12, 3));
        ElementException e = assertThrows(ElementException.class, () -> api.addAccount("t2", Secret.of("Init-Secret-42"),
                Secret.of("Targ-Secret-42"), Map.of()));
        assertEquals("AddAccount failed: xInvalidParameter: initiatorSecret *** is weak", e.getMessage());
    }

    @Test
    void backoffDoublesUpToTheCap() {
        RetryPolicy p = new RetryPolicy(5, Duration.ofMillis(500), Duration.ofSeconds(3));
        assertEquals(List.of(500L, 1000L, 2000L, 3000L, 3000L),
                List.of(p.delay(0), p.delay(1), p.delay(2), p.delay(3), p.delay(4)).stream().map(Duration::toMillis).toList());
        assertTrue(ElementClient.retryable("CreateVolume",
                new ElementTransportException("CreateVolume", ElementTransportException.Kind.UNREACHABLE, "x", null)));
        assertFalse(ElementClient.retryable("CreateVolume",
                new ElementTransportException("CreateVolume", ElementTransportException.Kind.TIMEOUT, "x", null)));
        assertTrue(ElementClient.retryable("DeleteVolume",
                new ElementTransportException("DeleteVolume", ElementTransportException.Kind.TIMEOUT, "x", null)));
    }
}
