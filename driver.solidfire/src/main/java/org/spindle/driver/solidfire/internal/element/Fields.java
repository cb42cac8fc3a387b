package org.spindle.driver.solidfire.internal.element;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Strict reading of the members of an Element reply the driver uses: a member of the wrong type (a string where a
 * volumeID belongs, a fraction, a number beyond 64 bits, a negative size) is a {@link Malformed} naming its path in
 * the reply, never a silent 0 or an empty list. Members the driver does not read are not looked at.
 */
final class Fields {
    /** Longest value text quoted in a message. */
    private static final int QUOTE = 40;
    /**
     * Longest string member read (names ≤ 64, IQNs ≤ 223, usernames ≤ 64 in Element): these go into targets, log lines
     * and messages, so a longer one, or one with a control or format character, is a broken or hostile reply.
     */
    static final int MAX_TEXT = 1024;

    private Fields() {
    }

    /** A reply member that is missing or has the wrong type; the message names its path and what was expected. */
    static final class Malformed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Malformed(String path, String expected, JsonNode got) {
            super(path + ": expected " + expected + ", got " + describe(got), null, false, false);
        }

        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    /** A required whole number ≥ {@code min} that fits in 64 bits. */
    static long number(JsonNode parent, String name, String path, long min) {
        JsonNode n = parent.get(name);
        if (n == null || n.isNull()) {
            throw new Malformed(path + "." + name, wholeNumber(min), n);
        }
        return check(n, path + "." + name, min);
    }

    /** An optional whole number ≥ {@code min} (0 when it is missing or null). */
    static long optionalNumber(JsonNode parent, String name, String path, long min) {
        JsonNode n = parent.get(name);
        return n == null || n.isNull() ? 0 : check(n, path + "." + name, min);
    }

    private static long check(JsonNode n, String path, long min) {
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < min) {
            throw new Malformed(path, wholeNumber(min), n);
        }
        return n.asLong();
    }

    private static String wholeNumber(long min) {
        return min == 0 ? "a whole number >= 0" : min == 1 ? "a whole number >= 1" : "a whole number >= " + min;
    }

    /** A required string of at most {@value #MAX_TEXT} characters, without control or format characters. */
    static String text(JsonNode parent, String name, String path) {
        JsonNode n = parent.get(name);
        if (n == null || !n.isTextual()) {
            throw new Malformed(path + "." + name, "a string", n);
        }
        return clean(n, path + "." + name);
    }

    private static String clean(JsonNode n, String path) {
        String s = n.textValue();
        if (s.length() > MAX_TEXT) {
            throw new Malformed(path, "a string of at most " + MAX_TEXT + " characters", n);
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i)) || Character.getType(s.charAt(i)) == Character.FORMAT) {
                throw new Malformed(path, "a string without control characters", n);
            }
        }
        return s;
    }

    /** An optional string ({@code fallback} when missing or null). */
    static String optionalText(JsonNode parent, String name, String path, String fallback) {
        JsonNode n = parent.get(name);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isTextual()) {
            throw new Malformed(path + "." + name, "a string", n);
        }
        return clean(n, path + "." + name);
    }

    /** A required object member. */
    static JsonNode object(JsonNode parent, String name, String path) {
        JsonNode n = parent.get(name);
        if (n == null || !n.isObject()) {
            throw new Malformed(path + "." + name, "an object", n);
        }
        return n;
    }

    /** An optional object member (an empty object's {@code path} view when missing or null). */
    static JsonNode optionalObject(JsonNode parent, String name, String path) {
        JsonNode n = parent.get(name);
        if (n == null || n.isNull()) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
        if (!n.isObject()) {
            throw new Malformed(path + "." + name, "an object", n);
        }
        return n;
    }

    /** A required array of objects, each parsed with {@code parse(element, its path)}. */
    static <T> List<T> objects(JsonNode parent, String name, String path, BiFunction<JsonNode, String, T> parse) {
        JsonNode n = parent.get(name);
        if (n == null || !n.isArray()) {
            throw new Malformed(path + "." + name, "an array", n);
        }
        List<T> out = new ArrayList<>(n.size());
        for (int i = 0; i < n.size(); i++) {
            String at = path + "." + name + "[" + i + "]";
            if (!n.get(i).isObject()) {
                throw new Malformed(at, "an object", n.get(i));
            }
            out.add(parse.apply(n.get(i), at));
        }
        return out;
    }

    /** An optional array of whole numbers ≥ 1 (ids); empty when missing or null. */
    static List<Long> ids(JsonNode parent, String name, String path) {
        JsonNode n = parent.get(name);
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw new Malformed(path + "." + name, "an array of ids", n);
        }
        List<Long> out = new ArrayList<>(n.size());
        for (int i = 0; i < n.size(); i++) {
            out.add(check(n.get(i), path + "." + name + "[" + i + "]", 1));
        }
        return List.copyOf(out);
    }

    /** An optional array of strings; empty when missing or null. */
    static List<String> texts(JsonNode parent, String name, String path) {
        JsonNode n = parent.get(name);
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw new Malformed(path + "." + name, "an array of strings", n);
        }
        List<String> out = new ArrayList<>(n.size());
        for (int i = 0; i < n.size(); i++) {
            if (!n.get(i).isTextual()) {
                throw new Malformed(path + "." + name + "[" + i + "]", "a string", n.get(i));
            }
            out.add(clean(n.get(i), path + "." + name + "[" + i + "]"));
        }
        return List.copyOf(out);
    }

    /** What a node is, for a message: its type and at most {@value #QUOTE} characters of its value, one line. */
    static String describe(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "nothing";
        }
        if (n.isNull()) {
            return "null";
        }
        if (n.isObject()) {
            return "an object";
        }
        if (n.isArray()) {
            return "an array of " + n.size();
        }
        if (n.isTextual()) {
            return "a string " + quote(n.textValue());
        }
        String v = n.asText();
        return (n.isBoolean() ? "the boolean " : "the number ") + (v.length() > QUOTE ? v.substring(0, QUOTE) + "… ("
                + v.length() + " characters)" : v);
    }

    /** {@code s} quoted, cut at {@value #QUOTE} characters, control characters shown as {@code \\uXXXX}. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder("'");
        int n = Math.min(s.length(), QUOTE);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        b.append('\'');
        if (s.length() > QUOTE) {
            b.append("… (").append(s.length()).append(" characters)");
        }
        return b.toString();
    }
}
