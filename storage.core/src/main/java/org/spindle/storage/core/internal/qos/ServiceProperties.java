package org.spindle.storage.core.internal.qos;

import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/** Reads typed values from OSGi service properties; a malformed value fails naming its key. */
final class ServiceProperties {
    private ServiceProperties() {
    }

    /**
     * The members of a closed vocabulary, from a {@code String[]}, a {@code Collection} of strings, or a single
     * {@code String} (comma-separated, as configuration admin may deliver it). Missing means empty. A token
     * {@code parser} does not know is handed to {@code unknown} and left out: a newer service may declare
     * what this core does not know yet, and it must still run.
     *
     * @throws IllegalArgumentException naming the key when the value is not made of strings
     */
    static <E extends Enum<E>> Set<E> tokens(Map<String, Object> properties, String key, Class<E> type,
                                             Function<String, Optional<E>> parser, Consumer<String> unknown) {
        Set<E> result = EnumSet.noneOf(type);
        for (String token : strings(properties, key)) {
            Optional<E> known = parser.apply(token);
            if (known.isPresent()) {
                result.add(known.get());
            } else {
                unknown.accept(key + ": unknown value '" + token + "' ignored");
            }
        }
        return Set.copyOf(result);
    }

    private static List<String> strings(Map<String, Object> properties, String key) {
        Object value = properties.get(key);
        Collection<?> raw;
        if (value == null) {
            return List.of();
        } else if (value instanceof String s) {
            raw = s.isBlank() ? List.of() : Arrays.asList(s.split(","));
        } else if (value instanceof String[] a) {
            raw = Arrays.asList(a);
        } else if (value instanceof Collection<?> c) {
            raw = c;
        } else {
            throw new IllegalArgumentException(key + ": must be a String[], a collection of strings or a string (was "
                    + value.getClass().getSimpleName() + ")");
        }
        return raw.stream().map(o -> {
            if (!(o instanceof String s)) {
                throw new IllegalArgumentException(key + ": must contain only strings (was " + o + ")");
            }
            return s.trim();
        }).filter(s -> !s.isEmpty()).toList();
    }

    /** A non-negative whole number from a {@code Long}, {@code Integer}, {@code Short} or {@code String}; missing means 0. */
    static long count(Map<String, Object> properties, String key) {
        Object value = properties.get(key);
        long result;
        if (value == null) {
            return 0;
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short) {
            result = ((Number) value).longValue();
        } else if (value instanceof String s) {
            try {
                result = Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + ": must be a whole number (was \"" + s + "\")", e);
            }
        } else {
            throw new IllegalArgumentException(key + ": must be a Long, an Integer or a numeric string (was "
                    + value.getClass().getSimpleName() + " " + value + ")");
        }
        if (result < 0) {
            throw new IllegalArgumentException(key + ": must be 0 (unknown) or positive (was " + result + ")");
        }
        return result;
    }

    /** A {@code Boolean} or the string {@code true}/{@code false}; missing means {@code defaultValue}. */
    static boolean flag(Map<String, Object> properties, String key, boolean defaultValue) {
        Object value = properties.get(key);
        if (value == null) {
            return defaultValue;
        } else if (value instanceof Boolean b) {
            return b;
        } else if (value instanceof String s && (s.trim().equalsIgnoreCase("true") || s.trim().equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(s.trim());
        }
        throw new IllegalArgumentException(key + ": must be true or false (was " + value + ")");
    }
}
