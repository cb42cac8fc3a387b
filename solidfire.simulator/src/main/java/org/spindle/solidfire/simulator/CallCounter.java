package org.spindle.solidfire.simulator;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * How many Element calls the simulator received, per method, since it started or since the last {@link #reset()}.
 * Every JSON-RPC request that names a method counts once, whether it succeeds, fails (injected faults included) or
 * names an unknown method; requests refused by authentication and in-process {@link ElementSimulator#invoke} calls
 * do not. In memory, per simulator, thread-safe.
 *
 * <p>For concurrent tests a {@link #snapshot()} and {@link Counts#minus(Counts)} measure one stretch without
 * resetting what another test reads:
 * <pre>{@code
 * CallCounter.Counts before = sim.calls().snapshot();
 * driver.listVolumes();
 * CallCounter.Counts cost = sim.calls().snapshot().minus(before);
 * assertEquals(Map.of("ListActiveVolumes", 1L), cost.byMethod());
 * }</pre>
 */
public final class CallCounter {
    private final ConcurrentHashMap<String, LongAdder> calls = new ConcurrentHashMap<>();

    CallCounter() {
    }

    /** Calls of one method so far (0 if never called). */
    public long count(String method) {
        LongAdder n = calls.get(method);
        return n == null ? 0 : n.sum();
    }

    /** Calls of all methods so far. */
    public long total() {
        return calls.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** The counts now, as an immutable value. */
    public Counts snapshot() {
        Map<String, Long> out = new TreeMap<>();
        calls.forEach((k, v) -> {
            long n = v.sum();
            if (n > 0) {
                out.put(k, n);
            }
        });
        return new Counts(out);
    }

    /** Forgets every count. */
    public void reset() {
        calls.clear();
    }

    void record(String method) {
        calls.computeIfAbsent(method, k -> new LongAdder()).increment();
    }

    /**
     * Calls per method (methods with 0 calls left out), sorted by name.
     *
     * @param byMethod method name → calls
     */
    public record Counts(Map<String, Long> byMethod) {
        public static final Counts NONE = new Counts(Map.of());

        public Counts {
            byMethod = java.util.Collections.unmodifiableMap(new TreeMap<>(byMethod));
        }

        public long get(String method) {
            return byMethod.getOrDefault(method, 0L);
        }

        public long total() {
            return byMethod.values().stream().mapToLong(Long::longValue).sum();
        }

        /** The calls made since {@code earlier} was taken (a method whose count did not grow is left out). */
        public Counts minus(Counts earlier) {
            Map<String, Long> out = new TreeMap<>();
            byMethod.forEach((m, n) -> {
                long d = n - earlier.get(m);
                if (d > 0) {
                    out.put(m, d);
                }
            });
            return new Counts(out);
        }

        @Override
        public String toString() {
            return byMethod + " (total " + total() + ")";
        }
    }
}
