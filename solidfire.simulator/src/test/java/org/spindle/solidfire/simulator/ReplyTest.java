package org.spindle.solidfire.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Replaced replies: sent as given, applied or not as asked, consumed one per call; an endless one ends when the client hangs up. */
class ReplyTest {
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

    String envelope(String method, String params) {
        return "{\"method\":\"" + method + "\",\"params\":" + params + ",\"id\":1}";
    }

    @Test
    void aReplacedReplyIsSentAndTheCallNotApplied() {
        sim.faults().replaceReply("AddAccount", 1, Reply.of(200, "text/html", "<html>gateway</html>"));
        HttpResponse<String> r = rpc.post(sim.endpoint("12.3"), sim.basicAuthorization(), envelope("AddAccount",
                "{\"username\":\"a\"}"));
        assertEquals(200, r.statusCode());
        assertEquals("text/html", r.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("<html>gateway</html>", r.body());
        assertTrue(sim.accounts().isEmpty(), "not applied");
        assertEquals(1, sim.faults().calls("AddAccount"), "counted");
        assertEquals(Map.of(), sim.faults().armed().get("replies"), "consumed");
        rpc.addAccount("a");
        assertEquals(1, sim.accounts().size(), "the next call is Element's");
    }

    @Test
    void afterApplyingTheChangeHappens() {
        sim.faults().replaceReplyAfterApplying("AddAccount", 1, Reply.repeated(500, "application/json", "{\"x\":\"", "y", 100_000,
                "\"}"));
        HttpResponse<String> r = rpc.post(sim.endpoint("12.3"), sim.basicAuthorization(), envelope("AddAccount",
                "{\"username\":\"b\"}"));
        assertEquals(500, r.statusCode());
        assertEquals(100_000 + 8, r.body().length());
        assertEquals("b", sim.accounts().get(0).username());
    }

    @Test
    void anEndlessReplyEndsWhenTheClientHangsUp() throws Exception {
        sim.faults().replaceReply("GetClusterInfo", 1, Reply.endless(200, "application/json", "[", "0,"));
        HttpRequest request = HttpRequest.newBuilder(sim.endpoint("12.3")).timeout(Duration.ofSeconds(20))
                .header("Authorization", sim.basicAuthorization())
                .POST(HttpRequest.BodyPublishers.ofString(envelope("GetClusterInfo", "{}"))).build();
        HttpResponse<InputStream> r = rpc.http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
            assertEquals(1 << 20, in.readNBytes(1 << 20).length, "1 MiB and more");
        }
        assertEquals(sim.uniqueId(), rpc.call("GetClusterInfo").at("/clusterInfo/uniqueID").asText(), "the server serves on");
    }
}
