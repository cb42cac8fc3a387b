package org.spindle.solidfire.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The call counter ({@code sim.calls()}, {@code /sim/calls}) and the call latency setting ({@code callLatency},
 * {@code /sim/latency}, {@code --latency-ms}) that tests and benchmarks of other modules use. Latencies are
 * checked as lower bounds only (a wait is at least what was asked; how much longer depends on the machine).
 */
class CallsAndLatencyTest {
    @Test
    void countsPerMethodSnapshotsAndReset() throws IOException {
        try (ElementSimulator sim = ElementSimulator.builder().tgt(ElementSimulator.TgtMode.OFF).start()) {
            Rpc rpc = new Rpc(sim);
            CallCounter.Counts start = sim.calls().snapshot();
            assertEquals(CallCounter.Counts.NONE, start);
            rpc.call("GetClusterInfo");
            rpc.call("ListActiveVolumes");
            rpc.call("ListActiveVolumes");
            rpc.error("ModifyVolume", Map.of("volumeID", 42), "xVolumeIDDoesNotExist");
            sim.invoke("ListAccounts", Rpc.JSON.createObjectNode(), "8.0"); // in-process: not a wire call
            CallCounter.Counts after = sim.calls().snapshot();
            assertEquals(Map.of("GetClusterInfo", 1L, "ListActiveVolumes", 2L, "ModifyVolume", 1L), after.byMethod());
            assertEquals(4, after.total());
            assertEquals(2, sim.calls().count("ListActiveVolumes"));
            assertEquals(0, sim.calls().count("ListAccounts"));
            assertEquals(sim.calls().count("ListActiveVolumes"), sim.faults().calls("ListActiveVolumes"),
                    "the older Faults view reads the same counter");

            rpc.call("ListActiveVolumes");
            CallCounter.Counts delta = sim.calls().snapshot().minus(after);
            assertEquals(Map.of("ListActiveVolumes", 1L), delta.byMethod(), "minus gives only what happened since");
            assertEquals(1, delta.get("ListActiveVolumes"));
            assertEquals(0, delta.get("GetClusterInfo"));

            JsonNode http = admin(sim, rpc, "GET", "/sim/calls", null, 200);
            assertEquals(3, http.at("/calls/ListActiveVolumes").asLong());
            assertEquals(5, http.get("total").asLong());
            admin(sim, rpc, "DELETE", "/sim/calls", null, 200);
            assertEquals(0, sim.calls().total());
            rpc.call("GetAPI");
            sim.calls().reset();
            assertEquals(CallCounter.Counts.NONE, sim.calls().snapshot());
        }
    }

    @Test
    void everyCallTakesTheConfiguredLatency_aSettingThatOutlivesFaultsClear() throws IOException {
        try (ElementSimulator sim = ElementSimulator.builder().tgt(ElementSimulator.TgtMode.OFF)
                .callLatency(Duration.ofMillis(120)).start()) {
            Rpc rpc = new Rpc(sim);
            assertEquals(Duration.ofMillis(120), sim.callLatency());
            for (String method : new String[] {"GetAPI", "ListActiveVolumes", "NoSuchMethod"}) {
                long t0 = System.nanoTime();
                rpc.envelope(method, Map.of());
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertTrue(ms >= 120, method + " took " + ms + " ms");
            }
            sim.faults().clear();
            assertEquals(Duration.ofMillis(120), sim.callLatency(), "not a fault: clear() keeps it");
            sim.faults().latency("GetAPI", 100);
            long t0 = System.nanoTime();
            rpc.call("GetAPI");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms >= 220, "a fault latency adds to the setting: " + ms + " ms");

            assertEquals(120, admin(sim, rpc, "GET", "/sim/latency", null, 200).get("millis").asLong());
            assertEquals(7, admin(sim, rpc, "PUT", "/sim/latency", "{\"millis\":7}", 200).get("millis").asLong());
            assertEquals(Duration.ofMillis(7), sim.callLatency());
            admin(sim, rpc, "PUT", "/sim/latency", "{\"millis\":-1}", 400);
            admin(sim, rpc, "PUT", "/sim/latency", "{\"ms\":3}", 400);
            assertEquals(Duration.ofMillis(7), sim.callLatency(), "a refused request changes nothing");
            assertEquals(0, admin(sim, rpc, "DELETE", "/sim/latency", null, 200).get("millis").asLong());
            assertEquals(Duration.ZERO, sim.callLatency());
            sim.callLatency(Duration.ofMillis(60));
            t0 = System.nanoTime();
            rpc.call("GetClusterInfo");
            assertTrue((System.nanoTime() - t0) / 1_000_000 >= 60);
            assertThrows(IllegalArgumentException.class, () -> sim.callLatency(Duration.ofMillis(-1)));
        }
        assertThrows(IllegalArgumentException.class, () -> ElementSimulator.builder().callLatency(Duration.ofMillis(-5)));
    }

    private static JsonNode admin(ElementSimulator sim, Rpc rpc, String verb, String path, String body, int status) {
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create(sim.url() + path))
                    .header("Authorization", sim.basicAuthorization())
                    .method(verb, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                    .build();
            HttpResponse<String> r = rpc.http.send(req, HttpResponse.BodyHandlers.ofString());
            assertEquals(status, r.statusCode(), r.body());
            return Rpc.JSON.readTree(r.body());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
