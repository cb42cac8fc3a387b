package org.spindle.driver.solidfire.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

import org.spindle.driver.solidfire.internal.element.Wire;

/**
 * How a host group appears on the cluster: one volume access group named {@code <prefix>-<group name>}, where
 * {@code prefix} is the pool's {@code account.prefix} (what tells one Spindle's objects from another's on a shared
 * cluster) and every character outside {@code [A-Za-z0-9-]} becomes {@code -}. When that changed a character or
 * the name would pass Element's 64 characters, the name is cut to fit and ends in {@code -} plus the first 8 hex
 * digits of the SHA-256 of the group name, so different groups never share a name. The group carries the
 * attributes {@value #GROUP_ATTRIBUTE} (the exact group name) and {@value #PREFIX_ATTRIBUTE}: a group of that name
 * without them is not Spindle's and is never used or deleted.
 */
final class GroupNaming {
    static final String GROUP_ATTRIBUTE = "spindle-host-group";
    static final String PREFIX_ATTRIBUTE = "spindle-prefix";
    /** Element's volumeAccessGroupNameLengthMax. */
    static final int MAX_NAME = 64;
    private static final int HASH = 8;

    private final String prefix;

    GroupNaming(String accountPrefix) {
        this.prefix = accountPrefix;
    }

    /** The access group name of a host group. */
    String vagName(String group) {
        String plain = prefix + "-" + group;
        String safe = plain.replaceAll("[^A-Za-z0-9-]", "-");
        if (safe.equals(plain) && safe.length() <= MAX_NAME) {
            return safe;
        }
        String hash = sha256(group).substring(0, HASH);
        String head = safe.length() > MAX_NAME - HASH - 1 ? safe.substring(0, MAX_NAME - HASH - 1) : safe;
        return head + "-" + hash;
    }

    Map<String, String> attributes(String group) {
        return Map.of(GROUP_ATTRIBUTE, group, PREFIX_ATTRIBUTE, prefix);
    }

    /** Whether an access group is the one this Spindle made for {@code group}. */
    boolean isFor(Wire.AccessGroup g, String group) {
        return g.name().equals(vagName(group)) && group.equals(g.attributes().get(GROUP_ATTRIBUTE))
                && prefix.equals(g.attributes().get(PREFIX_ATTRIBUTE));
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
