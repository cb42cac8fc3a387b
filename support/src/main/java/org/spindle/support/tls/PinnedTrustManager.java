package org.spindle.support.tls;

import java.net.Socket;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts exactly one server certificate, named by the SHA-256 of its DER encoding. The pin is the server's
 * identity, so no chain or host name is checked (SAN clusters, xapi pools and vCenters usually have self-signed
 * certificates, often addressed by IP). Being an {@link X509ExtendedTrustManager}, JSSE does not wrap it with its
 * own host name check.
 */
public final class PinnedTrustManager extends X509ExtendedTrustManager {
    private static final HexFormat HEX = HexFormat.of();

    /** The certificate did not match the pin; the message shows both fingerprints (public values). */
    public static final class PinMismatchException extends CertificateException {
        private static final long serialVersionUID = 1L;

        PinMismatchException(String message) {
            super(message);
        }
    }

    private final byte[] pin;

    /** @param sha256Hex 64 hex digits, with or without ':' separators, any case */
    public PinnedTrustManager(String sha256Hex) {
        this.pin = HEX.parseHex(normalize(sha256Hex));
        if (pin.length != 32) {
            throw new IllegalArgumentException("a SHA-256 fingerprint has 32 bytes (64 hex digits)");
        }
    }

    /** Lower-case hex without separators; throws IllegalArgumentException when it is not 64 hex digits. */
    public static String normalize(String sha256Hex) {
        String s = sha256Hex.strip().replace(":", "").toLowerCase(java.util.Locale.ROOT);
        if (!s.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("must be 64 hex digits (SHA-256 of the certificate, colons allowed)");
        }
        return s;
    }

    public static String fingerprint(X509Certificate cert) throws CertificateEncodingException {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private void check(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the server sent no certificate");
        }
        String actual = fingerprint(chain[0]);
        if (!MessageDigest.isEqual(HEX.parseHex(actual), pin)) {
            throw new PinMismatchException("the server certificate has SHA-256 " + actual
                    + ", not the pinned " + HEX.formatHex(pin));
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
        throw new CertificateException("not a server-side trust manager");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("not a server-side trust manager");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("not a server-side trust manager");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
