package org.spindle.solidfire.simulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Fault injection for one simulator: off until a test asks for it. A method name of {@code "*"} matches every
 * method. Thread-safe. The call counts live in {@link CallCounter} ({@code sim.calls()}); the methods here that
 * read them are kept for the tests written before it.
 */
public final class Faults {
    /** Matches every method. */
    public static final String ANY = "*";

    private final Map<String, List<Failure>> failures = new LinkedHashMap<>();
    private final Map<String, Integer> drops = new LinkedHashMap<>();
    private final Map<String, Long> latencies = new LinkedHashMap<>();
    private final Map<String, List<Replaced>> replies = new LinkedHashMap<>();
    private final CallCounter calls;

    /** One armed failure: the next {@code remaining} calls fail with {@code name}. */
    public record Failure(String method, String name, String message, int remaining) {
    }

    Faults(CallCounter calls) {
        this.calls = calls;
    }

    /** The next {@code count} calls of {@code method} fail with the Element error {@code errorName}, before any change is applied. */
    public synchronized Faults failNext(String method, int count, String errorName, String message) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(errorName, "errorName");
        if (count <= 0) {
            throw new IllegalArgumentException("count must be positive");
        }
        failures.computeIfAbsent(method, k -> new ArrayList<>())
                .add(new Failure(method, errorName, message == null ? errorName : message, count));
        return this;
    }

    /** The next call of {@code method} fails with {@code errorName}. */
    public Faults failNext(String method, String errorName) {
        return failNext(method, 1, errorName, null);
    }

    /**
     * The next {@code count} calls of {@code method} are applied, then their responses are lost: the connection is
     * closed without an HTTP response (the client sees a reset / EOF).
     */
    public synchronized Faults dropResponse(String method, int count) {
        Objects.requireNonNull(method, "method");
        if (count <= 0) {
            throw new IllegalArgumentException("count must be positive");
        }
        drops.merge(method, count, Integer::sum);
        return this;
    }

    /** One armed reply replacement. */
    record Replaced(Reply reply, boolean applied) {
    }

    /**
     * The next {@code count} calls of {@code method} get {@code reply} instead of Element's answer; the call is
     * <em>not</em> applied (the cluster's state does not change).
     */
    public Faults replaceReply(String method, int count, Reply reply) {
        return replace(method, count, reply, false);
    }

    /** As {@link #replaceReply}, but the call is applied first: the change happens, only its answer is replaced. */
    public Faults replaceReplyAfterApplying(String method, int count, Reply reply) {
        return replace(method, count, reply, true);
    }

    /**
     * The next {@code count} calls of {@code method} are answered as Element answers them, before the replacements
     * armed after this: {@code passNext("ListVolumes", 1).replaceReply("ListVolumes", 1, r)} replaces the second call.
     */
    public synchronized Faults passNext(String method, int count) {
        Objects.requireNonNull(method, "method");
        if (count <= 0) {
            throw new IllegalArgumentException("count must be positive");
        }
        List<Replaced> list = replies.computeIfAbsent(method, k -> new ArrayList<>());
        for (int i = 0; i < count; i++) {
            list.add(new Replaced(null, false));
        }
        return this;
    }

    private synchronized Faults replace(String method, int count, Reply reply, boolean applied) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(reply, "reply");
        if (count <= 0) {
            throw new IllegalArgumentException("count must be positive");
        }
        List<Replaced> list = replies.computeIfAbsent(method, k -> new ArrayList<>());
        for (int i = 0; i < count; i++) {
            list.add(new Replaced(reply, applied));
        }
        return this;
    }

    /** Every call of {@code method} waits {@code millis} before it is handled (0 removes the latency). */
    public synchronized Faults latency(String method, long millis) {
        Objects.requireNonNull(method, "method");
        if (millis < 0) {
            throw new IllegalArgumentException("millis must not be negative");
        }
        if (millis == 0) {
            latencies.remove(method);
        } else {
            latencies.put(method, millis);
        }
        return this;
    }

    /** Removes every armed fault (call counts are kept). */
    public synchronized Faults clear() {
        failures.clear();
        drops.clear();
        latencies.clear();
        replies.clear();
        return this;
    }

    /** How many times {@code method} was called; the same as {@code sim.calls().count(method)} ({@link CallCounter}). */
    public long calls(String method) {
        return calls.count(method);
    }

    /** Calls per method, sorted by name; the same as {@code sim.calls().snapshot().byMethod()}. */
    public Map<String, Long> calls() {
        return new java.util.TreeMap<>(calls.snapshot().byMethod()); // a copy the caller may change, as before
    }

    /** Total number of calls; the same as {@code sim.calls().total()}. */
    public long totalCalls() {
        return calls.total();
    }

    /** The same as {@code sim.calls().reset()}. */
    public void resetCalls() {
        calls.reset();
    }

    /** A snapshot of what is armed. */
    public synchronized Map<String, Object> armed() {
        Map<String, Object> out = new LinkedHashMap<>();
        List<Failure> f = new ArrayList<>();
        failures.values().forEach(f::addAll);
        out.put("failures", f);
        out.put("drops", new LinkedHashMap<>(drops));
        out.put("latencies", new LinkedHashMap<>(latencies));
        Map<String, Integer> replaced = new LinkedHashMap<>();
        replies.forEach((m, l) -> replaced.put(m, l.size()));
        out.put("replies", replaced);
        return out;
    }

    // ---- used by the server

    synchronized long latencyFor(String method) {
        Long l = latencies.get(method);
        if (l == null) {
            l = latencies.get(ANY);
        }
        return l == null ? 0 : l;
    }

    /** Consumes one armed failure of the method (or of {@code *}), if any. */
    synchronized Optional<ElementException> takeFailure(String method) {
        for (String key : new String[] {method, ANY}) {
            List<Failure> list = failures.get(key);
            if (list != null && !list.isEmpty()) {
                Failure f = list.get(0);
                if (f.remaining() <= 1) {
                    list.remove(0);
                } else {
                    list.set(0, new Failure(f.method(), f.name(), f.message(), f.remaining() - 1));
                }
                if (list.isEmpty()) {
                    failures.remove(key);
                }
                return Optional.of(new ElementException(f.name(), f.message()));
            }
        }
        return Optional.empty();
    }

    /** Consumes one armed reply replacement of the method (or of {@code *}). */
    synchronized Optional<Replaced> takeReply(String method) {
        for (String key : new String[] {method, ANY}) {
            List<Replaced> list = replies.get(key);
            if (list != null && !list.isEmpty()) {
                Replaced r = list.remove(0);
                if (list.isEmpty()) {
                    replies.remove(key);
                }
                return r.reply() == null ? Optional.empty() : Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** Consumes one armed response drop of the method (or of {@code *}). */
    synchronized boolean takeDrop(String method) {
        for (String key : new String[] {method, ANY}) {
            Integer n = drops.get(key);
            if (n != null) {
                if (n <= 1) {
                    drops.remove(key);
                } else {
                    drops.put(key, n - 1);
                }
                return true;
            }
        }
        return false;
    }
}
