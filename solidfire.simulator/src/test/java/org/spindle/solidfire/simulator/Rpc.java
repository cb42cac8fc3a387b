package org.spindle.solidfire.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** A tiny JSON-RPC client for the tests: pins the simulator's certificate, no trust-all. */
final class Rpc {
    static final ObjectMapper JSON = new ObjectMapper();
    final ElementSimulator sim;
    final HttpClient http;
    String version = "12.3";
    private long nextId = 1;

    Rpc(ElementSimulator sim) {
        this.sim = sim;
        this.http = HttpClient.newBuilder()
                .sslContext(Certificates.trusting(sim.certificatePem()))
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    Rpc version(String v) {
        Rpc r = new Rpc(sim, http);
        r.version = v;
        return r;
    }

    private Rpc(ElementSimulator sim, HttpClient http) {
        this.sim = sim;
        this.http = http;
    }

    record Error(String name, String message, int code) {
    }

    HttpResponse<String> post(URI uri, String authorization, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sends a raw body to the given version's endpoint with the admin credentials; returns the parsed envelope. */
    JsonNode raw(String body) {
        HttpResponse<String> r = post(sim.endpoint(version), sim.basicAuthorization(), body);
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON (HTTP " + r.statusCode() + "): " + r.body(), e);
        }
    }

    JsonNode envelope(String method, Object params) {
        ObjectNode req = JSON.createObjectNode();
        req.put("method", method);
        req.put("id", nextId++);
        req.set("params", params == null ? JSON.createObjectNode() : JSON.valueToTree(params));
        JsonNode resp = raw(req.toString());
        assertEquals(req.get("id").asLong(), resp.get("id").asLong(), "id echoed");
        assertTrue(resp.get("id").isIntegralNumber(), "id is a number");
        return resp;
    }

    /** Calls a method and returns its result; fails the test on an error envelope. */
    JsonNode call(String method, Object params) {
        JsonNode resp = envelope(method, params);
        if (resp.has("error")) {
            fail(method + " failed: " + resp.get("error"));
        }
        assertNotNull(resp.get("result"), "result of " + method);
        return resp.get("result");
    }

    JsonNode call(String method) {
        return call(method, Map.of());
    }

    /** Calls a method that must fail with {@code expectedName}; returns the error. */
    Error error(String method, Object params, String expectedName) {
        JsonNode resp = envelope(method, params);
        JsonNode err = resp.get("error");
        if (err == null) {
            fail(method + " should have failed with " + expectedName + " but returned " + resp.get("result"));
        }
        assertEquals(500, err.get("code").asInt(), "error code");
        assertEquals(expectedName, err.get("name").asText(), "error name; message: " + err.get("message"));
        assertTrue(err.get("message").isTextual());
        return new Error(err.get("name").asText(), err.get("message").asText(), err.get("code").asInt());
    }

    // ---- shortcuts

    long addAccount(String username) {
        return call("AddAccount", Map.of("username", username)).get("accountID").asLong();
    }

    long createVolume(String name, long accountId, long size) {
        return call("CreateVolume", Map.of("name", name, "accountID", accountId, "totalSize", size, "enable512e", true))
                .get("volumeID").asLong();
    }

    static ObjectNode obj(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
