package org.spindle.xen.simulator;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The wire itself, with a client independent of the SDK (hand-written bodies over java.net.http): XML-RPC's
 * envelope and types, JSON-RPC 2.0 and 1.0, refusals of malformed and mistyped calls, one session for both.
 */
class WireTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private XenSimulator sim;
    private HttpClient http;

    @BeforeEach
    void start() throws Exception {
        sim = XenSimulator.builder().host("xen1", "iqn.2026-12.org.spindle.xensim:w1").vm("vm1", "xen1", true).build().start();
        http = HttpClient.newBuilder().sslContext(Sdk.trusting(sim)).build();
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(sim.url() + path)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String call(String method, String... params) {
        StringBuilder b = new StringBuilder("<?xml version=\"1.0\"?><methodCall><methodName>" + method + "</methodName><params>");
        for (String p : params) {
            b.append("<param><value>").append(p).append("</value></param>");
        }
        return b.append("</params></methodCall>").toString();
    }

    private String xml(String method, String... params) throws Exception {
        HttpResponse<String> r = post("", call(method, params));
        assertEquals(200, r.statusCode());
        return r.body();
    }

    private static String value(String reply) {
        Matcher m = Pattern.compile("<name>Value</name><value>(.*?)</value></member>", Pattern.DOTALL).matcher(reply);
        assertTrue(m.find(), reply);
        return m.group(1);
    }

    @Test
    void xmlRpcEnvelopeAndTypes() throws Exception {
        String login = xml("session.login_with_password", "root", sim.password(), "2.21", "wire-test");
        assertTrue(login.contains("<name>Status</name><value>Success</value>"), login);
        String session = value(login);
        assertTrue(session.startsWith("OpaqueRef:"), session);
        String hosts = xml("host.get_all_records", session);
        assertTrue(hosts.contains("<name>API_version_major</name><value>2</value>"), "ints travel as strings: " + hosts);
        assertTrue(hosts.contains("<name>enabled</name><value><boolean>1</boolean></value>"), hosts);
        assertTrue(hosts.contains("<name>other_config</name><value><struct><member><name>iscsi_iqn</name>"
                + "<value>iqn.2026-12.org.spindle.xensim:w1</value></member></struct></value>"), hosts);
        String vms = xml("VM.get_all", session);
        assertTrue(vms.contains("<array><data><value>OpaqueRef:"), vms);
        // void is ""
        assertTrue(xml("session.logout", session).contains("<name>Value</name><value></value>"));
        String stale = xml("host.get_all", session);
        assertTrue(stale.contains("<value>Failure</value>") && stale.contains("<value>SESSION_INVALID</value>"), stale);
    }

    @Test
    void malformedAndMistypedCallsAreRefused() throws Exception {
        HttpResponse<String> garbage = post("", "<methodCall><methodName>x");
        assertEquals(500, garbage.statusCode());
        assertTrue(garbage.body().contains("<html>"), garbage.body());
        assertEquals(500, post("", "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><methodCall><methodName>&e;</methodName></methodCall>")
                .statusCode(), "no external entities");
        String session = value(xml("session.login_with_password", "root", sim.password()));
        String unknown = xml("SR.explode", session);
        assertTrue(unknown.contains("<value>MESSAGE_METHOD_UNKNOWN</value><value>SR.explode</value>"), unknown);
        String count = xml("VM.get_record", session);
        assertTrue(count.contains("<value>MESSAGE_PARAMETER_COUNT_MISMATCH</value><value>VM.get_record</value><value>2</value><value>1</value>"),
                count);
        String handle = xml("VM.get_record", session, "OpaqueRef:nothing");
        assertTrue(handle.contains("<value>HANDLE_INVALID</value><value>VM</value><value>OpaqueRef:nothing</value>"), handle);
        String type = xml("VM.get_record", session, "<boolean>1</boolean>");
        assertTrue(type.contains("<value>FIELD_TYPE_ERROR</value>"), type);
        String badLogin = xml("session.login_with_password", "root", "wrong");
        assertTrue(badLogin.contains("<value>SESSION_AUTHENTICATION_FAILED</value>"), badLogin);
    }

    @Test
    void jsonRpcSharesTheSessionAndSendsItsOwnErrorShapes() throws Exception {
        String session = value(xml("session.login_with_password", "root", sim.password()));
        JsonNode hosts = JSON.readTree(post("jsonrpc", "{\"jsonrpc\":\"2.0\",\"method\":\"host.get_all_records\",\"params\":[\""
                + session + "\"],\"id\":7}").body());
        assertEquals("2.0", hosts.path("jsonrpc").asText());
        assertEquals(7, hosts.path("id").asInt());
        JsonNode host = hosts.path("result").elements().next();
        assertTrue(host.path("API_version_major").isIntegralNumber(), "JSON-RPC ints are numbers: " + host);
        assertEquals("iqn.2026-12.org.spindle.xensim:w1", host.path("other_config").path("iscsi_iqn").asText());

        JsonNode v2 = JSON.readTree(post("jsonrpc", "{\"jsonrpc\":\"2.0\",\"method\":\"host.get_all\",\"params\":[\"OpaqueRef:x\"],\"id\":3}").body());
        assertEquals(1, v2.path("error").path("code").asInt());
        assertEquals("SESSION_INVALID", v2.path("error").path("message").asText());
        assertEquals("OpaqueRef:x", v2.path("error").path("data").get(0).asText());
        JsonNode v1 = JSON.readTree(post("jsonrpc", "{\"method\":\"host.get_all\",\"params\":[\"OpaqueRef:x\"],\"id\":4}").body());
        assertTrue(v1.path("result").isNull(), v1.toString());
        assertEquals("SESSION_INVALID", v1.path("error").get(0).asText());
        assertEquals(500, post("jsonrpc", "{not json").statusCode());
    }

    @Test
    void rrdUpdatesIsAnXportOfTheHostsVmsForASessionOnly() throws Exception {
        String session = value(xml("session.login_with_password", "root", sim.password()));
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(sim.url() + "rrd_updates?start=0")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, anonymous.statusCode());
        HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create(sim.url() + "rrd_updates?start=x&session_id=" + session))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, bad.statusCode());
        HttpResponse<String> ok = http.send(HttpRequest.newBuilder(URI.create(sim.url() + "rrd_updates?start=0&cf=AVERAGE&interval=60&session_id="
                + session)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ok.statusCode());
        assertTrue(ok.body().startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?><xport><meta><start>"), ok.body());
        assertTrue(ok.body().contains("<step>60</step>") && ok.body().contains("<rows>120</rows><columns>0</columns>"), ok.body());
    }

    @Test
    void rrdValuesArePrintedAsXapiPrintsThem() {
        // xapi's Rrd_utils.f_to_s: C's %0.5g, NaN, 0.0
        assertEquals("2.0972e+05", Rrds.g5(1048576 / 5.0));
        assertEquals("0.2", Rrds.g5(0.2));
        assertEquals("12346", Rrds.g5(12345.6));
        assertEquals("1.2346e+05", Rrds.g5(123456));
        assertEquals("0.0001234", Rrds.g5(0.0001234));
        assertEquals("1.234e-05", Rrds.g5(0.00001234));
        assertEquals("1e+05", Rrds.g5(100000));
        assertEquals("0.0", Rrds.g5(0));
        assertEquals("NaN", Rrds.g5(Double.NaN));
    }
}
