package org.spindle.storage.shell.internal;

import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.spindle.storage.api.qos.EffectiveQos;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.Limit;
import org.spindle.storage.api.qos.StorageQos;

/** How values look in tables and in show output. Absent values are {@code -}. */
public final class Format {
    public static final String ABSENT = "-";

    private Format() {
    }

    /** The first 8 hex digits of {@code id}, as tables show it. */
    public static String shortId(UUID id) {
        return id == null ? ABSENT : id.toString().substring(0, 8);
    }

    public static String text(Object value) {
        return value == null || value.toString().isBlank() ? ABSENT : value.toString();
    }

    public static String list(List<String> values) {
        return values == null || values.isEmpty() ? ABSENT : String.join(",", values);
    }

    public static String yesNo(boolean value) {
        return value ? "yes" : "no";
    }

    /** A human size, {@code -} for 0. */
    public static String size(long bytes) {
        return bytes == 0 ? ABSENT : Sizes.format(bytes);
    }

    /** A human size with the exact byte count: {@code 10 GiB (10737418240 bytes)}. */
    public static String sizeExact(long bytes) {
        return Sizes.format(bytes) + " (" + bytes + " bytes)";
    }

    /** A count where 0 means not set or unknown: {@code -}. */
    public static String count(long value) {
        return value == 0 ? ABSENT : Long.toString(value);
    }

    /** {@code used / total}, or {@code -} when the total is unknown. */
    public static String usage(String used, String total, long totalValue) {
        return totalValue == 0 ? ABSENT : used + " / " + total;
    }

    /** {@code min 1000, max 2000, burst 3000 IOPS}, or {@code none}. */
    public static String storageQos(StorageQos qos) {
        if (qos.isEmpty()) {
            return "none";
        }
        return joined(Stream.of(
                qos.minIops() > 0 ? "min " + qos.minIops() : null,
                qos.maxIops() > 0 ? "max " + qos.maxIops() : null,
                qos.burstIops() > 0 ? "burst " + qos.burstIops() : null)) + " IOPS";
    }

    /**
     * {@code read-iops 500 (max 800 for 30 s), total-bps 100 MiB/s, weight 500}, named as the options are, or
     * {@code none}.
     */
    public static String limits(IoLimits limits) {
        if (limits.isEmpty()) {
            return "none";
        }
        return joined(Stream.of(
                limit("read-iops", limits.readIops(), false),
                limit("write-iops", limits.writeIops(), false),
                limit("total-iops", limits.totalIops(), false),
                limit("read-bps", limits.readBps(), true),
                limit("write-bps", limits.writeBps(), true),
                limit("total-bps", limits.totalBps(), true),
                limits.hasWeight() ? "weight " + limits.weight() : null));
    }

    /** {@code guaranteed 1000 IOPS, max 2000 IOPS, burst 3000 IOPS, max 100 MiB/s}; 0 reads as none/unlimited. */
    public static String effective(EffectiveQos qos) {
        return "guaranteed " + (qos.guaranteedIops() > 0 ? qos.guaranteedIops() + " IOPS" : "none")
                + ", max " + (qos.maxIops() > 0 ? qos.maxIops() + " IOPS" : "unlimited")
                + ", burst " + (qos.burstIops() > 0 ? qos.burstIops() + " IOPS" : "unlimited")
                + ", throughput " + (qos.maxBytesPerSec() > 0 ? rate(qos.maxBytesPerSec(), true) : "unlimited");
    }

    private static String limit(String name, Limit limit, boolean bytes) {
        if (!limit.isSet()) {
            return null;
        }
        String text = name + " " + rate(limit.rate(), bytes);
        if (limit.burst() > 0) {
            text += " (max " + rate(limit.burst(), bytes)
                    + (limit.burstSeconds() > 0 ? " for " + limit.burstSeconds() + " s" : "") + ")";
        }
        return text;
    }

    private static String rate(long value, boolean bytes) {
        return bytes ? Sizes.format(value) + "/s" : Long.toString(value);
    }

    private static String joined(Stream<String> parts) {
        return parts.filter(p -> p != null).collect(Collectors.joining(", "));
    }
}
