package org.spindle.bench;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The external side of a measurement: wraps a driver or an attach service and adds up the time spent inside its calls
 * (what the core cannot avoid), counting the calls by method. Thread-safe. The calls made by one thread (the
 * {@link #caller}s: those whose operations are timed) are also added up apart: those on the core's background threads
 * (usage readings after an operation, capacity refreshes) run beside the operations, not in their wall time.
 */
final class Timed {
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();
    private final LongAdder nanos = new LongAdder();
    private final LongAdder cpuNanos = new LongAdder();
    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
    private final LongAdder callerNanos = new LongAdder();
    private final LongAdder callerCpuNanos = new LongAdder();
    private final LongAdder callerCalls = new LongAdder();
    private volatile java.util.function.Predicate<Thread> caller = t -> false;

    /** {@code target} as {@code type}, every call of which is timed and counted here. */
    @SuppressWarnings("unchecked")
    <T> T wrap(Class<T> type, T target) {
        return (T) Proxy.newProxyInstance(Timed.class.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return method.invoke(target, args);
            }
            long cpu = THREADS.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            } finally {
                long took = System.nanoTime() - start;
                long cpuTook = THREADS.getCurrentThreadCpuTime() - cpu;
                nanos.add(took);
                cpuNanos.add(cpuTook);
                if (caller.test(Thread.currentThread())) {
                    callerNanos.add(took);
                    callerCpuNanos.add(cpuTook);
                    callerCalls.increment();
                }
                calls.computeIfAbsent(method.getName(), k -> new LongAdder()).increment();
            }
        });
    }

    /** Time spent inside the wrapped calls since the last {@link #reset}, in nanoseconds (summed over threads). */
    long nanos() {
        return nanos.sum();
    }

    /** CPU time the calling threads spent inside the wrapped calls since the last {@link #reset}, in nanoseconds. */
    long cpuNanos() {
        return cpuNanos.sum();
    }

    /** Calls since the last {@link #reset}, by method. */
    Map<String, Long> calls() {
        Map<String, Long> m = new TreeMap<>();
        calls.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    long total() {
        return calls().values().stream().mapToLong(Long::longValue).sum();
    }

    void reset() {
        nanos.reset();
        cpuNanos.reset();
        calls.clear();
        callerNanos.reset();
        callerCpuNanos.reset();
        callerCalls.reset();
    }

    /** From now on the calls of the threads {@code callers} accepts are also added up apart ({@link #callerNanos} …). */
    void caller(java.util.function.Predicate<Thread> callers) {
        caller = callers;
    }

    /** Time inside the calls the {@link #caller} made since the last {@link #reset}. */
    long callerNanos() {
        return callerNanos.sum();
    }

    /** CPU time of the {@link #caller} inside its calls since the last {@link #reset}. */
    long callerCpuNanos() {
        return callerCpuNanos.sum();
    }

    long callerCalls() {
        return callerCalls.sum();
    }
}
