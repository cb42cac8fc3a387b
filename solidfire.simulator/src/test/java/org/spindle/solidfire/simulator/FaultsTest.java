package org.spindle.solidfire.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FaultsTest {
    ElementSimulator sim;
    Rpc rpc;

    @BeforeEach
    void start() throws IOException {
        sim = ElementSimulator.builder().tgt(ElementSimulator.TgtMode.OFF).start();
        rpc = new Rpc(sim);
    }

    @AfterEach
    void stop() {
        sim.stop();
    }

    @Test
    void failNextCallsWithoutApplyingThem() {
        sim.faults().failNext("AddAccount", 2, "xDBVersionMismatch", "injected");
        Rpc.Error e = rpc.error("AddAccount", Map.of("username", "x"), "xDBVersionMismatch");
        assertEquals("injected", e.message());
        rpc.error("AddAccount", Map.of("username", "x"), "xDBVersionMismatch");
        assertTrue(sim.accounts().isEmpty(), "a failed call changes nothing");
        rpc.addAccount("x"); // third call goes through
        assertEquals(1, sim.accounts().size());
        sim.faults().failNext(Faults.ANY, "xNotReadyForIO");
        rpc.error("ListAccounts", Map.of(), "xNotReadyForIO");
        rpc.call("ListAccounts");
    }

    @Test
    void droppedResponseAppliesTheChangeButTheClientGetsNoAnswer() {
        long account = rpc.addAccount("lost");
        sim.faults().dropResponse("CreateVolume", 1);
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> rpc.call("CreateVolume", Map.of("name", "ghost", "accountID", account, "totalSize", 1_000_000_000L)));
        assertInstanceOf(IOException.class, e.getCause());
        assertEquals(1, sim.volumes().size(), "the volume exists although the client never heard of it");
        assertEquals("ghost", sim.volumes().get(0).name());
        // the next call is answered normally
        assertEquals(1, rpc.call("ListActiveVolumes").get("volumes").size());
    }

    @Test
    void latency() {
        // a sleep never ends early: the delayed call takes at least the latency; an undelayed one is a local round trip,
        // far under 2 s even on a machine loaded with builds (300 ms was close enough to be crossed there)
        sim.faults().latency("GetClusterInfo", 2_000);
        long t0 = System.nanoTime();
        rpc.call("GetClusterInfo");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= 2_000, "took " + ms + " ms");
        t0 = System.nanoTime();
        rpc.call("GetAPI");
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 2_000, "other methods are not delayed");
        sim.faults().latency("GetClusterInfo", 0);
        t0 = System.nanoTime();
        rpc.call("GetClusterInfo");
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 2_000, "a latency set to 0 delays no more");
    }

    @Test
    void callCounters() {
        rpc.call("GetClusterInfo");
        rpc.call("GetClusterInfo");
        rpc.error("GetAccountByName", Map.of("username", "nobody"), "xUnknownAccount");
        rpc.error("NoSuchThing", Map.of(), "xUnknownAPIMethod");
        assertEquals(2, sim.faults().calls("GetClusterInfo"));
        assertEquals(1, sim.faults().calls("GetAccountByName"), "failed calls count too");
        assertEquals(1, sim.faults().calls("NoSuchThing"));
        assertEquals(0, sim.faults().calls("CreateVolume"));
        assertEquals(4, sim.faults().totalCalls());
        JsonNode http = admin("GET", "/sim/calls", null);
        assertEquals(2, http.at("/calls/GetClusterInfo").asInt());
        assertEquals(4, http.get("total").asInt());
        admin("DELETE", "/sim/calls", null);
        assertEquals(0, sim.faults().totalCalls());
    }

    @Test
    void faultsOverHttp() {
        JsonNode armed = admin("POST", "/sim/faults", "{\"action\":\"fail\",\"method\":\"ListAccounts\",\"count\":1,\"errorName\":\"xDBOperationTimeout\",\"message\":\"slow db\"}");
        assertEquals("ListAccounts", armed.at("/failures/0/method").asText());
        Rpc.Error e = rpc.error("ListAccounts", Map.of(), "xDBOperationTimeout");
        assertEquals("slow db", e.message());
        rpc.call("ListAccounts");

        admin("POST", "/sim/faults", "{\"action\":\"drop\",\"method\":\"AddAccount\"}");
        assertThrows(UncheckedIOException.class, () -> rpc.call("AddAccount", Map.of("username", "dropped")));
        assertTrue(sim.account("dropped").isPresent());

        admin("POST", "/sim/faults", "{\"action\":\"latency\",\"method\":\"GetAPI\",\"millis\":250}");
        long t0 = System.nanoTime();
        rpc.call("GetAPI");
        assertTrue((System.nanoTime() - t0) / 1_000_000 >= 250);
        admin("POST", "/sim/faults", "{\"action\":\"clear\"}");
        assertEquals(0, sim.faults().latencyFor("GetAPI"));

        HttpResponse<String> bad = rpc.post(URI.create(sim.url() + "/sim/faults"), sim.basicAuthorization(), "{\"action\":\"explode\"}");
        assertEquals(400, bad.statusCode());
        HttpResponse<String> noAuth = rpc.post(URI.create(sim.url() + "/sim/faults"), null, "{\"action\":\"clear\"}");
        assertEquals(401, noAuth.statusCode());
        JsonNode state = admin("GET", "/sim/state", null);
        assertEquals(List.of("dropped"), List.of(state.at("/accounts/0/username").asText()));
    }

    private JsonNode admin(String verb, String path, String body) {
        try {
            var req = java.net.http.HttpRequest.newBuilder(URI.create(sim.url() + path))
                    .header("Authorization", sim.basicAuthorization())
                    .method(verb, body == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                            : java.net.http.HttpRequest.BodyPublishers.ofString(body)).build();
            HttpResponse<String> r = rpc.http.send(req, HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            return Rpc.JSON.readTree(r.body());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
