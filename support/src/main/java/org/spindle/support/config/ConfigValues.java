package org.spindle.support.config;

import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The raw configuration values, checked against the types of the component's configuration annotation before
 * Declarative Services converts them. DS would otherwise throw an exception naming no key when a number does not
 * parse, truncate a Long that does not fit an int ({@code 4294967297} becomes 1), read {@code yes} as false and take
 * the first of a list. Here every value must have its declared type (a String that parses to it is fine, as a
 * {@code .cfg} file gives Strings), one value for a scalar key, at most {@value #MAX_LIST} values for a list, text of
 * at most {@value #MAX_TEXT} characters (multi-line keys {@value #MAX_MULTI_LINE}) and no control or format character
 * (ANSI escapes, NUL, bidi overrides; multi-line keys may hold line breaks and tabs). The message of a refusal names
 * the key and what is allowed, quotes at most 40 characters of the value, control characters escaped, and never
 * quotes the value of a private key (leading dot).
 */
public final class ConfigValues {
    public static final int MAX_TEXT = 1024;
    public static final int MAX_MULTI_LINE = 64 * 1024;
    public static final int MAX_LIST = 256;
    private static final int QUOTE = 40;

    /** A refused value: the key, and what is wrong with it ({@link #message()} starts with the key). */
    public record Problem(String key, String what) {
        public String message() {
            return key + ": " + what;
        }
    }

    private ConfigValues() {
    }

    /** DS's mapping of an annotation member to its property name: {@code _password} → {@code .password}, {@code a__b} → {@code a_b}. */
    public static String key(String member) {
        return member.replace("__", "\0").replace('_', '.').replace('\0', '_');
    }

    /** The first value of {@code properties} that does not fit its member of {@code ocd}; {@code multiLine} keys may hold line breaks. */
    public static Optional<Problem> check(Class<?> ocd, Map<String, ?> properties, Set<String> multiLine) {
        Method[] members = ocd.getDeclaredMethods();
        java.util.Arrays.sort(members, java.util.Comparator.comparing(Method::getName));
        for (Method m : members) {
            String key = key(m.getName());
            Object raw = properties.get(key);
            if (raw == null) {
                continue;
            }
            String why = why(m.getReturnType(), raw, multiLine.contains(key));
            if (why != null) {
                boolean secret = key.startsWith(".");
                return Optional.of(new Problem(key, why + (secret ? "" : " (was " + describe(raw) + ")")));
            }
        }
        return Optional.empty();
    }

    private static String why(Class<?> type, Object raw, boolean multiLine) {
        if (type.isArray()) {
            List<Object> values = values(raw);
            if (values.size() > MAX_LIST) {
                return "must be at most " + MAX_LIST + " values, not " + values.size();
            }
            for (Object v : values) {
                String why = why(type.getComponentType(), v, multiLine);
                if (why != null) {
                    return why;
                }
            }
            return null;
        }
        List<Object> values = values(raw);
        if (values.size() != 1) {
            return "must be one value, not a list of " + values.size();
        }
        Object v = values.get(0);
        if (type == String.class) {
            return text(v, multiLine);
        }
        if (type == long.class || type == int.class) {
            return whole(v, type == long.class ? Long.MIN_VALUE : Integer.MIN_VALUE,
                    type == long.class ? Long.MAX_VALUE : Integer.MAX_VALUE);
        }
        if (type == double.class) {
            return decimal(v);
        }
        if (type == boolean.class) {
            return v instanceof Boolean || v instanceof String s && (s.strip().equalsIgnoreCase("true")
                    || s.strip().equalsIgnoreCase("false")) ? null : "must be true or false";
        }
        return null;
    }

    private static String text(Object v, boolean multiLine) {
        if (!(v instanceof String || v instanceof Number || v instanceof Boolean || v instanceof Character)) {
            return "must be text";
        }
        String s = String.valueOf(v);
        int max = multiLine ? MAX_MULTI_LINE : MAX_TEXT;
        if (s.length() > max) {
            return "must be at most " + max + " characters, not " + s.length();
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean lineBreak = c == '\n' || c == '\r' || c == '\t';
            if ((Character.isISOControl(c) && !(multiLine && lineBreak)) || Character.getType(c) == Character.FORMAT) {
                return "must not contain control characters (" + String.format("\\u%04x", (int) c) + " at " + i + ")";
            }
        }
        return null;
    }

    private static String whole(Object v, long min, long max) {
        String range = "must be a whole number from " + min + " to " + max;
        long n;
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            n = ((Number) v).longValue();
        } else if (v instanceof String s) {
            try {
                n = Long.parseLong(s.strip());
            } catch (NumberFormatException e) {
                return s.strip().matches("[-+]?[0-9]+") ? range : "must be a whole number";
            }
        } else if (v instanceof java.math.BigInteger big) {
            return big.bitLength() < 64 && big.longValue() >= min && big.longValue() <= max ? null : range;
        } else {
            return "must be a whole number"; // a fraction, or not a number at all: DS would cut it or fail unnamed
        }
        return n < min || n > max ? range : null;
    }

    private static String decimal(Object v) {
        double d;
        if (v instanceof Number n) {
            d = n.doubleValue();
        } else if (v instanceof String s && s.strip().matches("[-+]?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?")) {
            d = Double.parseDouble(s.strip());
        } else {
            return "must be a number such as 1.5";
        }
        return Double.isFinite(d) ? null : "must be a finite number";
    }

    private static List<Object> values(Object raw) {
        List<Object> out = new ArrayList<>();
        if (raw.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(raw); i++) {
                out.add(Array.get(raw, i));
            }
        } else if (raw instanceof Collection<?> c) {
            out.addAll(c);
        } else {
            out.add(raw);
        }
        out.replaceAll(o -> o == null ? "" : o);
        return out;
    }

    /** The value for a message: its type when not a String, at most 40 characters, control characters escaped. */
    public static String describe(Object raw) {
        if (raw.getClass().isArray() || raw instanceof Collection) {
            return "a list of " + values(raw).size();
        }
        String s = String.valueOf(raw);
        StringBuilder b = new StringBuilder(raw instanceof String ? "'" : "a " + raw.getClass().getSimpleName() + " '");
        for (int i = 0; i < Math.min(s.length(), QUOTE); i++) {
            char c = s.charAt(i);
            b.append(Character.isISOControl(c) || Character.getType(c) == Character.FORMAT ? String.format("\\u%04x", (int) c) : c);
        }
        b.append('\'');
        if (s.length() > QUOTE) {
            b.append("… (").append(s.length()).append(" characters)");
        }
        return b.toString();
    }
}
