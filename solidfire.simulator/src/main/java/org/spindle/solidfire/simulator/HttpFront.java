package org.spindle.solidfire.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The simulator's HTTP side: Basic auth, JSON-RPC on {@code /json-rpc/<version>} (counted, delayed by the call
 * latency and the faults, then handed to {@link ElementApi}), and the admin endpoints under {@code /sim/}.
 */
final class HttpFront {
    private static final System.Logger LOG = System.getLogger(HttpFront.class.getName());
    private static final Pattern RPC_PATH = Pattern.compile("/json-rpc/([^/]+)/?");

    private final ObjectMapper json;
    private final String authorization;
    private final BooleanSupplier running;
    private final Cluster cluster;
    private final ElementApi api;
    private final Exporter exporter;
    private final String svip;
    private final Faults faults;
    private final CallCounter calls;
    private final CallLatency latency;

    HttpFront(ObjectMapper json, String authorization, BooleanSupplier running, Cluster cluster, ElementApi api,
              Exporter exporter, String svip, Faults faults, CallCounter calls, CallLatency latency) {
        this.json = json;
        this.authorization = authorization;
        this.running = running;
        this.cluster = cluster;
        this.api = api;
        this.exporter = exporter;
        this.svip = svip;
        this.faults = faults;
        this.calls = calls;
        this.latency = latency;
    }

