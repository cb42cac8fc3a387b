package org.spindle.itest.driver.internal;

import java.util.List;

import org.spindle.storage.api.PoolCapacity;
import org.spindle.storage.api.Portal;
import org.spindle.storage.api.Protocols;

/**
 * Test SANs for the benchmarks, made as the bundle's own tests make them (no framework, nothing persisted). A class of the
 * test driver's private package, on the benchmarks' plain class path only.
 */
public final class BenchSans {
    private BenchSans() {
    }

    /**
     * The test SAN of pool {@code pool}, with room for a zone of a few hundred thousand volumes (1 PiB, 10⁹ IOPS), whose
     * every call first waits {@code latencyMillis} (its {@code call.latency.ms}).
     */
    public static TestStorageDriver san(String pool, long latencyMillis) {
        SanSettings settings = new SanSettings(pool, List.of(Portal.iscsi("127.0.0.1")), Protocols.ISCSI, 1,
                new PoolCapacity(1L << 50, 0, 1_000_000_000L, 0));
        return new TestStorageDriver(settings, new InMemorySan(null), latencyMillis);
    }
}
