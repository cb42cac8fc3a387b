package org.spindle.storage.core.internal.qos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.function.Executable;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.Limit;
import org.spindle.storage.api.qos.QosSpec;
import org.spindle.storage.api.qos.StorageQos;
import org.spindle.storage.api.volume.Offering;

/** Short names for test values. */
final class Fixtures {
    static final Limit NO = Limit.NONE;

    /** A driver-managed pool enforcing all storage QoS, no ranges. */
    static final StorageCapabilities FULL_POOL = pool("min-iops", "max-iops", "burst-iops");
    /** A driver-managed pool enforcing no storage QoS. */
    static final StorageCapabilities BARE_POOL = pool();

    /** Libvirt-like: everything. */
    static final LimitCapabilities KVM = LimitCapabilities.of("iops", "bps", "read-write", "total", "burst", "burst-length");
    /** Only totals, with bursts. */
    static final LimitCapabilities TOTAL_ONLY = LimitCapabilities.of("iops", "bps", "total", "burst", "burst-length");
    /** Only read/write, with bursts. */
    static final LimitCapabilities SPLIT_ONLY = LimitCapabilities.of("iops", "bps", "read-write", "burst", "burst-length");

    private Fixtures() {
    }

    static StorageCapabilities pool(String... qos) {
        return new StorageCapabilities(true, Set.of(qos), 0, 0, 0);
    }

    static Limit l(long rate) {
        return Limit.of(rate);
    }

    static Limit l(long rate, long burst) {
        return new Limit(rate, burst, 0);
    }

    static Limit l(long rate, long burst, long seconds) {
        return new Limit(rate, burst, seconds);
    }

    static StorageQos s(long min, long max, long burst) {
        return new StorageQos(min, max, burst);
    }

    /** IOPS limits only. */
    static IoLimits iops(Limit read, Limit write, Limit total) {
        return new IoLimits(read, write, total, NO, NO, NO);
    }

    /** Bytes limits only. */
    static IoLimits bps(Limit read, Limit write, Limit total) {
        return new IoLimits(NO, NO, NO, read, write, total);
    }

    static QosSpec spec(StorageQos storage, IoLimits limits) {
        return new QosSpec(storage, limits);
    }

    static QosSpec spec(StorageQos storage) {
        return new QosSpec(storage, IoLimits.NONE);
    }

    static QosSpec spec(IoLimits limits) {
        return new QosSpec(StorageQos.NONE, limits);
    }

    static Offering offering(String name, QosSpec qos, boolean customIops) {
        return new Offering(name, "", List.of(), qos, customIops);
    }

    /**
     * Asserts a {@code QOS_REFUSED} for {@code field} whose one-line message contains each of {@code fragments}.
     */
    static StorageException assertRefused(Executable call, String field, String... fragments) {
        StorageException e = assertThrows(StorageException.class, call);
        assertEquals(StorageException.Reason.QOS_REFUSED, e.reason(), e.getMessage());
        assertEquals(field, e.field(), e.getMessage());
        assertMessage(e.getMessage(), fragments);
        return e;
    }

    static void assertMessage(String message, String... fragments) {
        assertFalse(message.contains("\n"), "one line: " + message);
        for (String fragment : fragments) {
            assertTrue(message.contains(fragment), "expected '" + fragment + "' in: " + message);
        }
    }
}
