package org.spindle.hyper.vmware.internal.vim;

import static org.spindle.hyper.vmware.internal.vim.Xml.child;
import static org.spindle.hyper.vmware.internal.vim.Xml.children;
import static org.spindle.hyper.vmware.internal.vim.Xml.ref;
import static org.spindle.hyper.vmware.internal.vim.Xml.text;

import java.io.IOException;
import java.io.InputStream;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

import org.spindle.storage.api.Secret;
import org.spindle.storage.api.StorageException;
import org.spindle.support.io.BoundedInputStream;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * One logged-in session with a vCenter (or ESXi host) over its SOAP API, on the JDK's HTTP client. The session
 * cookie is kept and reused for every call; when the server answers NotAuthenticated (the session expired or
 * vCenter restarted) it logs in again once and repeats the call. {@link #close()} logs out.
 * <p>
 * A reply is parsed as it streams in, cut off at the reply limit ({@link ReplyLimit}); a status other than 200 (a
 * reply) or 500 (a SOAP fault), or an HTML page, is refused without reading its body; a reply that is not a SOAP
 * envelope is refused. Each refusal is a {@link StorageException} naming the method, at most a few hundred
 * characters long, never with the session cookie or the password.
 */
public final class VimConnection implements AutoCloseable {
    /** The API version requested (SOAPAction); vCenter answers in that version's schema. */
    static final String API_VERSION = "6.5";
    private static final MoRef SERVICE_INSTANCE = new MoRef("ServiceInstance", "ServiceInstance");

    private final URI sdk;
    private final String user;
    private final Secret password;
    private final HttpClient http;
    private final Duration timeout;
    private final long maxReply;
    private volatile ServiceContent content;
    private volatile boolean loggedIn;

    public VimConnection(URI sdk, VimTrust trust, String user, Secret password, Duration timeout) {
        this(sdk, trust, user, password, timeout, ReplyLimit.DEFAULT_MAX);
    }

    /** With a limit of {@code maxReply} bytes for one reply (tests make it small). */
    public VimConnection(URI sdk, VimTrust trust, String user, Secret password, Duration timeout, long maxReply) {
        if (sdk == null || !"https".equals(sdk.getScheme()) || sdk.getHost() == null) {
            throw StorageException.invalid("vcenter.url", "must be an https URL such as https://vcenter.example.org/sdk (was '"
                    + sdk + "')");
        }
        this.sdk = sdk;
        this.user = user;
        this.password = password;
        this.timeout = timeout;
        this.maxReply = maxReply;
        this.http = HttpClient.newBuilder().sslContext(trust.sslContext()).cookieHandler(new CookieManager())
                .connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** The service content (managers and root folder), logging in first if needed. */
    public ServiceContent content() {
        ensureLoggedIn();
        return content;
    }

    private synchronized void ensureLoggedIn() {
        if (!loggedIn) {
            login();
        }
    }

    private synchronized void login() {
        Element rc = send("RetrieveServiceContent", SERVICE_INSTANCE);
        content = ServiceContent.of(child(rc, "returnval").orElseThrow(() -> new VimFault("InvalidResponse",
                "RetrieveServiceContent returned nothing", null)));
        send("Login", content.sessionManager());
        loggedIn = true;
    }

    /**
     * Calls {@code method} on {@code target} with the given argument elements (in schema order) and returns the
     * response element ({@code <methodResponse>}), whose {@code returnval} children hold the result.
     */
    public Element call(String method, MoRef target, Xml.El... args) {
        ensureLoggedIn();
        try {
            return send(method, target, args);
        } catch (VimFault f) {
            if (!f.is("NotAuthenticated")) {
                throw f;
            }
            relogin();
            return send(method, target, args);
        }
    }

    /** Ends the session this side knows of and logs in anew (after the server said NotAuthenticated). */
    synchronized void relogin() {
        loggedIn = false;
        login();
    }

    /** The first {@code returnval} of a call, if it returned one. */
    public Optional<Element> callForValue(String method, MoRef target, Xml.El... args) {
        return child(call(method, target, args), "returnval");
    }

    private Element send(String method, MoRef target, Xml.El... args) {
        StringBuilder body = new StringBuilder(512);
        body.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
                .append("<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"")
                .append(" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xmlns:xsi=\"").append(Xml.XSI).append("\">")
                .append("<soapenv:Body><").append(method).append(" xmlns=\"").append(Xml.VIM).append("\">");
        body.append(ref("_this", target));
        if ("Login".equals(method)) {
            // the password is written here only, straight into the request body
            body.append("<userName>").append(Xml.escape(user)).append("</userName>")
                    .append("<password>").append(Xml.escape(password.reveal())).append("</password>");
        } else {
            for (Xml.El a : args) {
                if (a != null) {
                    body.append(a);
                }
            }
        }
        body.append("</").append(method).append("></soapenv:Body></soapenv:Envelope>");
        HttpRequest request = HttpRequest.newBuilder(sdk).timeout(timeout)
                .header("Content-Type", "text/xml; charset=utf-8")
                .header("SOAPAction", "\"urn:vim25/" + API_VERSION + "\"")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)).build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new StorageException(StorageException.Reason.UNAVAILABLE, "vcenter.url",
                    "vCenter " + sdk.getHost() + " did not answer " + method + ": " + ReplyLimit.clip(e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException(StorageException.Reason.UNAVAILABLE, "interrupted while calling " + method);
        }
        String type = response.headers().firstValue("Content-Type").orElse("");
        int status = response.statusCode();
        Document doc;
        try (InputStream in = response.body()) {
            if (status != 200 && status != 500) {
                throw refused(method, "HTTP " + status + " (its body was not read)");
            }
            if (type.toLowerCase(Locale.ROOT).contains("html")) {
                throw refused(method, "an HTML page (HTTP " + status + ", " + ReplyLimit.clip(type) + "), not a SOAP reply; its body was not read");
            }
            doc = Xml.parse(new BoundedInputStream(in, maxReply));
        } catch (IOException e) {
            throw refused(method, "HTTP " + status + " and no SOAP reply: " + ReplyLimit.clip(e.getMessage()));
        }
        Element envelope = doc.getDocumentElement();
        if (!"Envelope".equals(envelope.getLocalName()) || !SOAP_ENV.equals(envelope.getNamespaceURI())) {
            throw refused(method, "XML that is not a SOAP envelope (<" + ReplyLimit.clip(envelope.getTagName()) + ">)");
        }
        doc.setUserData(Xml.METHOD, method, null);
        Element soapBody = child(envelope, "Body").orElseThrow(() -> refused(method, "a SOAP envelope without a body"));
        Optional<Element> fault = child(soapBody, "Fault");
        if (fault.isPresent()) {
            throw fault(fault.get(), method);
        }
        return children(soapBody).stream().findFirst().orElseThrow(() -> refused(method, "an empty SOAP body"));
    }

    private static final String SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/";

    private static StorageException refused(String method, String what) {
        return new StorageException(StorageException.Reason.BACKEND_FAILURE, null, "vCenter answered " + method + " with " + what, null);
    }

    static VimFault fault(Element fault) {
        return fault(fault, null);
    }

    /** The fault in a SOAP reply to {@code method} (null: unknown). */
    static VimFault fault(Element fault, String method) {
        String message = text(fault, "faultstring");
        Optional<Element> detail = child(fault, "detail").flatMap(d -> children(d).stream().findFirst());
        if (detail.isEmpty()) {
            return new VimFault("SoapFault", message, null, method);
        }
        String type = Xml.xsiType(detail.get());
        if (type.isEmpty()) {
            type = detail.get().getLocalName();
            if (type.endsWith("Fault") && !"SystemError".equals(type)) {
                type = type.substring(0, type.length() - "Fault".length());
            }
        }
        return new VimFault(type, message, text(detail.get(), "invalidProperty"), method);
    }

    /** Logs out; the next call logs in again. */
    @Override
    public synchronized void close() {
        if (loggedIn) {
            loggedIn = false;
            try {
                send("Logout", content.sessionManager());
            } catch (RuntimeException e) {
                // the session ends on the server's side anyway when it expires
            }
        }
    }

    @Override
    public String toString() {
        return "VimConnection[" + sdk + ", user " + user + "]";
    }
}
