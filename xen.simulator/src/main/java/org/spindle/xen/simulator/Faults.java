package org.spindle.xen.simulator;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Faults to inject, for the reliability tests: fail a call with a XenAPI error before it runs, or run it and
 * lose the reply (the connection closes without an answer, as when a network drops after the pool master
 * committed). Each rule applies to a method ({@code SR.create}, or {@code *}) a given number of times.
 */
public final class Faults {
    enum Kind { FAIL, DROP_REPLY }

    private record Rule(String method, Kind kind, List<String> error, int[] remaining) {
    }

    private final List<Rule> rules = new ArrayList<>();

    /** The next {@code times} calls of {@code method} fail with {@code code} and {@code params}, without running. */
    public synchronized Faults fail(String method, int times, String code, String... params) {
        List<String> e = new ArrayList<>();
        e.add(code);
        e.addAll(List.of(params));
        rules.add(new Rule(method, Kind.FAIL, List.copyOf(e), new int[] {times}));
        return this;
    }

    /** The next {@code times} calls of {@code method} run, and their reply is lost. */
    public synchronized Faults dropReply(String method, int times) {
        rules.add(new Rule(method, Kind.DROP_REPLY, List.of(), new int[] {times}));
        return this;
    }

    public synchronized void clear() {
        rules.clear();
    }

    /** The rule that applies to this call now, counted as used; null when none. */
    synchronized Object[] take(String method) {
        for (Iterator<Rule> it = rules.iterator(); it.hasNext();) {
            Rule r = it.next();
            if (r.method().equals(method) || r.method().equals("*")) {
                if (--r.remaining()[0] <= 0) {
                    it.remove();
                }
                return new Object[] {r.kind(), r.error()};
            }
        }
        return null;
    }
}
