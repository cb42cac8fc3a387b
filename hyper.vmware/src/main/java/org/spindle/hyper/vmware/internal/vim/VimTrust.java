package org.spindle.hyper.vmware.internal.vim;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

import org.spindle.storage.api.StorageException;
import org.spindle.support.tls.PinnedTrustManager;

/**
 * How the vCenter's TLS certificate is trusted: either its SHA-256 fingerprint is pinned (the server's leaf
 * certificate must have exactly that fingerprint; vCenter's own certificates seldom name the address they are
 * reached by, so no host name is checked then), or a trust store file holds the CA that signed it (verified the
 * usual way, host name included). There is no way to trust everything.
 */
public sealed interface VimTrust {
    Pattern FINGERPRINT = Pattern.compile("[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){31}");

    SSLContext sslContext();

    /** Trust exactly the certificate whose SHA-256 fingerprint is {@code fingerprint} (AA:BB:… form). */
    static VimTrust pinned(String fingerprint) {
        if (fingerprint == null || !FINGERPRINT.matcher(fingerprint.trim()).matches()) {
            throw StorageException.invalid("tls.fingerprint", "must be a SHA-256 fingerprint: 32 hex byte pairs separated by ':'");
        }
        return new Pinned(fingerprint.trim().toUpperCase(Locale.ROOT));
    }

    /** Trust the CAs in a PKCS12 or JKS trust store file. */
    static VimTrust store(Path file, char[] password) {
        if (file == null || !Files.isReadable(file)) {
            throw StorageException.invalid("tls.truststore", "must be a readable trust store file (was '" + ReplyLimit.clip(String.valueOf(file)) + "')");
        }
        return new Store(file, password == null ? new char[0] : password.clone());
    }

    record Pinned(String fingerprint) implements VimTrust {
        @Override
        public SSLContext sslContext() {
            try {
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(null, new TrustManager[] {new PinnedTrustManager(fingerprint)}, new SecureRandom());
                return ctx;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("TLS is not available: " + e.getMessage(), e);
            }
        }
    }

    final class Store implements VimTrust {
        private final Path file;
        private final char[] password;

        Store(Path file, char[] password) {
            this.file = file;
            this.password = password;
        }

        @Override
        public SSLContext sslContext() {
            try (InputStream in = Files.newInputStream(file)) {
                KeyStore ks = KeyStore.getInstance(file.toString().endsWith(".jks") ? "JKS" : "PKCS12");
                ks.load(in, password);
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(ks);
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(null, tmf.getTrustManagers(), new SecureRandom());
                return ctx;
            } catch (IOException | GeneralSecurityException e) {
                throw StorageException.invalid("tls.truststore", "cannot be read: " + ReplyLimit.clip(e.getMessage()));
            }
        }

        @Override
        public String toString() {
            return "Store[" + file + "]";
        }
    }

    /** The SHA-256 fingerprint of a certificate in the pinned form. */
    static String fingerprintOf(X509Certificate cert) throws CertificateException {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(d);
        } catch (GeneralSecurityException e) {
            throw new CertificateException(e);
        }
    }
}
