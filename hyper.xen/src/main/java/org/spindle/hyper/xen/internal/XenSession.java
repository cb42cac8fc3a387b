package org.spindle.hyper.xen.internal;

import java.io.IOException;
import java.net.URL;

import org.apache.xmlrpc.XmlRpcException;
import org.apache.xmlrpc.client.XmlRpcHttpTransportException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spindle.storage.api.StorageException;
import org.spindle.support.io.BoundedInputStream;

import com.xensource.xenapi.Connection;
import com.xensource.xenapi.Session;
import com.xensource.xenapi.Types;

/**
 * The pool's session, through the XenAPI SDK over XML-RPC: logged in lazily, reused by every call, logged in
 * again once when a call meets SESSION_INVALID (the master restarted or expired it), redirected to the master
 * named by HOST_IS_SLAVE (same port), logged out on close.
 */
final class XenSession implements XenClient {
    private static final Logger LOG = LoggerFactory.getLogger(XenSession.class);
    private static final String API_VERSION = "2.21";
    private static final int MAX_REDIRECTS = 3;

    private final PoolSettings settings;
    private final XenTls tls;
    private String master;
    private Connection connection;

    XenSession(PoolSettings settings, XenTls tls) {
        this.settings = settings;
        this.tls = tls;
        this.master = settings.url().getHost();
    }

    /** The host the session talks to now (the configured one, or the master a redirect named). */
    synchronized String master() {
        return master;
    }

    private synchronized Connection connection() {
        if (connection == null) {
            connection = login();
        }
        return connection;
    }

    private synchronized void drop(Connection stale) {
        if (connection == stale) {
            connection = null;
        }
    }

    private Connection login() {
        int port = settings.url().getPort() < 0 ? 443 : settings.url().getPort();
        for (int i = 0; ; i++) {
            URL url = tls.url(master, port);
            Connection c = new Connection(url, (int) settings.replyTimeout().toSeconds(), 30);
            try {
                Session.loginWithPassword(c, settings.user(), settings.password().reveal(), API_VERSION, "spindle");
                LOG.info("Xen pool {}: logged in at {}", settings.pool(), master);
                return c;
            } catch (Types.HostIsSlave e) {
                if (i >= MAX_REDIRECTS) {
                    throw new StorageException(StorageException.Reason.UNAVAILABLE, "Xen pool " + settings.pool()
                            + ": too many HOST_IS_SLAVE redirects (last to " + e.masterIPAddress + ")");
                }
                LOG.info("Xen pool {}: {} is not the master, following HOST_IS_SLAVE to {}", settings.pool(), master, e.masterIPAddress);
                master = e.masterIPAddress;
            } catch (Types.SessionAuthenticationFailed e) {
                throw new StorageException(StorageException.Reason.AUTHENTICATION, "xen.user",
                        "Xen pool " + settings.pool() + ": the master refused the login of " + settings.user(), null);
            } catch (Exception e) {
                throw failure("session.login_with_password", e);
            }
        }
    }

    @Override
    public <T> T call(String what, Call<T> call) {
        Connection c = connection();
        try {
            return call.run(c);
        } catch (Types.SessionInvalid e) {
            LOG.info("Xen pool {}: session invalid, logging in again", settings.pool());
            drop(c);
            try {
                return call.run(connection());
            } catch (Exception again) {
                throw failure(what, again);
            }
        } catch (StorageException e) {
            throw e;
        } catch (Exception e) {
            throw failure(what, e);
        }
    }

