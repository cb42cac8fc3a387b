package org.spindle.driver.solidfire.internal;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.spindle.driver.solidfire.internal.element.Wire;
import org.spindle.storage.api.driver.SanVolumeRequest;

/**
 * How a Spindle volume appears on the cluster: its name (non-alphanumerics → {@code -}, at most 64 characters;
 * Element names need not be unique, the volumeID is the identity), and the attributes that tie it to Spindle:
 * {@value #UUID_ATTRIBUTE} (the idempotency key) and {@value #NAME_ATTRIBUTE}.
 */
final class VolumeNaming {
    static final String UUID_ATTRIBUTE = "spindle-uuid";
    static final String NAME_ATTRIBUTE = "spindle-name";
    static final int MAX_NAME = 64;
    /** Element's limit on the attributes object, as JSON (§1.3: "whole JSON under 1000 B"). */
    static final int MAX_ATTRIBUTES_BYTES = 1000;

    private VolumeNaming() {
    }

    static String sanName(String spindleName) {
        String n = spindleName.replaceAll("[^A-Za-z0-9]", "-");
        if (n.isEmpty()) {
            n = "volume";
        }
        return n.length() > MAX_NAME ? n.substring(0, MAX_NAME) : n;
    }

    static Map<String, String> attributes(SanVolumeRequest r) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put(UUID_ATTRIBUTE, r.volumeId().toString());
        a.put(NAME_ATTRIBUTE, r.name());
        if (jsonSize(a) >= MAX_ATTRIBUTES_BYTES) {
            // Spindle names are at most 64 characters, so this cannot happen; never send what Element refuses
            throw new IllegalStateException("volume attributes would exceed " + MAX_ATTRIBUTES_BYTES + " bytes");
        }
        return Map.copyOf(a);
    }

    /** Whether a SAN volume belongs to the Spindle volume {@code id}. */
    static boolean belongsTo(Wire.Volume v, UUID id) {
        return id.toString().equalsIgnoreCase(v.attribute(UUID_ATTRIBUTE));
    }

    /** The Spindle volume a SAN volume belongs to, or null when it is not Spindle's. */
    static UUID owner(Wire.Volume v) {
        String s = v.attribute(UUID_ATTRIBUTE);
        if (s == null) {
            return null;
        }
        try {
            return UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Upper bound of the attributes' JSON size: {"k":"v",…} with every character possibly escaped twice. */
    static int jsonSize(Map<String, String> a) {
        int n = 2;
        for (Map.Entry<String, String> e : a.entrySet()) {
            n += e.getKey().getBytes(StandardCharsets.UTF_8).length + e.getValue().getBytes(StandardCharsets.UTF_8).length + 6;
        }
        return n;
    }
}
