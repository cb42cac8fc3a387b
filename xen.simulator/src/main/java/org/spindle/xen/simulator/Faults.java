package org.spindle.xen.simulator;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import com.sun.net.httpserver.HttpExchange;

/**
 * Faults to inject, for the reliability tests: fail a call with a XenAPI error before it runs, or run it and
 * lose the reply (the connection closes without an answer, as when a network drops after the pool master
 * committed), or answer in its place as a broken or hostile endpoint would (any status, content type and body,
 * or a body without end). Each rule applies to a method ({@code SR.create}, {@code GET /rrd_updates}, or {@code *})
 * a given number of times. And hold one call of a method, before it acts or after ({@link Hold}), for a test to kill
 * its client there.
 */
public final class Faults {
    enum Kind { FAIL, DROP_REPLY, HOSTILE }

    private record Rule(String method, Kind kind, List<String> error, int[] remaining, Hostile hostile) {
    }

    /** A reply in the pool's place: {@code body}, then {@code filler} repeated until the client hangs up when set. */
    record Hostile(int status, String contentType, byte[] body, byte[] filler) {
        /** Sends it; an endless body stops at 1 GiB, or when the client closes the connection. */
        void send(HttpExchange ex) throws IOException {
            ex.getResponseHeaders().set("Content-Type", contentType);
            ex.sendResponseHeaders(status, filler == null ? body.length : 0);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
                for (long sent = body.length; filler != null && sent < (1L << 30); sent += filler.length) {
                    out.write(filler);
                }
            } catch (IOException hungUp) {
                // the client stopped reading: what an endless reply is for
            }
        }
    }

    private final List<Rule> rules = new ArrayList<>();
    private final List<Hold> holds = new ArrayList<>();
    private final List<Hold> taken = new ArrayList<>();

    /** Holds the next XML-RPC or JSON-RPC call of {@code method} at {@code when}, until released (at most 10 minutes). */
    public Hold hold(String method, Hold.When when) {
        return hold(method, when, 0, Duration.ofMinutes(10));
    }

    /**
     * Holds a call of {@code method} ({@code *}: any) at {@code when}: the one after the next {@code skip} calls, which
     * pass. It is held until {@link Hold#release()} or until {@code max} has passed. Holds do not block each other:
     * the pool answers other calls meanwhile.
     */
    public synchronized Hold hold(String method, Hold.When when, int skip, Duration max) {
        Hold h = new Hold(method, when, skip, max);
        holds.add(h);
        return h;
    }

    /** The hold that takes this call, removed from the waiting ones; null when none. */
    synchronized Hold holdFor(String method) {
        for (Iterator<Hold> it = holds.iterator(); it.hasNext();) {
            Hold h = it.next();
            if (h.takes(method)) {
                it.remove();
                taken.removeIf(Hold::done);
                taken.add(h);
                return h;
            }
        }
        return null;
    }

    /** The next {@code times} calls of {@code method} fail with {@code code} and {@code params}, without running. */
    public synchronized Faults fail(String method, int times, String code, String... params) {
        List<String> e = new ArrayList<>();
        e.add(code);
        e.addAll(List.of(params));
        rules.add(new Rule(method, Kind.FAIL, List.copyOf(e), new int[] {times}, null));
        return this;
    }

    /** The next {@code times} calls of {@code method} run, and their reply is lost. */
    public synchronized Faults dropReply(String method, int times) {
        rules.add(new Rule(method, Kind.DROP_REPLY, List.of(), new int[] {times}, null));
        return this;
    }

    /** The next {@code times} calls of {@code method} are not run: the endpoint answers this instead. */
    public synchronized Faults reply(String method, int times, int status, String contentType, String body) {
        rules.add(new Rule(method, Kind.HOSTILE, List.of(), new int[] {times},
                new Hostile(status, contentType, body.getBytes(StandardCharsets.UTF_8), null)));
        return this;
    }

    /**
     * The next {@code times} calls of {@code method} are not run: the endpoint answers {@code head} and then
     * {@code filler} again and again, until the client hangs up (or 1 GiB was sent).
     */
    public synchronized Faults endlessReply(String method, int times, int status, String contentType, String head, String filler) {
        rules.add(new Rule(method, Kind.HOSTILE, List.of(), new int[] {times}, new Hostile(status, contentType,
                head.getBytes(StandardCharsets.UTF_8), filler.repeat(Math.max(1, 8192 / Math.max(1, filler.length())))
                .getBytes(StandardCharsets.UTF_8))));
        return this;
    }

    /** Removes every rule and waiting hold, and releases the calls held now. */
    public synchronized void clear() {
        rules.clear();
        holds.forEach(Hold::release);
        holds.clear();
        taken.forEach(Hold::release);
        taken.clear();
    }

    /** The hostile reply for this call now, counted as used; null when none. */
    synchronized Hostile hostile(String method) {
        for (Iterator<Rule> it = rules.iterator(); it.hasNext();) {
            Rule r = it.next();
            if (r.kind() == Kind.HOSTILE && (r.method().equals(method) || r.method().equals("*"))) {
                if (--r.remaining()[0] <= 0) {
                    it.remove();
                }
                return r.hostile();
            }
        }
        return null;
    }

    /** The rule that applies to this call now, counted as used; null when none. */
    synchronized Object[] take(String method) {
        for (Iterator<Rule> it = rules.iterator(); it.hasNext();) {
            Rule r = it.next();
            if (r.kind() != Kind.HOSTILE && (r.method().equals(method) || r.method().equals("*"))) {
                if (--r.remaining()[0] <= 0) {
                    it.remove();
                }
                return new Object[] {r.kind(), r.error()};
            }
        }
        return null;
    }
}
