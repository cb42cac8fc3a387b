package org.spindle.hyper.xen.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.net.http.HttpClient;
import java.time.Duration;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

import org.spindle.storage.api.StorageException;
import org.spindle.support.tls.PinnedTrustManager;
import org.spindle.support.io.BoundedInputStream;

/**
 * TLS to one pool, trusting a pinned certificate or a trust store, never everything. The XenAPI SDK opens its
 * connections with {@code URL.openConnection()}, so the pool's URLs carry a handler that answers with a
 * {@link XenHttpConnection} on this pool's {@link HttpClient}: no JVM-wide default is changed. A pinned
 * certificate is the pool's identity (masters are usually addressed by IP, with self-signed certificates), so its
 * trust manager, an {@link X509ExtendedTrustManager}, checks the pin and no host name; a trust store checks both.
 */
final class XenTls {
    private final HttpClient http;
    private final long maxReply;

    private XenTls(SSLContext context, long maxReply) {
        SafeSax.install();
        this.maxReply = maxReply;
        this.http = HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(30))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    static XenTls of(PoolSettings s) {
        return of(s, BoundedReply.DEFAULT_MAX);
    }

    /** With a reply limit of {@code maxReply} bytes (tests make it small). */
    static XenTls of(PoolSettings s, long maxReply) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            if (s.fingerprint() != null) {
                ctx.init(null, new TrustManager[] {new PinnedTrustManager(s.fingerprint())}, null);
                return new XenTls(ctx, maxReply);
            }
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            try (InputStream in = Files.newInputStream(s.trustStore())) {
                ks.load(in, s.trustStorePassword() == null ? null : s.trustStorePassword().reveal().toCharArray());
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            ctx.init(null, tmf.getTrustManagers(), null);
            return new XenTls(ctx, maxReply);
        } catch (GeneralSecurityException | IOException e) {
            throw StorageException.invalid("tls.truststore", "cannot be loaded: " + e.getMessage());
        }
    }

    /** A GET's answer: its status and, for a 200, its body (UTF-8, at most the reply limit). */
    record Got(int status, String body) {
    }

    /** A GET over this pool's trust; the body of a 200 is read up to the reply limit, any other body not at all. */
    Got get(java.net.URI uri, Duration timeout) throws IOException, InterruptedException {
        java.net.http.HttpResponse<InputStream> r = http.send(java.net.http.HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) {
            r.body().close();
            return new Got(r.statusCode(), null);
        }
        return new Got(200, new String(BoundedInputStream.readAll(r.body(), maxReply), java.nio.charset.StandardCharsets.UTF_8));
    }

    /** {@code https://host:port/} whose connections use this pool's trust. */
    URL url(String host, int port) {
        URLStreamHandler handler = new URLStreamHandler() {
            @Override
            protected URLConnection openConnection(URL u) {
                return new XenHttpConnection(u, http, maxReply);
            }
        };
        try {
            return new URL(null, "https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/", handler);
        } catch (MalformedURLException e) {
            throw StorageException.invalid("xen.url", "bad host " + host);
        }
    }
}
