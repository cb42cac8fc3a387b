package org.spindle.storage.core.internal.qos;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

import org.spindle.storage.api.driver.DriverProperties;
import org.spindle.storage.api.driver.StorageQosCapability;

/**
 * What a pool's driver declares it enforces and accepts, from its service properties.
 *
 * @param managed        whether the driver creates one SAN volume per volume; a static pool enforces no QoS
 * @param qos            the {@link DriverProperties#QOS} capabilities
 * @param minIopsFloor   smallest min IOPS the SAN accepts, 0 = unknown
 * @param minIopsCeiling largest min IOPS the SAN accepts, 0 = unbounded
 * @param maxIopsFloor   smallest max and burst IOPS the SAN accepts, 0 = unknown
 * @param maxIopsCeiling largest max and burst IOPS the SAN accepts, 0 = unbounded
 * @param volumeSizeMin  smallest volume the SAN creates, in bytes, 0 = no minimum
 */
public record StorageCapabilities(boolean managed, Set<StorageQosCapability> qos, long minIopsFloor, long minIopsCeiling,
                                  long maxIopsFloor, long maxIopsCeiling, long volumeSizeMin) {
    /** A static pool: no per-volume SAN volume, hence no storage QoS. */
    public static final StorageCapabilities NONE = new StorageCapabilities(false, Set.of(), 0, 0, 0, 0, 0);

    public StorageCapabilities {
        qos = Set.copyOf(qos);
        if (!managed && !qos.isEmpty()) {
            throw new IllegalArgumentException(DriverProperties.QOS + ": a static pool (" + DriverProperties.MANAGED
                    + "=false) has no per-volume SAN volume and cannot enforce "
                    + new TreeSet<>(qos.stream().map(StorageQosCapability::token).toList()));
        }
        nonNegative(DriverProperties.QOS_MIN_IOPS_FLOOR, minIopsFloor);
        nonNegative(DriverProperties.QOS_MIN_IOPS_CEILING, minIopsCeiling);
        nonNegative(DriverProperties.QOS_MAX_IOPS_FLOOR, maxIopsFloor);
        nonNegative(DriverProperties.QOS_MAX_IOPS_CEILING, maxIopsCeiling);
        nonNegative(DriverProperties.VOLUME_SIZE_MIN, volumeSizeMin);
        if (minIopsFloor > 0 && minIopsCeiling > 0 && minIopsFloor > minIopsCeiling) {
            throw new IllegalArgumentException(DriverProperties.QOS_MIN_IOPS_FLOOR + ": " + minIopsFloor
                    + " is above " + DriverProperties.QOS_MIN_IOPS_CEILING + " " + minIopsCeiling);
        }
        if (maxIopsFloor > 0 && maxIopsCeiling > 0 && maxIopsFloor > maxIopsCeiling) {
            throw new IllegalArgumentException(DriverProperties.QOS_MAX_IOPS_FLOOR + ": " + maxIopsFloor
                    + " is above " + DriverProperties.QOS_MAX_IOPS_CEILING + " " + maxIopsCeiling);
        }
    }

    /** Capabilities given as tokens ({@code min-iops}), without a max IOPS floor or a size minimum (tests). */
    public StorageCapabilities(boolean managed, Set<String> tokens, long minIopsFloor, long minIopsCeiling, long maxIopsCeiling) {
        this(managed, Set.copyOf(tokens.stream().map(t -> StorageQosCapability.fromToken(t).orElseThrow(
                () -> new IllegalArgumentException(DriverProperties.QOS + ": unknown value '" + t + "'"))).toList()),
                minIopsFloor, minIopsCeiling, 0, maxIopsCeiling, 0);
    }

    /**
     * Reads {@link DriverProperties#MANAGED} (default true), {@link DriverProperties#QOS} (each unknown token is
     * passed to {@code unknown}, to be logged, and ignored), the {@code storage.qos.*} ranges and
     * {@link DriverProperties#VOLUME_SIZE_MIN}.
     *
     * @throws IllegalArgumentException naming the key of a malformed value
     */
    public static StorageCapabilities fromServiceProperties(Map<String, Object> properties, Consumer<String> unknown) {
        return new StorageCapabilities(
                ServiceProperties.flag(properties, DriverProperties.MANAGED, true),
                ServiceProperties.tokens(properties, DriverProperties.QOS, StorageQosCapability.class,
                        StorageQosCapability::fromToken, unknown),
                ServiceProperties.count(properties, DriverProperties.QOS_MIN_IOPS_FLOOR),
                ServiceProperties.count(properties, DriverProperties.QOS_MIN_IOPS_CEILING),
                ServiceProperties.count(properties, DriverProperties.QOS_MAX_IOPS_FLOOR),
                ServiceProperties.count(properties, DriverProperties.QOS_MAX_IOPS_CEILING),
                ServiceProperties.count(properties, DriverProperties.VOLUME_SIZE_MIN));
    }

    /** Whether the SAN enforces {@code capability} for each volume. */
    public boolean enforces(StorageQosCapability capability) {
        return managed && qos.contains(capability);
    }

    /** The declared QoS as tokens ({@code min-iops}), in the enum's order. */
    public List<String> tokens() {
        return (qos.isEmpty() ? EnumSet.noneOf(StorageQosCapability.class) : EnumSet.copyOf(qos)).stream()
                .map(StorageQosCapability::token).toList();
    }

    /** For messages: e.g. {@code [min-iops, max-iops]}, or that it is a static pool. */
    String describe() {
        if (!managed) {
            return "none (static pool)";
        }
        List<String> declared = tokens();
        return declared.isEmpty() ? "none" : declared.toString();
    }

    private static void nonNegative(String key, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(key + ": must be 0 (unknown) or positive (was " + value + ")");
        }
    }
}
