package org.spindle.storage.core.internal.qos;

import static org.spindle.storage.api.driver.DriverProperties.QOS_BURST_IOPS;
import static org.spindle.storage.api.driver.DriverProperties.QOS_MAX_IOPS;
import static org.spindle.storage.api.driver.DriverProperties.QOS_MIN_IOPS;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.spindle.storage.api.driver.DriverProperties;

/**
 * The storage QoS a pool's driver enforces, from its service properties.
 *
 * @param managed        whether the driver creates one SAN volume per volume; a static pool enforces no QoS
 * @param qos            the {@link DriverProperties#QOS} tokens
 * @param minIopsFloor   smallest min IOPS the SAN accepts, 0 = unknown
 * @param minIopsCeiling largest min IOPS the SAN accepts, 0 = unbounded
 * @param maxIopsCeiling largest max and burst IOPS the SAN accepts, 0 = unbounded
 */
public record StorageCapabilities(boolean managed, Set<String> qos, long minIopsFloor, long minIopsCeiling,
                                  long maxIopsCeiling) {
    /** The tokens of {@link DriverProperties#QOS}, in the order messages list them. */
    static final List<String> TOKENS = List.of(QOS_MIN_IOPS, QOS_MAX_IOPS, QOS_BURST_IOPS);

    /** A static pool: no per-volume SAN volume, hence no storage QoS. */
    public static final StorageCapabilities NONE = new StorageCapabilities(false, Set.of(), 0, 0, 0);

    public StorageCapabilities {
        qos = Set.copyOf(qos);
        for (String token : qos) {
            if (!TOKENS.contains(token)) {
                throw new IllegalArgumentException(DriverProperties.QOS + ": unknown value '" + token + "' (allowed: "
                        + String.join(", ", TOKENS) + ")");
            }
        }
        if (!managed && !qos.isEmpty()) {
            throw new IllegalArgumentException(DriverProperties.QOS + ": a static pool (" + DriverProperties.MANAGED
                    + "=false) has no per-volume SAN volume and cannot enforce " + new TreeSet<>(qos));
        }
        nonNegative(DriverProperties.QOS_MIN_IOPS_FLOOR, minIopsFloor);
        nonNegative(DriverProperties.QOS_MIN_IOPS_CEILING, minIopsCeiling);
        nonNegative(DriverProperties.QOS_MAX_IOPS_CEILING, maxIopsCeiling);
        if (minIopsFloor > 0 && minIopsCeiling > 0 && minIopsFloor > minIopsCeiling) {
            throw new IllegalArgumentException(DriverProperties.QOS_MIN_IOPS_FLOOR + ": " + minIopsFloor
                    + " is above " + DriverProperties.QOS_MIN_IOPS_CEILING + " " + minIopsCeiling);
        }
    }

    /**
     * Reads {@link DriverProperties#MANAGED} (default true), {@link DriverProperties#QOS} and the
     * {@code storage.qos.*} ranges.
     *
     * @throws IllegalArgumentException naming the key of a malformed value
     */
    public static StorageCapabilities fromServiceProperties(Map<String, Object> properties) {
        return new StorageCapabilities(
                ServiceProperties.flag(properties, DriverProperties.MANAGED, true),
                ServiceProperties.tokens(properties, DriverProperties.QOS, TOKENS),
                ServiceProperties.count(properties, DriverProperties.QOS_MIN_IOPS_FLOOR),
                ServiceProperties.count(properties, DriverProperties.QOS_MIN_IOPS_CEILING),
                ServiceProperties.count(properties, DriverProperties.QOS_MAX_IOPS_CEILING));
    }

    /** Whether the SAN enforces the QoS {@code token} for each volume. */
    public boolean enforces(String token) {
        return managed && qos.contains(token);
    }

    /** For messages: e.g. {@code [min-iops, max-iops]}, or that it is a static pool. */
    String describe() {
        if (!managed) {
            return "none (static pool)";
        }
        List<String> declared = TOKENS.stream().filter(qos::contains).toList();
        return declared.isEmpty() ? "none" : declared.toString();
    }

    private static void nonNegative(String key, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(key + ": must be 0 (unknown) or positive (was " + value + ")");
        }
    }
}
