package org.spindle.solidfire.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Transport, envelope, auth, versions, ids, parameter errors, TLS pinning. */
class ProtocolTest {
    static ElementSimulator sim;
    static Rpc rpc;

    @BeforeAll
    static void start() throws IOException {
        sim = ElementSimulator.builder().tgt(ElementSimulator.TgtMode.OFF).uniqueId("prot")
                .credentials("clusteradmin", "s3cret-pw").start();
        rpc = new Rpc(sim);
    }

    @AfterAll
    static void stop() {
        sim.stop();
    }

    @Test
    void wrongCredentialsGet401WithNonJsonBody() {
        long before = sim.faults().calls("ListAccounts");
        for (String auth : new String[] {null, "Basic " + Base64.getEncoder().encodeToString("clusteradmin:wrong".getBytes(StandardCharsets.UTF_8)),
                "Bearer abc"}) {
            HttpResponse<String> r = rpc.post(sim.endpoint("8.0"), auth, "{\"method\":\"ListAccounts\",\"id\":1}");
            assertEquals(401, r.statusCode());
            assertTrue(r.body().contains("401 Unauthorized."), r.body());
            assertFalse(r.body().trim().startsWith("{"));
        }
        assertEquals(before, sim.faults().calls("ListAccounts"), "rejected requests are not Element calls");
    }

    @Test
    void getApiOnBothPathForms() {
        for (String path : List.of("/json-rpc/7.0", "/json-rpc/7.0/", "/json-rpc/1.0", "/json-rpc/12.3/")) {
            HttpResponse<String> r = rpc.post(URI.create(sim.url() + path), sim.basicAuthorization(), "{\"method\":\"GetAPI\",\"params\":{},\"id\":7}");
            assertEquals(200, r.statusCode(), path);
            JsonNode env = read(r.body());
            assertEquals(7, env.get("id").asInt());
            assertEquals("12.3", env.at("/result/currentVersion").asText());
            assertTrue(env.at("/result/supportedVersions").toString().contains("\"8.0\""));
        }
        assertEquals("application/json",
                rpc.post(sim.endpoint("8.0"), sim.basicAuthorization(), "{\"method\":\"GetAPI\"}").headers().firstValue("Content-Type").orElse(""));
    }

    @Test
    void requestIdIsEchoed() {
        assertEquals(42, rpc.raw("{\"method\":\"GetAPI\",\"id\":42}").get("id").asInt());
        JsonNode s = rpc.raw("{\"method\":\"GetAPI\",\"id\":\"abc-1\"}").get("id");
        assertTrue(s.isTextual());
        assertEquals("abc-1", s.asText());
        JsonNode nul = rpc.raw("{\"method\":\"GetAPI\",\"id\":null}");
        assertTrue(nul.has("id") && nul.get("id").isNull());
        JsonNode absent = rpc.raw("{\"method\":\"GetAPI\",\"params\":{}}"); // Cinder sends no id
        assertTrue(absent.has("id") && absent.get("id").isNull());
        assertTrue(absent.has("result"));
        JsonNode errWithId = rpc.raw("{\"method\":\"NoSuchMethod\",\"id\":99}");
        assertEquals(99, errWithId.get("id").asInt());
        assertEquals("xUnknownAPIMethod", errWithId.at("/error/name").asText());
    }

    @Test
    void unknownMethod() {
        Rpc.Error e = rpc.error("FrobnicateVolume", Map.of(), "xUnknownAPIMethod");
        assertTrue(e.message().contains("FrobnicateVolume"));
    }

    @Test
    void methodNewerThanTheEndpointVersion() {
        Rpc.Error e = rpc.version("7.0").error("ListVolumes", Map.of(), "xUnknownAPIMethod");
        assertTrue(e.message().contains("ListVolumes") && e.message().contains("8.0"), e.message());
        rpc.version("8.0").call("ListVolumes");
        rpc.version("4.0").error("ListVolumeAccessGroups", Map.of(), "xUnknownAPIMethod");
        rpc.version("5.0").call("ListVolumeAccessGroups");
    }

