package org.spindle.xen.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

import com.sun.net.httpserver.HttpExchange;

/**
 * The pool's HTTP side, the same at every host's listener: XML-RPC on {@code POST /}, JSON-RPC on
 * {@code POST /jsonrpc}, {@code GET /rrd_updates}, each call recorded and run under the pool's lock, with the
 * {@link Faults} applied where they act on the wire: a hostile reply in the pool's place, a failure or a lost reply,
 * and a {@link Hold} before the call acts or after it (outside the pool's lock, so the pool answers other calls).
 */
final class HttpFront {
    private final Object lock;
    private final Faults faults;
    private final RrdFeed feed;
    private final BiFunction<XmlRpc.Call, String, Object> pool;
    private final List<String> calls = new ArrayList<>();

    /**
     * @param lock the pool's lock, which every call runs under (the simulator's own)
     * @param pool runs a call as the pool answers it at the listener's address, or throws its {@link XapiError}
     */
    HttpFront(Object lock, Faults faults, RrdFeed feed, BiFunction<XmlRpc.Call, String, Object> pool) {
        this.lock = lock;
        this.faults = faults;
        this.feed = feed;
        this.pool = pool;
    }

    /** Every method called so far, in order. */
    List<String> calls() {
        synchronized (lock) {
            return List.copyOf(calls);
        }
    }

    /** Answers one request at the listener of the host at {@code address}. */
    void handle(HttpExchange ex, String address) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            if ("GET".equals(ex.getRequestMethod()) && "/rrd_updates".equals(path)) {
                if (hostile(ex, "GET /rrd_updates")) {
                    return;
                }
                String[] answer;
                synchronized (lock) {
                    calls.add("GET /rrd_updates");
                    answer = feed.answer(ex.getRequestURI().getRawQuery(), address);
                }
                reply(ex, Integer.parseInt(answer[0]), answer[1], answer[2]);
                return;
            }
            boolean json = "/jsonrpc".equals(path);
            if (!"POST".equals(ex.getRequestMethod()) || !("/".equals(path) || json)) {
                reply(ex, 404, "text/html", "<html><body>Not found</body></html>");
                return;
            }
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            String answer;
            Hold hold = null;
            try {
                if (!json) {
                    XmlRpc.Call call = XmlRpc.parse(body);
                    if (hostile(ex, call.method())) {
                        return;
                    }
                    hold = held(call.method());
                    answer = answer(call, address, XmlRpc::success, XmlRpc::failure);
                } else {
                    JsonRpc.Request r = JsonRpc.parse(body);
                    hold = held(r.method());
                    answer = answer(new XmlRpc.Call(r.method(), r.params()), address, v -> JsonRpc.success(r, v),
                            e -> JsonRpc.failure(r, e));
                }
                if (hold != null) {
                    hold.block(Hold.When.AFTER); // acted; the reply waits (outside the pool's lock)
                }
                if (answer != null) { // else the reply is lost: the connection closes without one
                    reply(ex, 200, json ? "application/json" : "text/xml", answer);
                }
            } catch (XmlRpc.Malformed e) {
                reply(ex, 500, "text/html", "<html><body><h1>HTTP 500 internal server error</h1>" + e.getMessage() + "</body></html>");
            } finally {
                if (hold != null) {
                    hold.finished();
                }
            }
        }
    }

    /** The hold that takes a call of {@code method}, the call blocked here (outside the pool's lock) if held before it acts. */
    private Hold held(String method) {
        Hold h = faults.holdFor(method);
        if (h != null) {
            h.block(Hold.When.BEFORE);
        }
        return h;
    }

    /** Answers in the pool's place when a hostile rule says so (the call is recorded, not run). */
    private boolean hostile(HttpExchange ex, String method) throws IOException {
        Faults.Hostile h;
        synchronized (lock) {
            h = faults.hostile(method);
            if (h != null) {
                calls.add(method);
            }
        }
        if (h == null) {
            return false;
        }
        h.send(ex);
        return true;
    }

    /**
     * Runs the call under the pool's lock and encodes its reply, or the failure a fault or the pool gives; null when a
     * fault loses the reply of a call that ran.
     */
    private String answer(XmlRpc.Call call, String address, Function<Object, String> success,
                          Function<List<String>, String> failure) {
        synchronized (lock) {
            calls.add(call.method());
            Object[] fault = faults.take(call.method());
            if (fault != null && fault[0] == Faults.Kind.FAIL) {
                @SuppressWarnings("unchecked")
                List<String> error = (List<String>) fault[1];
                return failure.apply(error);
            }
            String reply;
            try {
                reply = success.apply(pool.apply(call, address));
            } catch (XapiError e) {
                reply = failure.apply(e.description());
            }
            return fault != null ? null : reply;
        }
    }

    private static void reply(HttpExchange ex, int status, String type, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