    @Override
    public String get(String what, String host, String pathAndQuery) {
        int port = settings.url().getPort() < 0 ? 443 : settings.url().getPort();
        for (int attempt = 0; ; attempt++) {
            Connection c = connection();
            java.net.URI uri = java.net.URI.create("https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + pathAndQuery
                    + (pathAndQuery.contains("?") ? "&" : "?") + "session_id=" + java.net.URLEncoder.encode(c.getSessionReference(),
                    java.nio.charset.StandardCharsets.UTF_8));
            XenTls.Got r;
            try {
                r = tls.get(uri, settings.replyTimeout());
            } catch (IOException e) {
                throw failure(what, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StorageException(StorageException.Reason.UNAVAILABLE, "Xen pool " + settings.pool() + ": " + what + " interrupted");
            }
            if (r.status() == 401 && attempt == 0) {
                LOG.info("Xen pool {}: {} refused the session, logging in again", settings.pool(), host);
                drop(c);
                continue;
            }
            if (r.status() != 200) {
                throw new StorageException(StorageException.Reason.BACKEND_FAILURE, null, "Xen pool " + settings.pool() + ": " + what
                        + " at " + host + " answered HTTP " + r.status(), null);
            }
            return r.body();
        }
    }

    /**
     * A failure as one line naming the call: a XenAPI error with its code and parameters (XenAPI sends no secrets in
     * them; a session reference is masked all the same), a reply that is too large or not XenAPI's XML-RPC, a value
     * of another type than the call returns, or a transport failure. Whatever came from the pool is cut to
     * {@value BoundedReply#MESSAGE_MAX} characters on one line.
     */
    StorageException failure(String what, Exception e) {
        String prefix = "Xen pool " + settings.pool() + ": " + what;
        if (e instanceof Types.SessionInvalid) {
            return new StorageException(StorageException.Reason.UNAVAILABLE, null, prefix + " failed: SESSION_INVALID twice", null);
        }
        if (e instanceof Types.XenAPIException x) {
            String detail = x.errorDescription != null ? String.join(" ", x.errorDescription) : fields(x);
            return new StorageException(StorageException.Reason.BACKEND_FAILURE, null, prefix + " failed: " + masked(detail), null);
        }
        Integer status = httpStatus(e);
        if (status != null && status == 500) {
            // xapi answers HTTP 500 to a request it cannot parse (wire reference §2.1): refused, not run; the same fails again
            return new StorageException(StorageException.Reason.BACKEND_FAILURE, null, prefix
                    + " was refused by the pool: HTTP 500, xapi's answer to a request it cannot parse (the call did not run)", null);
        }
        if (malformed(e)) {
            return new StorageException(StorageException.Reason.BACKEND_FAILURE, null, prefix
                    + " failed: the pool's reply was refused (" + masked(BoundedReply.describe(e)) + ")", null);
        }
        if (e instanceof ClassCastException || e instanceof NumberFormatException || e instanceof NullPointerException
                || e instanceof IllegalArgumentException) {
            return new StorageException(StorageException.Reason.BACKEND_FAILURE, null, prefix
                    + " failed: the pool answered a value of another type or form than XenAPI's (" + masked(BoundedReply.describe(e)) + ")", null);
        }
        if (e instanceof XmlRpcException || e instanceof IOException) {
            return new StorageException(StorageException.Reason.UNAVAILABLE, null,
                    prefix + " did not complete (" + masked(BoundedReply.describe(e)) + ")", null);
        }
        return new StorageException(StorageException.Reason.BACKEND_FAILURE, null,
                prefix + " failed: " + masked(BoundedReply.clip(e.toString())), null);
    }

    /** The HTTP status of a reply that was not a 2xx, if that is what failed. */
    private static Integer httpStatus(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof XmlRpcHttpTransportException h) {
                return h.getStatusCode();
            }
        }
        return null;
    }

    /** A reply that arrived but was refused: over the limit, an HTML page, not XML, not XML-RPC, a fault not XenAPI's. */
    private static boolean malformed(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BoundedInputStream.TooLarge || t instanceof org.xml.sax.SAXException) {
                return true;
            }
            String m = t.getMessage();
            if (m != null && (m.startsWith("Failed to parse server's response") || m.contains("with an HTML page")
                    || m.startsWith("Expected ") || m.startsWith("Server returned HTTP"))) {
                return true;
            }
        }
        return e instanceof XmlRpcException x && x.code != 0; // an XML-RPC fault: xapi answers faults in its own struct
    }

    /** {@code s} without the session's reference, cut to a bounded length. */
    private String masked(String s) {
        String out = BoundedReply.clip(s);
        Connection c;
        synchronized (this) {
            c = connection;
        }
        String ref = c == null ? null : c.getSessionReference();
        return ref == null || ref.isEmpty() ? out : out.replace(ref, "<session>");
    }

    /** An SDK error class with its public fields (the SDK parses known codes into them and keeps no description). */
    private static String fields(Types.XenAPIException x) {
        StringBuilder b = new StringBuilder(x.getClass().getSimpleName());
        for (java.lang.reflect.Field f : x.getClass().getFields()) {
            if (f.getType() == String.class && !java.lang.reflect.Modifier.isStatic(f.getModifiers())
                    && !f.getName().equals("shortDescription")) {
                try {
                    b.append(' ').append(f.getName()).append('=').append(f.get(x));
                } catch (IllegalAccessException e) {
                    // a field we may not read: left out
                }
            }
        }
        return b.toString();
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            try {
                Session.logout(connection);
            } catch (Exception e) {
                LOG.debug("Xen pool {}: logout failed: {}", settings.pool(), e.toString());
            }
            connection = null;
        }
    }
}
