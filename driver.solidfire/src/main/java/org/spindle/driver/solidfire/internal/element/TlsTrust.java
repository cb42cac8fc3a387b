package org.spindle.driver.solidfire.internal.element;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

import org.spindle.storage.api.Secret;
import org.spindle.support.tls.PinnedTrustManager;

/** Builds the client {@link SSLContext}: a pinned certificate, or a trust store with host name verification. No trust-all. */
public final class TlsTrust {
    private TlsTrust() {
    }

    /** Trusts exactly the certificate whose SHA-256 is {@code sha256Hex}. */
    public static SSLContext pinned(String sha256Hex) throws GeneralSecurityException {
        return context(new TrustManager[] {new PinnedTrustManager(sha256Hex)});
    }

    /**
     * Trusts the certificates of a trust store (PKCS12 or JKS, detected). The JDK's trust manager is an
     * extended one, so the HTTP client's endpoint identification checks the host name against the certificate.
     */
    public static SSLContext truststore(Path file, Secret password) throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance(file.toFile(), password == null ? null : password.reveal().toCharArray());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        return context(tmf.getTrustManagers());
    }

    private static SSLContext context(TrustManager[] tms) throws GeneralSecurityException {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tms, null);
        return ctx;
    }
}