    @Test
    void unknownVersion() {
        for (String v : List.of("13.0", "0.9", "abc", "99")) {
            HttpResponse<String> r = rpc.post(URI.create(sim.url() + "/json-rpc/" + v), sim.basicAuthorization(), "{\"method\":\"GetAPI\",\"id\":3}");
            assertEquals(404, r.statusCode(), v);
            JsonNode env = read(r.body());
            assertEquals("xUnknownAPIVersion", env.at("/error/name").asText(), v);
            assertEquals(3, env.get("id").asInt());
        }
    }

    @Test
    void malformedRequests() {
        assertEquals("xUnknownRPCMethod", rpc.raw("{not json").at("/error/name").asText());
        assertEquals("xUnknownRPCMethod", rpc.raw("[1,2]").at("/error/name").asText());
        assertEquals("xUnknownRPCMethod", rpc.raw("{\"params\":{},\"id\":5}").at("/error/name").asText());
        assertEquals(5, rpc.raw("{\"params\":{},\"id\":5}").get("id").asInt());
        assertEquals("xUnknownRPCMethod", rpc.raw("{\"method\":17}").at("/error/name").asText());
        assertEquals("xInvalidParameter", rpc.raw("{\"method\":\"ListAccounts\",\"params\":[1]}").at("/error/name").asText());
        HttpResponse<String> other = rpc.post(URI.create(sim.url() + "/nope"), sim.basicAuthorization(), "{}");
        assertEquals(404, other.statusCode());
    }

    @Test
    void missingAndMistypedParametersNameTheMember() {
        Rpc.Error missing = rpc.error("GetAccountByName", Map.of(), "xMissingParameter");
        assertTrue(missing.message().contains("username"), missing.message());
        Rpc.Error missing2 = rpc.error("CreateVolume", Map.of("name", "v", "accountID", 1), "xMissingParameter");
        assertTrue(missing2.message().contains("totalSize"), missing2.message());
        Rpc.Error wrongType = rpc.error("GetAccountByID", Map.of("accountID", "one"), "xInvalidParameter");
        assertTrue(wrongType.message().contains("accountID"), wrongType.message());
        Rpc.Error wrongType2 = rpc.error("GetVolumeStats", Map.of("volumeID", true), "xInvalidParameter");
        assertTrue(wrongType2.message().contains("volumeID"), wrongType2.message());
        Rpc.Error wrongList = rpc.error("ListVolumes", Map.of("volumeIDs", List.of("a")), "xInvalidParameter");
        assertTrue(wrongList.message().contains("volumeIDs"), wrongList.message());
    }

    @Test
    void certificateIsPinnedAndFingerprintMatches() throws Exception {
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(sim.certificate().getEncoded()));
        assertEquals(sha, sim.certificateSha256());
        assertEquals(64, sha.length());
        assertTrue(sim.certificatePem().startsWith("-----BEGIN CERTIFICATE-----"));
        assertEquals(sim.certificate(), Certificates.parsePem(sim.certificatePem()));
        // a client trusting another simulator's certificate must refuse this one
        try (ElementSimulator other = ElementSimulator.builder().tgt(ElementSimulator.TgtMode.OFF).start()) {
            HttpClient wrongTrust = HttpClient.newBuilder().sslContext(other.clientSslContext()).build();
            HttpRequest req = HttpRequest.newBuilder(sim.endpoint("8.0")).header("Authorization", sim.basicAuthorization())
                    .POST(HttpRequest.BodyPublishers.ofString("{\"method\":\"GetAPI\"}")).build();
            assertThrows(SSLHandshakeException.class, () -> wrongTrust.send(req, HttpResponse.BodyHandlers.ofString()));
            // and the JDK default trust store does not know it either
            HttpClient defaultTrust = HttpClient.newHttpClient();
            assertThrows(SSLHandshakeException.class, () -> defaultTrust.send(req, HttpResponse.BodyHandlers.ofString()));
            assertFalse(other.certificateSha256().equals(sim.certificateSha256()));
        }
    }

    @Test
    void inProcessInvoke() {
        JsonNode r = sim.invoke("GetClusterInfo", null, "8.0");
        assertEquals("prot", r.at("/clusterInfo/uniqueID").asText());
        ElementException e = assertThrows(ElementException.class, () -> sim.invoke("ListVolumes", null, "7.0"));
        assertEquals("xUnknownAPIMethod", e.name());
    }

    static JsonNode read(String body) {
        try {
            return Rpc.JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError(body, e);
        }
    }
}
