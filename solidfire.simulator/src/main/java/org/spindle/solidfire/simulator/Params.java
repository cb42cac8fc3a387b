package org.spindle.solidfire.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Typed access to a request's {@code params} object; errors name the offending member. */
final class Params {
    private final ObjectNode node;

    Params(JsonNode params) {
        if (params == null || params.isNull() || params.isMissingNode()) {
            this.node = JsonNodeFactory.instance.objectNode();
        } else if (params.isObject()) {
            this.node = (ObjectNode) params;
        } else {
            throw ElementException.invalid("Invalid type for member=[params]: expected an object");
        }
    }

    boolean has(String name) {
        JsonNode n = node.get(name);
        return n != null && !n.isNull();
    }

    private JsonNode get(String name) {
        JsonNode n = node.get(name);
        return n == null || n.isNull() ? null : n;
    }

    long reqLong(String name) {
        return optLong(name).orElseThrow(() -> ElementException.missing(name));
    }

    Optional<Long> optLong(String name) {
        JsonNode n = get(name);
        if (n == null) {
            return Optional.empty();
        }
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            return Optional.of(n.asLong());
        }
        if (n.isFloatingPointNumber() && n.asDouble() == Math.rint(n.asDouble())) {
            return Optional.of((long) n.asDouble());
        }
        throw ElementException.invalid("Invalid type for member=[" + name + "]: expected an integer, got " + n.getNodeType().name().toLowerCase());
    }

    String reqString(String name) {
        return optString(name).orElseThrow(() -> ElementException.missing(name));
    }

    Optional<String> optString(String name) {
        JsonNode n = get(name);
        if (n == null) {
            return Optional.empty();
        }
        if (!n.isTextual()) {
            throw ElementException.invalid("Invalid type for member=[" + name + "]: expected a string, got " + n.getNodeType().name().toLowerCase());
        }
        return Optional.of(n.asText());
    }

    Optional<Boolean> optBool(String name) {
        JsonNode n = get(name);
        if (n == null) {
            return Optional.empty();
        }
        if (!n.isBoolean()) {
            throw ElementException.invalid("Invalid type for member=[" + name + "]: expected a boolean, got " + n.getNodeType().name().toLowerCase());
        }
        return Optional.of(n.asBoolean());
    }

    Optional<ObjectNode> optObject(String name) {
        JsonNode n = get(name);
        if (n == null) {
            return Optional.empty();
        }
        if (!n.isObject()) {
            throw ElementException.invalid("Invalid type for member=[" + name + "]: expected an object, got " + n.getNodeType().name().toLowerCase());
        }
        return Optional.of((ObjectNode) n);
    }

    Optional<List<Long>> optLongList(String name) {
        JsonNode n = get(name);
        if (n == null) {
            return Optional.empty();
        }
        if (!n.isArray()) {
            throw ElementException.invalid("Invalid type for member=[" + name + "]: expected an array of integers");
        }
        List<Long> out = new ArrayList<>();
        for (JsonNode e : n) {
            if (!e.isIntegralNumber() || !e.canConvertToLong()) {
                throw ElementException.invalid("Invalid type for member=[" + name + "]: expected an array of integers");
            }
            out.add(e.asLong());
        }
        return Optional.of(out);
    }

    List<Long> reqLongList(String name) {
        return optLongList(name).orElseThrow(() -> ElementException.missing(name));
    }

    Optional<List<String>> optStringList(String name) {
        JsonNode n = get(name);
        if (n == null) {
            return Optional.empty();
        }
        if (!n.isArray()) {
            throw ElementException.invalid("Invalid type for member=[" + name + "]: expected an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : n) {
            if (!e.isTextual()) {
                throw ElementException.invalid("Invalid type for member=[" + name + "]: expected an array of strings");
            }
            out.add(e.asText());
        }
        return Optional.of(out);
    }

    List<String> reqStringList(String name) {
        return optStringList(name).orElseThrow(() -> ElementException.missing(name));
    }
}
