package org.spindle.hyper.xen.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.xen.simulator.Faults;
import org.spindle.xen.simulator.TgtLun;
import org.spindle.xen.simulator.XenSimulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A pool endpoint that answers what no xapi would (the simulator answering in the pool's place): each reply gives
 * a {@link StorageException} naming the call and what was wrong, short, without the password or the session, and
 * the session works for the next call. The reply limit is 64 KiB here, so a reply without end proves the cut-off.
 */
class HostileReplyTest {
    private static final long LIMIT = 64 << 10;
    private static final String CALL = "VM.get_all_records";
    private static final String XML = "text/xml";
    private static final String HEAD = "<?xml version=\"1.0\"?><methodResponse><params><param><value><struct>"
            + "<member><name>Status</name><value>Success</value></member><member><name>Value</name><value>";
    private static final String TAIL = "</value></member></struct></value></param></params></methodResponse>";

    @TempDir
    static Path dir;
    static XenSimulator sim;
    static XenSession session;
    static PoolHosts hosts;

    @BeforeAll
    static void start() throws Exception {
        sim = XenSimulator.builder().host("xen1", XenPeer.IQN1).vm("web", "xen1", true).build().start();
        PoolSettings s = PoolSettings.of(Configs.config(Configs.valid(), "xen.url", sim.url(), ".xen.password", sim.password(),
                "tls.fingerprint.sha256", sim.certificateSha256()));
        session = new XenSession(s, XenTls.of(s, LIMIT));
        hosts = new PoolHosts(session);
        assertTrue(hosts.findVm("web").isPresent());
    }

    @AfterAll
    static void stop() {
        session.close();
        sim.close();
    }

    interface Rule {
        void apply(Faults f);
    }

    static Stream<Arguments> replies() {
        String fault = "<?xml version=\"1.0\"?><methodResponse><fault><value><struct><member><name>faultCode</name><value><int>7</int>"
                + "</value></member><member><name>faultString</name><value><string>" + "F".repeat(50_000)
                + "</string></value></member></struct></value></fault></methodResponse>";
        String failure = "<?xml version=\"1.0\"?><methodResponse><params><param><value><struct><member><name>Status</name>"
                + "<value>Failure</value></member><member><name>ErrorDescription</name><value><array><data><value>INTERNAL_ERROR</value>"
                + "<value>" + "E".repeat(50_000) + "</value></data></array></value></member></struct></value></param></params></methodResponse>";
        return Stream.of(
                Arguments.of("a reply without end", (Rule) f -> f.endlessReply(CALL, 1, 200, XML, HEAD + "<string>", "A"),
                        "larger than 65536 bytes"),
                Arguments.of("malformed XML", (Rule) f -> f.reply(CALL, 1, 200, XML, HEAD + "<struct><member><name>x</nam"),
                        "reply was refused (at line 1, column"),
                Arguments.of("XML that is no methodResponse", (Rule) f -> f.reply(CALL, 1, 200, XML, "<?xml version=\"1.0\"?><rss/>"),
                        "Expected methodResponse element, got rss"),
                Arguments.of("an XML-RPC fault with an absurd body", (Rule) f -> f.reply(CALL, 1, 200, XML, fault), "FFFF"),
                Arguments.of("a XenAPI failure with an absurd description", (Rule) f -> f.reply(CALL, 1, 200, XML, failure),
                        "failed: InternalError message=EEEE"),
                Arguments.of("an HTML page with status 200", (Rule) f -> f.reply(CALL, 1, 200, "text/html; charset=utf-8",
                        "<html><body>" + "<p>captive portal</p>".repeat(10_000) + "</body></html>"), "with an HTML page"),
                Arguments.of("an HTML page served as XML", (Rule) f -> f.reply(CALL, 1, 200, XML, "<html><body>login</body></html>"),
                        "Expected methodResponse element, got html"),
                Arguments.of("status 500 with a body without end", (Rule) f -> f.endlessReply(CALL, 1, 500, XML, "<html>", "crash "),
                        "was refused by the pool: HTTP 500"),
                Arguments.of("elements nested 1,000 deep", (Rule) f -> f.reply(CALL, 1, 200, XML, HEAD
                        + "<array><data><value>".repeat(1000) + "x" + "</value></data></array>".repeat(1000) + TAIL), "maxElementDepth"),
                Arguments.of("a string where the records belong", (Rule) f -> f.reply(CALL, 1, 200, XML, HEAD + "<string>x</string>" + TAIL),
                        "another type or form"),
                Arguments.of("an integer that is no integer", (Rule) f -> f.reply(CALL, 1, 200, XML, HEAD + "<i4>12x</i4>" + TAIL),
                        "Failed to parse integer"),
                Arguments.of("a VM record whose reference is a number", (Rule) f -> f.reply(CALL, 1, 200, XML, HEAD
                        + "<struct><member><name>OpaqueRef:1</name><value><struct><member><name>uuid</name><value><i4>5</i4></value>"
                        + "</member></struct></value></member></struct>" + TAIL), "another type or form"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("replies")
    void aHostileReplyIsAShortClearErrorAndTheSessionGoesOn(String what, Rule rule, String expected) {
        rule.apply(sim.faults());
        StorageException e = assertThrows(StorageException.class, () -> hosts.findVm("web"), what);
        String m = e.getMessage();
        assertTrue(m.startsWith("Xen pool pool1: " + CALL + " "), m);
        assertTrue(m.contains(expected), m);
        assertTrue(m.length() < 600, m.length() + " characters: " + m);
        assertFalse(m.contains(sim.password()), m);
        assertFalse(m.contains("OpaqueRef") && !m.contains("OpaqueRef:1"), m);
        assertTrue(m.chars().noneMatch(Character::isISOControl), m);
        assertTrue(hosts.findVm("web").isPresent(), "the next call works");
        assertTrue(sim.records("SR").isEmpty() && sim.records("VBD").isEmpty(), "nothing was made");
    }

    /**
     * xapi answers HTTP 500 (an HTML page) to a request it cannot parse (wire reference §2.1): the request was refused
     * and did not run, so it is the pool's refusal, not an outage to wait out; a proxy's 502–504 in front of a
     * restarting pool is.
     */
    @Test
    void http500IsTheRequestRefusedAndOtherStatusesAreThePoolAway() {
        sim.faults().reply(CALL, 1, 500, "text/html", "<html><body><h1>HTTP 500 internal server error</h1>no such method</body></html>");
        StorageException refused = assertThrows(StorageException.class, () -> hosts.findVm("web"));
        assertEquals(StorageException.Reason.BACKEND_FAILURE, refused.reason(), refused.getMessage());
        assertEquals("Xen pool pool1: " + CALL + " was refused by the pool: HTTP 500, xapi's answer to a request it cannot parse "
                + "(the call did not run)", refused.getMessage());
        for (int status : new int[] {502, 503, 504}) {
            sim.faults().reply(CALL, 1, status, "text/html", "<html><body>starting</body></html>");
            StorageException away = assertThrows(StorageException.class, () -> hosts.findVm("web"));
            assertEquals(StorageException.Reason.UNAVAILABLE, away.reason(), status + ": " + away.getMessage());
        }
        assertTrue(hosts.findVm("web").isPresent(), "the next call works");
    }

    @Test
    void aDoctypeWithExternalEntitiesIsRefusedAndNoFileIsRead() throws Exception {
        Path secret = Files.writeString(dir.resolve("local-secret.txt"), "LOCAL-FILE-CONTENT-4711");
        Path dtd = Files.writeString(dir.resolve("evil.dtd"), "<!ENTITY leak \"LOCAL-FILE-CONTENT-4711\">");
        for (String doctype : new String[] {
                "<!DOCTYPE methodResponse [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>",
                "<!DOCTYPE methodResponse [<!ENTITY % p SYSTEM \"" + dtd.toUri() + "\"> %p;]>",
                "<!DOCTYPE methodResponse SYSTEM \"" + dtd.toUri() + "\">",
                "<!DOCTYPE methodResponse [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>"}) {
            sim.faults().reply(CALL, 1, 200, XML, "<?xml version=\"1.0\"?>" + doctype + HEAD.substring(HEAD.indexOf("<methodResponse>"))
                    + "<struct><member><name>OpaqueRef:1</name><value><struct><member><name>name_label</name><value>&x;&leak;&b;</value>"
                    + "</member></struct></value></member></struct>" + TAIL);
            StorageException e = assertThrows(StorageException.class, () -> hosts.findVm("web"), doctype);
            assertTrue(e.getMessage().contains("DOCTYPE is disallowed"), e.getMessage());
            assertFalse(e.getMessage().contains("LOCAL-FILE-CONTENT"), e.getMessage());
        }
    }

    @Test
    void theRrdFeedIsCutOffAtTheLimitAndAnErrorPageIsNotRead() {
        sim.faults().endlessReply("GET /rrd_updates", 1, 200, XML, "<xport><meta>", "<entry>AVERAGE:vm:x:cpu0</entry>");
        StorageException big = assertThrows(StorageException.class, () -> session.get("rrd_updates", "127.0.0.1", "/rrd_updates?start=0"));
        assertTrue(big.getMessage().startsWith("Xen pool pool1: rrd_updates "), big.getMessage());
        assertTrue(big.getMessage().contains("larger than 65536 bytes"), big.getMessage());
        assertFalse(big.getMessage().contains("session_id"), big.getMessage());
        sim.faults().endlessReply("GET /rrd_updates", 1, 500, "text/html", "<html>", "boom ");
        StorageException error = assertThrows(StorageException.class, () -> session.get("rrd_updates", "127.0.0.1", "/rrd_updates?start=0"));
        assertEquals("Xen pool pool1: rrd_updates at 127.0.0.1 answered HTTP 500", error.getMessage());
    }

    @Test
    void aHostileRrdFeedIsAClearErrorNamingWhatWasWrong() {
        for (String[] c : new String[][] {
                {"<xport><meta><step>5x</step></meta></xport>", "sent a <step> that is not a number"},
                {"<xport><meta><step>5</step><legend><entry>AVERAGE:vm:v:vbd_xvda_read</entry></legend></meta><data><row><t>now</t>"
                        + "<v>1</v></row></data></xport>", "sent a <t> that is not a number"},
                {"<xport><meta><step>5</step><legend><entry>AVERAGE:vm:v:vbd_xvda_read</entry></legend></meta><data><row><t>10</t>"
                        + "</row></data></xport>", "sent a row that has no value for AVERAGE:vm:v:vbd_xvda_read"},
                {"<xport><meta><step>" + "9".repeat(40) + "</step></meta></xport>", "sent a <step> that is not a number"},
                {"<!DOCTYPE xport [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><xport>&x;</xport>", "DOCTYPE is disallowed"},
                {"<html>" + "x".repeat(100_000), "no xport XML"}}) {
            StorageException e = assertThrows(StorageException.class, () -> RrdStats.integrate(c[0], "AVERAGE:vm:v:vbd_xvda_",
                    RrdStats.totals(0)), c[0]);
            assertTrue(e.getMessage().startsWith("The RRD feed (rrd_updates) "), e.getMessage());
            assertTrue(e.getMessage().contains(c[1]), e.getMessage());
            assertTrue(e.getMessage().length() < 400, e.getMessage());
        }
    }

    @Test
    void aHostileReplyInTheMiddleOfAnAttachLeavesNothing() throws Exception {
        XenPeer.requireTgt();
        XenPeer xen = XenPeer.on(sim); // this pool of one host: fewer PBDs to make and remove
        try (TgtLun lun = XenPeer.lun("hostile-" + (System.nanoTime() % 100000), 96L << 20)) {
            UUID v = UUID.randomUUID();
            xen.sim.faults().reply("VBD.create", 1, 200, "text/html", "<html>maintenance</html>");
            StorageException e = assertThrows(StorageException.class, () -> xen.pool.attach(xen.request(v, "web", lun, IoLimits.NONE)));
            assertTrue(e.getMessage().contains("VBD.create") && e.getMessage().contains("HTML page"), e.getMessage());
            assertTrue(xen.sim.calls().contains("SR.create") && xen.sim.calls().contains("VDI.create"), "the attach had made an SR and a VDI");
            xen.assertEmpty();
        } finally {
            xen.pool.close();
        }
    }
}
