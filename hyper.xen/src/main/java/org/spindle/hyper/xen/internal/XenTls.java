package org.spindle.hyper.xen.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.Socket;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.net.http.HttpClient;
import java.time.Duration;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

import org.spindle.storage.api.StorageException;

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
                ctx.init(null, new TrustManager[] {new Pinned(HexFormat.of().parseHex(s.fingerprint()))}, null);
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
        return new Got(200, new String(BoundedReply.readAll(r.body(), maxReply), java.nio.charset.StandardCharsets.UTF_8));
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

    /** Trusts exactly the certificate whose DER encoding has the pinned SHA-256. */
    static final class Pinned extends X509ExtendedTrustManager {
        private final byte[] pin;

        Pinned(byte[] pin) {
            this.pin = pin.clone();
        }

        private void check(X509Certificate[] chain) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new CertificateException("the pool sent no certificate");
            }
            try {
                byte[] actual = MessageDigest.getInstance("SHA-256").digest(chain[0].getEncoded());
                if (!MessageDigest.isEqual(actual, pin)) {
                    throw new CertificateException("the pool's certificate has SHA-256 " + HexFormat.of().formatHex(actual)
                            + ", not the pinned " + HexFormat.of().formatHex(pin));
                }
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new CertificateException(e);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client certificates are not trusted here");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("client certificates are not trusted here");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("client certificates are not trusted here");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
