package org.spindle.hyper.vmware.internal.vim;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.spindle.storage.api.Secret;
import org.spindle.storage.api.StorageException;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * A vCenter that answers what no vCenter would: a tiny HTTPS server (pinned like a real one) logs the client in and
 * then answers {@code CreateContainerView} with each hostile reply. Each gives a short, clear error naming the
 * method, without the password or the session cookie; the connection works for the next call. The reply limit is
 * 64 KiB here, so a reply without end proves the cut-off.
 */
class HostileVimTest {
    private static final long LIMIT = 64 << 10;
    private static final String PASSWORD = "Hostile-test-pass-9";
    private static final String COOKIE = "vmware_soap_session=\"52a1-secret-cookie\"";
    private static final String ENV = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope "
            + "xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
            + "<soapenv:Body>";
    private static final String END = "</soapenv:Body></soapenv:Envelope>";
    private static final Pattern METHOD = Pattern.compile("<soapenv:Body><(\\w+) ");

    @TempDir
    static Path dir;
    static HttpsServer server;
    static VimConnection vim;
    static Properties props;
    /** What the server answers CreateContainerView with now: status, content type, body, filler (endless when set). */
    static volatile String[] hostile;
    static final java.util.concurrent.atomic.AtomicInteger LOGINS = new java.util.concurrent.atomic.AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        Path store = dir.resolve("server.p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                "-alias", "s", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit", "-ext", "san=ip:127.0.0.1")
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "keytool");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        server.setHttpsConfigurator(new HttpsConfigurator(ctx));
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/sdk", HostileVimTest::handle);
        server.start();
        String pin = VimTrust.fingerprintOf((X509Certificate) ks.getCertificate("s"));
        vim = new VimConnection(URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/sdk"), VimTrust.pinned(pin),
                "administrator@vsphere.local", Secret.of(PASSWORD), Duration.ofSeconds(20), LIMIT);
        props = new Properties(vim);
    }

    @AfterAll
    static void stop() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    private static void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String request = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Matcher m = METHOD.matcher(request);
            String method = m.find() ? m.group(1) : "";
            String[] h = hostile;
            if (method.equals("CreateContainerView") && h != null) {
                hostile = null;
                send(ex, Integer.parseInt(h[0]), h[1], h[2], h[3]);
                return;
            }
            String reply = switch (method) {
                case "RetrieveServiceContent" -> "<RetrieveServiceContentResponse xmlns=\"urn:vim25\"><returnval>"
                        + "<rootFolder type=\"Folder\">group-d1</rootFolder><propertyCollector type=\"PropertyCollector\">pc</propertyCollector>"
                        + "<viewManager type=\"ViewManager\">vm</viewManager><about><apiVersion>6.5</apiVersion></about>"
                        + "<sessionManager type=\"SessionManager\">sm</sessionManager><searchIndex type=\"SearchIndex\">si</searchIndex>"
                        + "<fileManager type=\"FileManager\">fm</fileManager><virtualDiskManager type=\"VirtualDiskManager\">vdm"
                        + "</virtualDiskManager><perfManager type=\"PerformanceManager\">pm</perfManager></returnval>"
                        + "</RetrieveServiceContentResponse>";
                case "Login" -> "<LoginResponse xmlns=\"urn:vim25\"><returnval><key>52a1</key></returnval></LoginResponse>";
                case "CreateContainerView" -> "<CreateContainerViewResponse xmlns=\"urn:vim25\"><returnval type=\"ContainerView\">"
                        + "session[52a1]view</returnval></CreateContainerViewResponse>";
                case "RetrievePropertiesEx" -> "<RetrievePropertiesExResponse xmlns=\"urn:vim25\"></RetrievePropertiesExResponse>";
                default -> "<" + method + "Response xmlns=\"urn:vim25\"/>";
            };
            if (method.equals("Login")) {
                LOGINS.incrementAndGet();
                ex.getResponseHeaders().set("Set-Cookie", COOKIE + "; Path=/; HttpOnly; Secure");
            }
            send(ex, 200, "text/xml; charset=utf-8", ENV + reply + END, null);
        }
    }

    private static void send(HttpExchange ex, int status, String type, String body, String filler) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, filler == null ? b.length : 0);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
            byte[] f = filler == null ? null : filler.repeat(8192 / filler.length()).getBytes(StandardCharsets.UTF_8);
            for (long sent = 0; f != null && sent < (1L << 30); sent += f.length) {
                out.write(f);
            }
        } catch (IOException hungUp) {
            // the client stopped reading
        }
    }

    static Stream<Arguments> replies() {
        String xml = "text/xml; charset=utf-8";
        String view = "<CreateContainerViewResponse xmlns=\"urn:vim25\"><returnval type=\"ContainerView\">";
        return Stream.of(
                Arguments.of("a reply without end", new String[] {"200", xml, ENV + view, "A"}, "larger than 65536 bytes"),
                Arguments.of("a fault without end", new String[] {"500", xml, ENV + "<soapenv:Fault><faultstring>", "F"},
                        "larger than 65536 bytes"),
                Arguments.of("malformed XML", new String[] {"200", xml, ENV + view + "x</returnval", null}, "unreadable XML at line 1"),
                Arguments.of("XML that is no SOAP envelope", new String[] {"200", xml, "<rss><channel/></rss>", null},
                        "XML that is not a SOAP envelope (<rss>)"),
                Arguments.of("an envelope without a body", new String[] {"200", xml, ENV.replace("<soapenv:Body>", "") + "</soapenv:Envelope>", null},
                        "a SOAP envelope without a body"),
                Arguments.of("an HTML page with status 200", new String[] {"200", "text/html", "<html>" + "<p>portal</p>".repeat(20_000), null},
                        "an HTML page (HTTP 200, text/html)"),
                Arguments.of("status 500 with an HTML page without end", new String[] {"500", "text/html", "<html>", "crash "},
                        "an HTML page (HTTP 500, text/html)"),
                Arguments.of("status 503 without end", new String[] {"503", xml, "<x>", "busy "}, "HTTP 503 (its body was not read)"),
                Arguments.of("elements nested 1,000 deep", new String[] {"200", xml, ENV + "<a>".repeat(1000) + "</a>".repeat(1000) + END, null},
                        "maxElementDepth"),
                Arguments.of("a reference that is no reference", new String[] {"200", xml, ENV
                        + "<CreateContainerViewResponse xmlns=\"urn:vim25\"><returnval type=\"Container View\">x</returnval>"
                        + "</CreateContainerViewResponse>" + END, null},
                        "vCenter answered CreateContainerView with returnval 'Container View:x', not a managed object reference"),
                Arguments.of("a reference of 100,000 characters", new String[] {"200", xml, ENV + view + "v".repeat(60_000)
                        + "</returnval></CreateContainerViewResponse>" + END, null}, "(60000 characters)', not a managed object reference"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("replies")
    void aHostileReplyIsAShortClearErrorNamingTheMethod(String what, String[] reply, String expected) {
        hostile = reply;
        StorageException e = assertThrows(StorageException.class, () -> props.within(new MoRef("Folder", "group-d1"), "VirtualMachine",
                "name"), what);
        String m = e.getMessage();
        assertTrue(m.startsWith("vCenter answered CreateContainerView with "), m);
        assertTrue(m.contains(expected), m);
        assertTrue(m.length() < 500, m.length() + " characters: " + m);
        assertTrue(m.chars().noneMatch(Character::isISOControl), m);
        assertFalse(m.contains(PASSWORD) || m.contains("secret-cookie"), m);
        assertTrue(props.within(new MoRef("Folder", "group-d1"), "VirtualMachine", "name").isEmpty(), "the next call works");
    }

    @Test
    void notAuthenticatedLogsInAgainOnceAndRepeatsTheCall() {
        props.within(new MoRef("Folder", "group-d1"), "VirtualMachine", "name");
        int before = LOGINS.get();
        hostile = new String[] {"500", "text/xml; charset=utf-8", ENV + "<soapenv:Fault><faultcode>ServerFaultCode</faultcode>"
                + "<faultstring>The session is not authenticated.</faultstring><detail><NotAuthenticatedFault xmlns=\"urn:vim25\" "
                + "xsi:type=\"NotAuthenticated\"><object type=\"Folder\">group-d1</object><privilegeId>System.View</privilegeId>"
                + "</NotAuthenticatedFault></detail></soapenv:Fault>" + END, null};
        assertTrue(props.within(new MoRef("Folder", "group-d1"), "VirtualMachine", "name").isEmpty(), "the repeated call answers");
        assertTrue(hostile == null, "the fault was answered");
        assertTrue(LOGINS.get() == before + 1, "one login more, not " + (LOGINS.get() - before));
    }

    @Test
    void aFaultWithAnAbsurdBodyIsCutShort() {
        hostile = new String[] {"500", "text/xml", ENV + "<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>"
                + "F\n".repeat(20_000) + "</faultstring><detail><" + "X".repeat(500) + "Fault xmlns=\"urn:vim25\"/></detail>"
                + "</soapenv:Fault>" + END, null};
        VimFault f = assertThrows(VimFault.class, () -> props.within(new MoRef("Folder", "group-d1"), "VirtualMachine", "name"));
        assertTrue(f.getMessage().length() < 500, f.getMessage().length() + " characters");
        assertTrue(f.getMessage().contains("(39999 characters)"), f.getMessage());
        assertTrue(f.getMessage().chars().noneMatch(Character::isISOControl));
        assertTrue(f.getMessage().startsWith("XXXX") && f.getMessage().contains("(500 characters)"), f.getMessage());
        assertTrue(f.getMessage().endsWith(", answering CreateContainerView"), f.getMessage());
    }

    @Test
    void aDoctypeWithExternalEntitiesIsRefusedAndNoFileIsRead() throws Exception {
        Path secret = Files.writeString(dir.resolve("local-secret.txt"), "LOCAL-FILE-CONTENT-4711");
        Path dtd = Files.writeString(dir.resolve("evil.dtd"), "<!ENTITY leak \"LOCAL-FILE-CONTENT-4711\">");
        for (String doctype : new String[] {
                "<!DOCTYPE e [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>",
                "<!DOCTYPE e [<!ENTITY % p SYSTEM \"" + dtd.toUri() + "\"> %p;]>",
                "<!DOCTYPE e SYSTEM \"" + dtd.toUri() + "\">"}) {
            hostile = new String[] {"200", "text/xml", "<?xml version=\"1.0\"?>" + doctype + ENV.substring(ENV.indexOf("<soapenv:Envelope"))
                    + "<CreateContainerViewResponse xmlns=\"urn:vim25\"><returnval type=\"ContainerView\">&x;&leak;</returnval>"
                    + "</CreateContainerViewResponse>" + END, null};
            StorageException e = assertThrows(StorageException.class, () -> props.within(new MoRef("Folder", "group-d1"),
                    "VirtualMachine", "name"), doctype);
            assertTrue(e.getMessage().contains("DOCTYPE is disallowed"), e.getMessage());
            assertFalse(e.getMessage().contains("LOCAL-FILE-CONTENT"), e.getMessage());
        }
    }

    @Test
    void aNumberThatIsNoNumberNamesTheMethodAndTheField() throws Exception {
        org.w3c.dom.Document d = Xml.parse(new java.io.ByteArrayInputStream((ENV + "<QueryPerfResponse xmlns=\"urn:vim25\"><returnval>"
                + "<capacity><block>12x</block></capacity></returnval></QueryPerfResponse>" + END).getBytes(StandardCharsets.UTF_8)));
        d.setUserData(Xml.METHOD, "QueryPerf", null);
        org.w3c.dom.Element rv = (org.w3c.dom.Element) d.getElementsByTagNameNS("urn:vim25", "returnval").item(0);
        StorageException e = assertThrows(StorageException.class, () -> Xml.longText(rv, "capacity/block", 0));
        assertTrue(e.getMessage().equals("vCenter answered QueryPerf with capacity/block '12x', not a whole number"), e.getMessage());
    }
}
