package org.spindle.storage.core.internal.qos;

import static org.spindle.storage.api.attach.AttachProperties.LIMIT_BPS;
import static org.spindle.storage.api.attach.AttachProperties.LIMIT_BURST;
import static org.spindle.storage.api.attach.AttachProperties.LIMIT_BURST_LENGTH;
import static org.spindle.storage.api.attach.AttachProperties.LIMIT_IOPS;
import static org.spindle.storage.api.attach.AttachProperties.LIMIT_READ_WRITE;
import static org.spindle.storage.api.attach.AttachProperties.LIMIT_TOTAL;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.spindle.storage.api.attach.AttachProperties;

/**
 * The limits a hypervisor attach service enforces: the {@link AttachProperties#LIMITS} tokens.
 *
 * @param limits the declared tokens; empty means it enforces no limit
 */
public record LimitCapabilities(Set<String> limits) {
    /** The tokens of {@link AttachProperties#LIMITS}, in the order messages list them. */
    static final List<String> TOKENS = List.of(LIMIT_IOPS, LIMIT_BPS, LIMIT_READ_WRITE, LIMIT_TOTAL, LIMIT_BURST,
            LIMIT_BURST_LENGTH);

    /** A hypervisor that enforces no limit. */
    public static final LimitCapabilities NONE = new LimitCapabilities(Set.of());

    public LimitCapabilities {
        limits = Set.copyOf(limits);
        for (String token : limits) {
            if (!TOKENS.contains(token)) {
                throw new IllegalArgumentException(AttachProperties.LIMITS + ": unknown value '" + token + "' (allowed: "
                        + String.join(", ", TOKENS) + ")");
            }
        }
    }

    /** Convenience for tests and configuration: the given tokens. */
    public static LimitCapabilities of(String... limits) {
        return new LimitCapabilities(Set.of(limits));
    }

    /**
     * Reads {@link AttachProperties#LIMITS}.
     *
     * @throws IllegalArgumentException naming the key of a malformed value or an unknown token
     */
    public static LimitCapabilities fromServiceProperties(Map<String, Object> properties) {
        return new LimitCapabilities(ServiceProperties.tokens(properties, AttachProperties.LIMITS, TOKENS));
    }

    /** It limits reads and writes separately. */
    public boolean splits() {
        return limits.contains(LIMIT_READ_WRITE);
    }

    /** It limits reads plus writes together. */
    public boolean totals() {
        return limits.contains(LIMIT_TOTAL);
    }

    /** It limits operations per second. */
    public boolean iops() {
        return limits.contains(LIMIT_IOPS);
    }

    /** It limits bytes per second. */
    public boolean bps() {
        return limits.contains(LIMIT_BPS);
    }

    /** It allows bursts above a limit. */
    public boolean bursts() {
        return limits.contains(LIMIT_BURST);
    }

    /** It bounds how long a burst lasts. */
    public boolean burstLengths() {
        return limits.contains(LIMIT_BURST_LENGTH);
    }

    /** For messages: e.g. {@code [iops, total]}, or {@code none}. */
    String describe() {
        List<String> declared = TOKENS.stream().filter(limits::contains).toList();
        return declared.isEmpty() ? "none" : declared.toString();
    }
}
