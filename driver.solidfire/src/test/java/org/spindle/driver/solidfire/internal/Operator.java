package org.spindle.driver.solidfire.internal;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.spindle.solidfire.simulator.ElementSimulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Someone other than Spindle changing the cluster over its JSON-RPC wire, as the SolidFire UI or a script does:
 * its calls are ordinary Element calls (counted by the simulator), not in-process shortcuts.
 */
final class Operator {
    private final ElementSimulator sim;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    Operator(ElementSimulator sim) {
        this.sim = sim;
        this.http = HttpClient.newBuilder().sslContext(sim.clientSslContext()).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** {@code ModifyVolume {volumeID, qos}} at API 12.3; returns the result. */
    JsonNode modifyQos(String sanId, long min, long max, long burst) {
        ObjectNode p = json.createObjectNode().put("volumeID", Long.parseLong(sanId));
        p.putObject("qos").put("minIOPS", min).put("maxIOPS", max).put("burstIOPS", burst);
        return call("ModifyVolume", p);
    }

    JsonNode call(String method, ObjectNode params) {
        ObjectNode req = json.createObjectNode().put("method", method).put("id", 1);
        req.set("params", params);
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(sim.endpoint("12.3"))
                    .header("Authorization", sim.basicAuthorization()).timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString(req.toString())).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = json.readTree(r.body());
            if (body.has("error")) {
                throw new AssertionError(method + " failed: " + body.get("error"));
            }
            return body.get("result");
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
