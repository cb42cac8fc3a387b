package org.spindle.driver.solidfire.internal.element;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spindle.driver.solidfire.internal.element.ElementTransportException.Kind;
import org.spindle.storage.api.Secret;
import org.spindle.support.tls.PinnedTrustManager;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One cluster's JSON-RPC endpoint: {@code POST https://<mvip>/json-rpc/<version>} with HTTP Basic auth and the
 * envelope {@code {"method","params","id"}}. Answers are {@code {"id","result"}} or
 * {@code {"error":{"code","name","message"}}}; errors become {@link ElementException}, 401 becomes
 * {@link ElementAuthException}, everything else {@link ElementTransportException}.
 *
 * <p>Retries, with exponential backoff: transient error names ({@link TransientErrors}, refused before any
 * change) for every method; failed connections (nothing sent) for every method; lost answers only for methods
 * that are safe to repeat (not {@link #NOT_IDEMPOTENT}: a repeated CreateVolume would make a second volume, so
 * the caller looks the volume up instead).
 *
 * <p>Never logs parameters or bodies; the password only ever travels in the Authorization header.
 */
public final class ElementClient {
    private static final Logger LOG = LoggerFactory.getLogger(ElementClient.class);

    /** Methods that must not be repeated blindly after a lost answer. */
    public static final Set<String> NOT_IDEMPOTENT = Set.of("CreateVolume", "AddAccount", "CreateVolumeAccessGroup",
            "CloneVolume", "CreateSnapshot");

    /** Sleeps between attempts; replaceable so that tests need not wait. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final HttpClient http;
    private final String base;
    private final String mvip;
    private final String user;
    private final Secret authorization;
    private final Duration requestTimeout;
    private final RetryPolicy retry;
    private final Sleeper sleeper;
    private final ObjectMapper json;
    private final ReplyReader replies;
    private final AtomicLong ids;

    /**
     * @param mvip           {@code host:port} of the management address
     * @param connectTimeout how long to wait for a TCP + TLS connection
     * @param requestTimeout how long to wait for an answer
     */
    public ElementClient(String mvip, String user, Secret password, SSLContext tls, Duration connectTimeout,
                         Duration requestTimeout, RetryPolicy retry, ObjectMapper json) {
        this(mvip, user, password, tls, connectTimeout, requestTimeout, retry, json, ReplyReader.DEFAULT_MAX_BYTES);
    }

    /** @param maxReplyBytes the longest answer read; a longer one is cut off while it streams in and fails OVERSIZED */
    public ElementClient(String mvip, String user, Secret password, SSLContext tls, Duration connectTimeout,
                         Duration requestTimeout, RetryPolicy retry, ObjectMapper json, long maxReplyBytes) {
        this(HttpClient.newBuilder().sslContext(tls).connectTimeout(connectTimeout).version(HttpClient.Version.HTTP_1_1)
                        .followRedirects(HttpClient.Redirect.NEVER).build(),
                mvip, user, basic(user, password), requestTimeout, retry, d -> Thread.sleep(d.toMillis()), json,
                new ReplyReader(json, maxReplyBytes), new AtomicLong());
    }

    private ElementClient(HttpClient http, String mvip, String user, Secret authorization, Duration requestTimeout,
                          RetryPolicy retry, Sleeper sleeper, ObjectMapper json, ReplyReader replies, AtomicLong ids) {
        this.http = http;
        this.mvip = mvip;
        this.base = "https://" + mvip + "/json-rpc/";
        this.user = user;
        this.authorization = authorization;
        this.requestTimeout = requestTimeout;
        this.retry = retry;
        this.sleeper = sleeper;
        this.json = json;
        this.replies = replies;
        this.ids = ids;
    }

    private static Secret basic(String user, Secret password) {
        return Secret.of("Basic " + Base64.getEncoder().encodeToString(
                (user + ":" + password.reveal()).getBytes(StandardCharsets.UTF_8)));
    }

    /** The same endpoint and connection pool with another retry policy. */
    public ElementClient withRetry(RetryPolicy policy) {
        return new ElementClient(http, mvip, user, authorization, requestTimeout, policy, sleeper, json, replies, ids);
    }

    /** The same endpoint with another sleeper (tests). */
    public ElementClient withSleeper(Sleeper s) {
        return new ElementClient(http, mvip, user, authorization, requestTimeout, retry, s, json, replies, ids);
    }

    public String mvip() {
        return mvip;
    }

    public String user() {
        return user;
    }

    public ObjectMapper json() {
        return json;
    }

    /** The longest answer this client reads, in bytes. */
    public long maxReplyBytes() {
        return replies.maxBytes();
    }

    /**
     * Calls {@code method} at API {@code version} and returns its {@code result}.
     *
     * @param redact secrets sent in {@code params}: masked in any error text the cluster sends back
     */
    public JsonNode call(String version, String method, ObjectNode params, Secret... redact) {
        byte[] body = envelope(method, params);
        for (int attempt = 0; ; attempt++) {
            long started = System.nanoTime();
            try {
                JsonNode result = attempt(version, method, body, redact);
                if (LOG.isDebugEnabled()) {
                    LOG.debug("Element {} at {} ok in {} ms{}", method, mvip, (System.nanoTime() - started) / 1_000_000,
                            attempt > 0 ? " (attempt " + (attempt + 1) + ")" : "");
                }
                return result;
            } catch (ElementFailure f) {
                if (attempt >= retry.retries() || !retryable(method, f)) {
                    throw f;
                }
                Duration wait = retry.delay(attempt);
                LOG.warn("Element {} at {} failed ({}); retry {}/{} in {} ms", method, mvip, f.getMessage(), attempt + 1,
                        retry.retries(), wait.toMillis());
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw f;
                }
            }
        }
    }

    static boolean retryable(String method, ElementFailure f) {
        if (f instanceof ElementException e) {
            return TransientErrors.isTransient(e.name());
        }
        if (f instanceof ElementTransportException t) {
            return switch (t.kind()) {
                case UNREACHABLE -> true;
                case TIMEOUT, NO_RESPONSE, BAD_RESPONSE -> !NOT_IDEMPOTENT.contains(method);
                case TLS, INTERRUPTED, OVERSIZED, MALFORMED -> false;
            };
        }
        return false;
    }

    private byte[] envelope(String method, ObjectNode params) {
        ObjectNode env = json.createObjectNode();
        env.put("method", method);
        env.set("params", params == null ? json.createObjectNode() : params);
        env.put("id", ids.incrementAndGet());
        try {
            return json.writeValueAsBytes(env);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize the " + method + " request", e);
        }
    }

    private JsonNode attempt(String version, String method, byte[] body, Secret[] redact) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + version))
                .timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .header("Authorization", authorization.reveal())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        BoundedBody.Exchange exchange = replies.exchange();
        CompletableFuture<HttpResponse<byte[]>> sent = http.sendAsync(request, exchange);
        HttpResponse<byte[]> response;
        try {
            // the whole answer, body included, within the request timeout: the client's own timeout ends at the headers
            response = sent.get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            exchange.abort();
            sent.cancel(true);
            throw new ElementTransportException(method, Kind.TIMEOUT, method + " to " + mvip + ": no answer within "
                    + requestTimeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            exchange.abort();
            sent.cancel(true);
            Thread.currentThread().interrupt();
            throw new ElementTransportException(method, Kind.INTERRUPTED, method + " to " + mvip + " interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw transportFailure(method, cause instanceof IOException io ? io : new IOException(cause.getMessage(), cause));
        }
        return replies.result(method, mvip, user, response, redact);
    }

    private ElementTransportException transportFailure(String method, IOException e) {
        BoundedBody.TooLarge tooLarge = cause(e, BoundedBody.TooLarge.class);
        if (tooLarge != null) {
            return replies.oversized(method, mvip, tooLarge, e);
        }
        PinnedTrustManager.PinMismatchException pin = cause(e, PinnedTrustManager.PinMismatchException.class);
        if (pin != null) {
            return new ElementTransportException(method, Kind.TLS, "TLS: " + mvip + " is not the pinned cluster: "
                    + pin.getMessage(), e);
        }
        SSLHandshakeException handshake = cause(e, SSLHandshakeException.class);
        if (handshake != null) {
            return new ElementTransportException(method, Kind.TLS, "TLS handshake with " + mvip + " failed: "
                    + oneLine(handshake.getMessage()), e);
        }
        if (cause(e, HttpConnectTimeoutException.class) != null) {
            return new ElementTransportException(method, Kind.UNREACHABLE, "cannot connect to " + mvip
                    + ": timed out", e);
        }
        if (cause(e, HttpTimeoutException.class) != null) {
            return new ElementTransportException(method, Kind.TIMEOUT, method + " to " + mvip + ": no answer within "
                    + requestTimeout.toMillis() + " ms", e);
        }
        if (cause(e, ConnectException.class) != null) {
            return new ElementTransportException(method, Kind.UNREACHABLE, "cannot connect to " + mvip + ": "
                    + oneLine(cause(e, ConnectException.class).getMessage()), e);
        }
        return new ElementTransportException(method, Kind.NO_RESPONSE, method + " to " + mvip
                + ": the connection closed without an answer (" + oneLine(e.getMessage()) + ")", e);
    }

    private static String oneLine(String s) {
        return ReplyReader.line(s);
    }

    private static <T extends Throwable> T cause(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "ElementClient[" + user + "@" + mvip + "]";
    }
}
