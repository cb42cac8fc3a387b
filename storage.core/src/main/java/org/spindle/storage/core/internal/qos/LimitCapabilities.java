package org.spindle.storage.core.internal.qos;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.spindle.storage.api.attach.AttachProperties;
import org.spindle.storage.api.attach.HypervisorLimit;

/**
 * The limits a hypervisor attach service enforces: its {@link AttachProperties#LIMITS}.
 *
 * @param limits what it declares; empty means it enforces no limit
 */
public record LimitCapabilities(Set<HypervisorLimit> limits) {
    /** A hypervisor that enforces no limit. */
    public static final LimitCapabilities NONE = new LimitCapabilities(Set.of());

    public LimitCapabilities {
        limits = Set.copyOf(limits);
    }

    /**
     * Convenience for tests and configuration: the given tokens ({@code read-write} or {@code READ_WRITE}).
     *
     * @throws IllegalArgumentException for a token that names no {@link HypervisorLimit}
     */
    public static LimitCapabilities of(String... tokens) {
        return new LimitCapabilities(Set.copyOf(Arrays.stream(tokens).map(t -> HypervisorLimit.fromToken(t).orElseThrow(
                () -> new IllegalArgumentException(AttachProperties.LIMITS + ": unknown value '" + t + "'"))).toList()));
    }

    /**
     * Reads {@link AttachProperties#LIMITS}; each token it does not know is passed to {@code unknown} (to be
     * logged) and ignored.
     *
     * @throws IllegalArgumentException naming the key when the value is not made of strings
     */
    public static LimitCapabilities fromServiceProperties(Map<String, Object> properties, Consumer<String> unknown) {
        return new LimitCapabilities(ServiceProperties.tokens(properties, AttachProperties.LIMITS, HypervisorLimit.class,
                HypervisorLimit::fromToken, unknown));
    }

    /** It limits reads and writes separately. */
    public boolean splits() {
        return limits.contains(HypervisorLimit.READ_WRITE);
    }

    /** It limits reads plus writes together. */
    public boolean totals() {
        return limits.contains(HypervisorLimit.TOTAL);
    }

    /** It limits operations per second. */
    public boolean iops() {
        return limits.contains(HypervisorLimit.IOPS);
    }

    /** It limits bytes per second. */
    public boolean bps() {
        return limits.contains(HypervisorLimit.BPS);
    }

    /** It allows bursts above a limit. */
    public boolean bursts() {
        return limits.contains(HypervisorLimit.BURST);
    }

    /** It bounds how long a burst lasts. */
    public boolean burstLengths() {
        return limits.contains(HypervisorLimit.BURST_LENGTH);
    }

    /** It gives disks a relative priority. */
    public boolean weights() {
        return limits.contains(HypervisorLimit.WEIGHT);
    }

    /** The declared limits as tokens ({@code read-write}), in the enum's order. */
    public List<String> tokens() {
        return (limits.isEmpty() ? EnumSet.noneOf(HypervisorLimit.class) : EnumSet.copyOf(limits)).stream()
                .map(HypervisorLimit::token).toList();
    }

    /** For messages: e.g. {@code [iops, total]}, or {@code none}. */
    String describe() {
        List<String> declared = tokens();
        return declared.isEmpty() ? "none" : declared.toString();
    }
}
