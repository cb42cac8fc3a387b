package org.spindle.hyper.xen.internal;

import java.io.ByteArrayInputStream;
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

/**
 * The connection the SDK's XML-RPC transport gets for each call: the request is sent once through
 * {@link HttpClient}, with the pool's TLS trust. The JDK's own {@code HttpURLConnection} would silently send a POST
 * a second time when the first reply is lost, so a non-idempotent call such as {@code SR.create} could run twice
 * (seen against the simulator's lost-reply fault: the second SR.create met the SR the first had made).
 */
final class XenHttpConnection extends HttpURLConnection {
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");
    private final HttpClient client;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final Map<String, String> headers = new LinkedHashMap<>();
    private HttpResponse<byte[]> response;

    XenHttpConnection(URL url, HttpClient client) {
        super(url);
        this.client = client;
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

    private HttpResponse<byte[]> send() throws IOException {
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
                        HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted");
            }
        }
        return response;
    }

    @Override
    public InputStream getInputStream() throws IOException {
        HttpResponse<byte[]> r = send();
        if (r.statusCode() >= 400) {
            throw new IOException("HTTP " + r.statusCode() + " from " + url.getHost());
        }
        return new ByteArrayInputStream(r.body());
    }

    @Override
    public int getResponseCode() throws IOException {
        return send().statusCode();
    }

    @Override
    public String getResponseMessage() {
        return "";
    }

    @Override
    public String getHeaderField(String name) {
        return response == null ? null : response.headers().firstValue(name).orElse(null);
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
