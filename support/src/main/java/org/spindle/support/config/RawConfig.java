package org.spindle.support.config;

import java.util.Collection;
import java.util.Map;

import org.spindle.storage.api.StorageException;

/**
 * The configuration's properties as Config Admin gave them, checked for type before DS's converter sees them: the
 * converter would take the first element of an array where a text belongs, wrap a number too large for an
 * {@code int} ({@code 4294967356} becomes {@code 60}), or fail without naming the key. Each refusal is a
 * {@link StorageException#invalid} naming the key and what is allowed; a value is shown at most 60 characters
 * long with control characters escaped, and a secret's value never.
 */
public final class RawConfig {
    private static final int SHOWN = 60;

    private final Map<String, Object> raw;

    public RawConfig(Map<String, Object> raw) {
        this.raw = raw == null ? Map.of() : raw;
    }

    /**
     * {@code key}, when set, is one text value without control characters (checked before any trimming, which would
     * drop a NUL or an escape at either end unseen).
     */
    public RawConfig text(String key) {
        Object v = raw.get(key);
        if (v != null && !(v instanceof String)) {
            throw StorageException.invalid(key, "must be one text value, not " + kind(v));
        }
        if (v != null && controls((String) v)) {
            throw StorageException.invalid(key, "must be one line of text without control characters (was '" + shown((String) v) + "')");
        }
        return this;
    }

    /** As {@link #text}, for a secret: its value is never shown. */
    public RawConfig secret(String key) {
        Object v = raw.get(key);
        if (v != null && !(v instanceof String)) {
            throw StorageException.invalid(key, "must be one text value, not " + kind(v));
        }
        if (v != null && controls((String) v)) {
            throw StorageException.invalid(key, "must be one line of text without control characters");
        }
        return this;
    }

    /** {@code key}, when set, is a text value or a list of them. */
    public RawConfig texts(String key) {
        Object v = raw.get(key);
        if (v == null) {
            return this;
        }
        if (v instanceof String s) {
            v = new String[] {s};
        }
        Collection<?> items = v instanceof String[] a ? java.util.Arrays.asList(a) : v instanceof Collection<?> c ? c : null;
        if (items == null || items.stream().anyMatch(i -> !(i instanceof String))) {
            throw StorageException.invalid(key, "must be a text value or a list of text values, not " + kind(v));
        }
        for (Object i : items) {
            if (controls((String) i)) {
                throw StorageException.invalid(key, "'" + shown((String) i) + "' must be one line of text without control characters");
            }
        }
        return this;
    }

    /** {@code key}, when set, is a whole number from {@code min} to {@code max} (a number, or a text of digits). */
    public RawConfig number(String key, long min, long max) {
        Object v = raw.get(key);
        if (v == null) {
            return this;
        }
        String allowed = "must be a whole number from " + min + " to " + max;
        long n;
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            n = ((Number) v).longValue();
        } else if (v instanceof String s && s.trim().matches("[+-]?\\d{1,18}")) {
            n = Long.parseLong(s.trim());
        } else if (v instanceof String s) {
            throw StorageException.invalid(key, allowed + " (was '" + shown(s) + "')");
        } else {
            throw StorageException.invalid(key, allowed + ", not " + kind(v));
        }
        if (n < min || n > max) {
            throw StorageException.invalid(key, allowed + " (was " + n + ")");
        }
        return this;
    }

    private static String kind(Object v) {
        if (v.getClass().isArray() || v instanceof Collection) {
            return "a list";
        }
        return v instanceof Number ? "a number" : v instanceof Boolean ? "true/false" : "a " + v.getClass().getSimpleName();
    }

    /** {@code s} for an error message: control characters as {@code \}{@code uXXXX}, at most 60 characters. */
    public static String shown(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < SHOWN; i++) {
            char c = s.charAt(i);
            b.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return s.length() > SHOWN || b.length() > SHOWN ? b.substring(0, Math.min(b.length(), SHOWN)) + "… (" + s.length()
                + " characters)" : b.toString();
    }

    /** Whether {@code s} holds a control character (NUL, a line break, an ANSI escape…). */
    public static boolean controls(String s) {
        return s.chars().anyMatch(Character::isISOControl);
    }
}
