package org.spindle.xen.simulator;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * XenAPI's JSON-RPC on {@code POST /jsonrpc} (wire reference §2.1), versions 1.0 and 2.0: the same methods and
 * checks as XML-RPC; ints are JSON numbers here. A failure is {@code "error":{"code":1,"message":CODE,"data":[params]}}
 * in 2.0 and {@code "error":[CODE,params…],"result":null} in 1.0.
 */
final class JsonRpc {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private JsonRpc() {
    }

    /** A parsed request: method, params in the simulator's value model, id, and whether it is 2.0. */
    record Request(String method, List<Object> params, JsonNode id, boolean v2) {
    }

    static Request parse(byte[] body) throws XmlRpc.Malformed {
        JsonNode n;
        try {
            n = JSON.readTree(body);
        } catch (IOException e) {
            throw new XmlRpc.Malformed("not JSON: " + e.getMessage());
        }
        if (n == null || !n.isObject() || !n.path("method").isTextual()) {
            throw new XmlRpc.Malformed("a JSON-RPC request needs a method");
        }
        List<Object> params = new ArrayList<>();
        if (n.has("params")) {
            if (!n.get("params").isArray()) {
                throw new XmlRpc.Malformed("params must be an array");
            }
            n.get("params").forEach(p -> params.add(value(p)));
        }
        return new Request(n.get("method").asText(), params, n.get("id"), "2.0".equals(n.path("jsonrpc").asText()));
    }

    private static Object value(JsonNode n) {
        if (n.isTextual()) {
            return n.asText();
        }
        if (n.isIntegralNumber()) {
            return n.asLong();
        }
        if (n.isBoolean()) {
            return n.asBoolean();
        }
        if (n.isNumber()) {
            return n.asDouble();
        }
        if (n.isArray()) {
            List<Object> out = new ArrayList<>();
            n.forEach(e -> out.add(value(e)));
            return out;
        }
        if (n.isObject()) {
            Map<String, Object> out = new LinkedHashMap<>();
            n.fields().forEachRemaining(e -> out.put(e.getKey(), value(e.getValue())));
            return out;
        }
        return null;
    }

    static String success(Request r, Object value) {
        ObjectNode o = F.objectNode();
        if (r.v2()) {
            o.put("jsonrpc", "2.0");
        }
        o.set("result", encode(value == null ? "" : value));
        if (!r.v2()) {
            o.putNull("error");
        }
        o.set("id", r.id());
        return o.toString();
    }

    static String failure(Request r, List<String> description) {
        ObjectNode o = F.objectNode();
        if (r.v2()) {
            o.put("jsonrpc", "2.0");
            ObjectNode e = o.putObject("error");
            e.put("code", 1);
            e.put("message", description.get(0));
            ArrayNode data = e.putArray("data");
            description.subList(1, description.size()).forEach(data::add);
        } else {
            o.putNull("result");
            ArrayNode e = o.putArray("error");
            description.forEach(e::add);
        }
        o.set("id", r.id());
        return o.toString();
    }

    private static JsonNode encode(Object v) {
        if (v instanceof String s) {
            return F.textNode(s);
        }
        if (v instanceof Long || v instanceof Integer) {
            return F.numberNode(((Number) v).longValue());
        }
        if (v instanceof Boolean b) {
            return F.booleanNode(b);
        }
        if (v instanceof Double d) {
            return F.numberNode(d);
        }
        if (v instanceof Instant t) {
            return F.textNode(DATE.format(t));
        }
        if (v instanceof Map<?, ?> m) {
            ObjectNode o = F.objectNode();
            m.forEach((k, x) -> o.set(String.valueOf(k), encode(x)));
            return o;
        }
        if (v instanceof Collection<?> c) {
            ArrayNode a = F.arrayNode();
            c.forEach(x -> a.add(encode(x)));
            return a;
        }
        if (v == null) {
            return F.textNode("");
        }
        throw new IllegalArgumentException("cannot encode " + v.getClass());
    }
}