    void handle(HttpExchange ex) throws IOException {
        try {
            if (!running.getAsBoolean()) {
                return;
            }
            String path = ex.getRequestURI().getPath();
            if (!authorized(ex)) {
                byte[] body = "401 Unauthorized.\n".getBytes(StandardCharsets.US_ASCII);
                ex.getResponseHeaders().set("Content-Type", "text/plain; charset=us-ascii");
                ex.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"SolidFire\"");
                drain(ex);
                send(ex, 401, body);
                return;
            }
            Matcher m = RPC_PATH.matcher(path);
            if (m.matches()) {
                handleRpc(ex, m.group(1));
            } else if (path.startsWith("/sim/")) {
                handleAdmin(ex, path);
            } else {
                drain(ex);
                send(ex, 404, "404 Not Found.\n".getBytes(StandardCharsets.US_ASCII));
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.DEBUG, "request failed: {0}", e.toString());
            throw e;
        } finally {
            ex.close();
        }
    }

    private boolean authorized(HttpExchange ex) {
        String h = ex.getRequestHeaders().getFirst("Authorization");
        if (h == null || !h.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        byte[] expected = authorization.substring(6).getBytes(StandardCharsets.US_ASCII);
        byte[] got = h.substring(6).trim().getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, got);
    }

    private void handleRpc(HttpExchange ex, String versionText) throws IOException {
        byte[] body = drain(ex);
        JsonNode id = null;
        String method = null;
        ObjectNode response;
        int status = 200;
        boolean drop = false;
        Faults.Replaced replaced = null;
        JsonNode req = null;
        String parseError = null;
        try {
            req = json.readTree(body);
            if (req != null && req.isObject()) {
                id = req.get("id");
            }
        } catch (JsonProcessingException e) {
            parseError = e.getOriginalMessage();
        }
        try {
            double version = api.version(versionText);
            if (!"POST".equalsIgnoreCase(ex.getRequestMethod())) {
                throw new ElementException("xUnknownRPCMethod", "JSON-RPC calls must be POSTed, got " + ex.getRequestMethod());
            }
            if (parseError != null) {
                throw new ElementException("xUnknownRPCMethod", "The request is not valid JSON: " + parseError);
            }
            if (req == null || !req.isObject()) {
                throw new ElementException("xUnknownRPCMethod", "The request must be a JSON object with a method");
            }
            JsonNode mn = req.get("method");
            if (mn == null || !mn.isTextual()) {
                throw new ElementException("xUnknownRPCMethod", "The request has no method member (a string)");
            }
            method = mn.asText();
            calls.record(method);
            latency.await(Duration.ofMillis(faults.latencyFor(method)));
            Optional<ElementException> injected = faults.takeFailure(method);
            if (injected.isPresent()) {
                throw injected.get();
            }
            ElementApi.Method m = api.lookup(method, version, versionText);
            replaced = faults.takeReply(method).orElse(null);
            if (replaced != null && !replaced.applied()) {
                sendReplaced(ex, method, replaced.reply());
                return;
            }
            Params params = new Params(req.get("params"));
            ObjectNode result = m.handler().apply(params, version);
            drop = faults.takeDrop(method);
            response = json.createObjectNode();
            response.set("id", id);
            response.set("result", result);
        } catch (ElementException e) {
            if ("xUnknownAPIVersion".equals(e.name())) {
                status = 404;
            }
            response = error(id, e.code(), e.getMessage(), e.name());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "internal error in {0}: {1}", method, e.toString());
            response = error(id, 500, "Internal simulator error: " + e.getClass().getSimpleName(), "xInternalError");
        }
        if (drop) {
            // the change is applied; the client gets no response: close the connection without a status line
            LOG.log(Level.DEBUG, "dropping the response of {0}", method);
            return;
        }
        if (replaced != null) {
            sendReplaced(ex, method, replaced.reply());
            return;
        }
        if (!response.has("id")) {
            response.putNull("id");
        }
        ex.getResponseHeaders().set("Content-Type", "application/json");
        send(ex, status, json.writeValueAsBytes(response));
    }

    /** A test's replacement answer, streamed chunked until its end or until the client hangs up. */
    private static void sendReplaced(HttpExchange ex, String method, Reply reply) throws IOException {
        LOG.log(Level.DEBUG, "replacing the reply of {0}", method);
        ex.getResponseHeaders().set("Content-Type", reply.contentType());
        ex.sendResponseHeaders(reply.status(), reply.contentLength() > 0 ? reply.contentLength() : 0);
        try (OutputStream out = ex.getResponseBody(); InputStream in = reply.body().get()) {
            in.transferTo(out);
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "the client hung up on the replaced reply of {0}: {1}", method, e.toString());
        }
    }

    private ObjectNode error(JsonNode id, int code, String message, String name) {
        ObjectNode response = json.createObjectNode();
        response.set("id", id);
        ObjectNode err = response.putObject("error");
        err.put("code", code);
        err.put("message", message);
        err.put("name", name);
        return response;
    }

    private void handleAdmin(HttpExchange ex, String path) throws IOException {
        byte[] body = drain(ex);
        String verb = ex.getRequestMethod().toUpperCase(Locale.ROOT);
        ObjectNode out = json.createObjectNode();
        int status = 200;
        try {
            switch (path.replaceAll("/+$", "")) {
                case "/sim/calls" -> {
                    if (verb.equals("DELETE") || verb.equals("POST")) {
                        calls.reset();
                    }
                    CallCounter.Counts now = calls.snapshot();
                    out.set("calls", json.valueToTree(now.byMethod()));
                    out.put("total", now.total());
                }
                case "/sim/latency" -> {
                    if (verb.equals("PUT") || verb.equals("POST")) {
                        JsonNode l = json.readTree(body);
                        if (l == null || !l.path("millis").canConvertToLong() || l.path("millis").asLong() < 0) {
                            throw new IllegalArgumentException("expected {\"millis\": n} with n >= 0");
                        }
                        latency.set(Duration.ofMillis(l.path("millis").asLong()));
                    } else if (verb.equals("DELETE")) {
                        latency.set(Duration.ZERO);
                    }
                    out.put("millis", latency.get().toMillis());
                }
                case "/sim/faults" -> {
                    if (verb.equals("DELETE")) {
                        faults.clear();
                    } else if (verb.equals("POST")) {
                        applyFault(json.readTree(body));
                    }
                    out.setAll((ObjectNode) json.valueToTree(faults.armed()));
                }
                case "/sim/state" -> {
                    out.setAll(cluster.stateJson());
                    out.put("uniqueID", cluster.uniqueId);
                    out.put("tgt", exporter.active());
                    out.put("lun", exporter.lun());
                    out.put("svip", svip);
                }
                default -> status = 404;
            }
        } catch (IllegalArgumentException | NullPointerException | IOException e) {
            status = 400;
            out.removeAll();
            out.put("error", "bad request: " + e.getMessage());
        }
        if (status == 404) {
            out.put("error", "unknown path " + path + "; known: /sim/calls, /sim/latency, /sim/faults, /sim/state");
        }
        ex.getResponseHeaders().set("Content-Type", "application/json");
        send(ex, status, json.writeValueAsBytes(out));
    }

    /**
     * {@code {"action":"fail","method":"CreateVolume","count":1,"errorName":"xDBVersionMismatch","message":"…"}},
     * {@code {"action":"drop","method":"CreateVolume","count":1}}, {@code {"action":"latency","method":"*","millis":200}},
     * {@code {"action":"clear"}}.
     */
    private void applyFault(JsonNode f) {
        if (f == null || !f.isObject()) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        String action = text(f, "action");
        switch (action) {
            case "fail" -> faults.failNext(text(f, "method"), f.path("count").asInt(1),
                    f.hasNonNull("errorName") ? f.get("errorName").asText() : text(f, "name"),
                    f.hasNonNull("message") ? f.get("message").asText() : null);
            case "drop" -> faults.dropResponse(text(f, "method"), f.path("count").asInt(1));
            case "latency" -> faults.latency(text(f, "method"), f.path("millis").asLong(0));
            case "clear" -> faults.clear();
            default -> throw new IllegalArgumentException("unknown action " + action + " (fail, drop, latency, clear)");
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("missing string member " + field);
        }
        return v.asText();
    }

    private static byte[] drain(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            return in.readAllBytes();
        }
    }

    private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }
}
