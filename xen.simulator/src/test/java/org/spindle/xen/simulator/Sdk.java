package org.spindle.xen.simulator;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.security.KeyStore;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import com.xensource.xenapi.Connection;
import com.xensource.xenapi.Session;

/**
 * The XenAPI SDK's client, and TLS for hand-written clients, trusting exactly the simulator's certificate (no JVM-wide
 * TLS default is touched).
 */
final class Sdk {
    private Sdk() {
    }

    /** TLS that trusts exactly the simulator's certificate, for the SDK and for hand-written clients. */
    static SSLContext trusting(XenSimulator sim) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("xen", sim.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    static Connection connect(XenSimulator sim, String url) throws Exception {
        SSLContext ctx = trusting(sim);
        URLStreamHandler handler = new URLStreamHandler() {
            @Override
            protected URLConnection openConnection(URL u) throws IOException {
                HttpsURLConnection c = (HttpsURLConnection) new URL("https", u.getHost(), u.getPort(), u.getFile()).openConnection();
                c.setSSLSocketFactory(ctx.getSocketFactory());
                return c;
            }
        };
        return new Connection(url(url, handler), 30, 10);
    }

    private static URL url(String url, URLStreamHandler handler) throws MalformedURLException {
        return new URL(null, url, handler);
    }

    static Connection login(XenSimulator sim) throws Exception {
        Connection c = connect(sim, sim.url());
        Session.loginWithPassword(c, "root", sim.password(), "2.21", "spindle-test");
        return c;
    }
}
