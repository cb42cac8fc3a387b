package org.spindle.hyper.xen.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.spindle.support.io.BoundedInputStream;

/**
 * The connection the SDK's XML-RPC transport gets for each call: the request is sent once through
 * {@link HttpClient}, with the pool's TLS trust. The JDK's own {@code HttpURLConnection} would silently send a POST
 * a second time when the first reply is lost, so a non-idempotent call such as {@code SR.create} could run twice
 * (seen against the simulator's lost-reply fault: the second SR.create met the SR the first had made).
 * <p>
 * The reply is handed to the XML-RPC parser as it streams in, cut off at the pool's reply limit
 * ({@link BoundedReply}); a reply that is not a 2xx, or that is an HTML page, is refused without reading its body.
 * No {@code Content-Encoding} is passed on: Spindle asks for none, and a compressed reply would be decompressed past
 * the limit.
 */
final class XenHttpConnection extends HttpURLConnection {
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");
    private final HttpClient client;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final long maxReply;
    private HttpResponse<InputStream> response;

    XenHttpConnection(URL url, HttpClient client, long maxReply) {
        super(url);
        this.client = client;
        this.maxReply = maxReply;
        this.method = "POST";
    }

    @Override
    public void connect() {
        connected = true;
    }

    @Override
    public void setRequestProperty(String key, String value) {
        headers.put(key, value);
    }

    @Override
    public OutputStream getOutputStream() {
        return body;
    }

    private HttpResponse<InputStream> send() throws IOException {
        if (response == null) {
            HttpRequest.Builder b;
            try {
                b = HttpRequest.newBuilder(url.toURI());
            } catch (URISyntaxException e) {
                throw new IOException(e);
            }
            headers.forEach((k, v) -> {
                if (!RESTRICTED.contains(k.toLowerCase(Locale.ROOT))) {
                    b.header(k, v);
                }
            });
            if (getReadTimeout() > 0) {
                b.timeout(Duration.ofMillis(getReadTimeout()));
            }
            try {
                response = client.send(b.POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                        HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted");
            }
            if (response.statusCode() / 100 != 2 || html(response)) {
                response.body().close(); // whatever an error page holds is not read
            }
        }
        return response;
    }

    private static boolean html(HttpResponse<?> r) {
        return r.headers().firstValue("Content-Type").map(t -> t.toLowerCase(Locale.ROOT).contains("html")).orElse(false);
    }

    @Override
    public InputStream getInputStream() throws IOException {
        HttpResponse<InputStream> r = send();
        if (r.statusCode() / 100 != 2) {
            throw new IOException("HTTP " + r.statusCode() + " from " + url.getHost() + " (its body was not read)");
        }
        if (html(r)) {
            throw new IOException("HTTP " + r.statusCode() + " from " + url.getHost() + " with an HTML page (" + BoundedReply.clip(
                    r.headers().firstValue("Content-Type").orElse("")) + "), not an XML-RPC reply; its body was not read");
        }
        return new BoundedInputStream(r.body(), maxReply);
    }

    @Override
    public int getResponseCode() throws IOException {
        return send().statusCode();
    }

    @Override
    public String getResponseMessage() {
        return response == null ? "" : response.statusCode() + " from " + url.getHost() + " (its body was not read)";
    }

    @Override
    public String getHeaderField(String name) {
        if (response == null || "content-encoding".equalsIgnoreCase(name)) {
            return null;
        }
        return response.headers().firstValue(name).orElse(null);
    }

    @Override
    public void disconnect() {
        // HttpClient keeps its own connections
    }

    @Override
    public boolean usingProxy() {
        return false;
    }
}
