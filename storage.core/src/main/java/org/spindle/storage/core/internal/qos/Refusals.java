package org.spindle.storage.core.internal.qos;

import java.util.ArrayList;
import java.util.List;

import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;
import org.spindle.storage.api.qos.Limit;
import org.spindle.storage.api.qos.StorageQos;

/** Refusals and the one-line texts they are made of. */
final class Refusals {
    private Refusals() {
    }

    /** QoS that nobody would enforce or that contradicts itself, caused by {@code field}. */
    static StorageException refused(String field, String message) {
        return new StorageException(Reason.QOS_REFUSED, field, message, null);
    }

    /** E.g. {@code read-iops 500 (read-iops-max 800 for 10 s)}. */
    static String describe(String name, Limit limit) {
        StringBuilder b = new StringBuilder(name).append(' ').append(limit.rate());
        if (limit.burst() > 0) {
            b.append(" (").append(name).append("-max ").append(limit.burst());
            if (limit.burstSeconds() > 0) {
                b.append(" for ").append(limit.burstSeconds()).append(" s");
            }
            b.append(')');
        }
        return b.toString();
    }

    /** The set values, e.g. {@code min-iops 100, max-iops 1000}. */
    static String describe(StorageQos qos) {
        List<String> parts = new ArrayList<>();
        if (qos.minIops() > 0) {
            parts.add("min-iops " + qos.minIops());
        }
        if (qos.maxIops() > 0) {
            parts.add("max-iops " + qos.maxIops());
        }
        if (qos.burstIops() > 0) {
            parts.add("burst-iops " + qos.burstIops());
        }
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }

    /** A range where 0 means unknown/unbounded, e.g. {@code 100 to 5000}, {@code at least 100}. */
    static String range(long floor, long ceiling) {
        if (floor > 0 && ceiling > 0) {
            return floor + " to " + ceiling;
        }
        return floor > 0 ? "at least " + floor : "at most " + ceiling;
    }

    /** The sustained rate, or the burst when there is one. */
    static long peak(Limit limit) {
        return limit.burst() > 0 ? limit.burst() : limit.rate();
    }
}
