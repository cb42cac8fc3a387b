package org.spindle.driver.solidfire.internal.element;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.spindle.solidfire.simulator.ElementSimulator;
import org.spindle.solidfire.simulator.Reply;
import org.spindle.storage.api.Secret;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Hostile answers from the SAN's endpoint: each gives a clear failure naming the method, the endpoint and what was
 * wrong, with the memory bounded by the reply limit (small here, so that an endless body ends the test only if the
 * client stops reading), and the client stays usable.
 */
class ElementReplyLimitTest {
    static final long LIMIT = 64 * 1024;
    static final String JSON = "application/json";

    ElementSimulator sim;
    ElementClient client;
    ElementApi api;
    String mvip;

    @BeforeEach
    void start() throws IOException {
        sim = Sims.start();
        client = Sims.client(sim, LIMIT);
        api = new ElementApi(client, new ApiVersion(12, 3));
        mvip = Sims.mvip(sim);
    }

    @AfterEach
    void stop() {
        sim.stop();
    }

    /** Every call of {@code method} gets {@code reply}, retries included. */
    void hostile(String method, Reply reply) {
        sim.faults().replaceReply(method, 10, reply);
    }

    /** After the hostile answers, the same client reads a good one. */
    void stillUsable() {
        sim.faults().clear();
        assertEquals(sim.uniqueId(), api.getClusterInfo().uniqueID());
    }

    ElementTransportException transport(Runnable call, ElementTransportException.Kind kind) {
        ElementTransportException e = assertThrows(ElementTransportException.class, call::run);
        assertEquals(kind, e.kind(), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        assertTrue(e.getMessage().length() < 600, e.getMessage());
        return e;
    }

    @Test
    void anEndlessBodyIsCutOffAtTheLimitAndNotAskedAgain() {
        hostile("ListActiveVolumes", Reply.endless(200, JSON, "{\"id\":1,\"result\":{\"volumes\":[", "{\"volumeID\":1},"));
        ElementTransportException e = transport(api::listActiveVolumes, ElementTransportException.Kind.OVERSIZED);
        assertTrue(e.getMessage().startsWith("ListActiveVolumes to " + mvip + ": the reply is longer than the limit of 65536 "
                + "bytes (reply.max.bytes; cut off after "), e.getMessage());
        assertTrue(e.ambiguous());
        assertEquals(1, sim.faults().calls("ListActiveVolumes"), "the same question would get the same answer");
        stillUsable();
    }

    @Test
    void aContentLengthOverTheLimitIsRefusedBeforeReading() {
        hostile("GetClusterInfo", Reply.claiming(200, JSON, 10_000_000_000L, "{\"id\":1,\"result\":{"));
        ElementTransportException e = transport(api::getClusterInfo, ElementTransportException.Kind.OVERSIZED);
        assertEquals("GetClusterInfo to " + mvip + ": the reply is longer than the limit of 65536 bytes (reply.max.bytes; "
                + "Content-Length 10000000000)", e.getMessage());
        stillUsable();
    }

    @Test
    void status500WithAnEnormousBodyIsCutOffToo() {
        hostile("GetClusterInfo", Reply.endless(500, "text/html", "<html><body>", "Internal Server Error "));
        ElementTransportException e = transport(api::getClusterInfo, ElementTransportException.Kind.OVERSIZED);
        assertTrue(e.getMessage().startsWith("GetClusterInfo to " + mvip + ": the reply is longer than the limit"), e.getMessage());
        stillUsable();
    }

    @Test
    void aBodyJustOverTheLimitIsRefusedAndOneJustUnderIsRead() {
        String head = "{\"id\":1,\"result\":{\"clusterInfo\":{\"uniqueID\":\"abcd\",\"name\":\"";
        String tail = "\"}}}";
        long fill = LIMIT - head.length() - tail.length();
        hostile("GetClusterInfo", Reply.repeated(200, JSON, head, "n", fill + 1, tail));
        transport(api::getClusterInfo, ElementTransportException.Kind.OVERSIZED);
        sim.faults().clear();
        hostile("GetClusterInfo", Reply.repeated(200, JSON, head, "n", fill, tail));
        assertEquals(fill, client.call("12.3", "GetClusterInfo", client.json().createObjectNode()).at("/clusterInfo/name")
                .asText().length(), "exactly the limit is read");
    }

    /** A body that trickles in one byte at a time without end: the request timeout covers the body too. */
    @Test
    void aBodyThatNeverEndsSlowlyTimesOut() {
        hostile("GetClusterInfo", new Reply(200, JSON, () -> new InputStream() {
            @Override
            public int read() {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return -1;
                }
                return ' ';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                b[off] = (byte) read();
                return 1;
            }
        }));
        ElementClient impatient = Sims.client(mvip, Sims.PASSWORD, Sims.pinned(sim.certificateSha256()), RetryPolicy.NONE,
                Duration.ofMillis(1500));
        ElementTransportException e = transport(() -> impatient.call("12.3", "GetClusterInfo", impatient.json()
                .createObjectNode()), ElementTransportException.Kind.TIMEOUT);
        assertEquals("GetClusterInfo to " + mvip + ": no answer within 1500 ms", e.getMessage());
        stillUsable();
    }

    @Test
    void malformedJson() {
        String body = "{\"id\":1,\"result\":{\"clusterInfo\":{\"name\":";
        hostile("GetClusterInfo", Reply.of(200, JSON, body));
        ElementTransportException e = transport(api::getClusterInfo, ElementTransportException.Kind.BAD_RESPONSE);
        assertTrue(e.getMessage().startsWith("GetClusterInfo to " + mvip + ": HTTP 200 (application/json, " + body.length()
                + " bytes) without a "
                + "JSON-RPC answer: not JSON (Unexpected end-of-input"), e.getMessage());
        stillUsable();
    }

    @Test
    void deepNestingIsRefusedByTheParser() {
        hostile("GetClusterInfo", Reply.repeated(200, JSON, "{\"id\":1,\"result\":", "[", 20_000, ""));
        ElementTransportException e = transport(api::getClusterInfo, ElementTransportException.Kind.BAD_RESPONSE);
        assertTrue(e.getMessage().contains("without a JSON-RPC answer: not JSON (Document nesting depth (65) exceeds the "
                + "maximum allowed (64"), e.getMessage());
    }

    @Test
    void anHtmlPageWithStatus200() {
        String page = "<!DOCTYPE html><html><body>Gateway says hi</body></html>";
        hostile("GetClusterInfo", Reply.of(200, "text/html; charset=utf-8", page));
        ElementTransportException e = transport(api::getClusterInfo, ElementTransportException.Kind.BAD_RESPONSE);
        assertTrue(e.getMessage().startsWith("GetClusterInfo to " + mvip + ": HTTP 200 (text/html; charset=utf-8, "
                + page.length() + " bytes) "
                + "without a JSON-RPC answer: not JSON (Unexpected character ('<'"), e.getMessage());
    }

    @Test
    void jsonThatIsNotJsonRpc() {
        hostile("GetClusterInfo", Reply.of(200, JSON, "{\"id\":1,\"answer\":42}"));
        assertTrue(transport(api::getClusterInfo, ElementTransportException.Kind.BAD_RESPONSE).getMessage()
                .endsWith("without a JSON-RPC answer: neither result nor error"));
        sim.faults().clear();
        hostile("GetClusterInfo", Reply.of(200, JSON, "{\"id\":1,\"result\":\"ok\"}"));
        assertTrue(transport(api::getClusterInfo, ElementTransportException.Kind.BAD_RESPONSE).getMessage()
                .endsWith("without a JSON-RPC answer: a result that is a string 'ok'"));
        sim.faults().clear();
        hostile("GetClusterInfo", Reply.of(200, JSON, "{\"id\":1,\"result\":{},\"result\":{\"x\":1}}"));
        assertTrue(transport(api::getClusterInfo, ElementTransportException.Kind.BAD_RESPONSE).getMessage()
                .contains("not JSON (Duplicate field 'result')"));
    }

    @Test
    void aStringWhereAVolumeIdBelongs() {
        hostile("ListActiveVolumes", Reply.of(200, JSON, "{\"id\":1,\"result\":{\"volumes\":[{\"volumeID\":\"abc\",\"name\":\"v\","
                + "\"accountID\":1,\"totalSize\":1000000000}]}}"));
        ElementTransportException e = transport(api::listActiveVolumes, ElementTransportException.Kind.MALFORMED);
        assertEquals("ListActiveVolumes to " + mvip + ": malformed reply: result.volumes[0].volumeID: expected a whole number "
                + ">= 1, got a string 'abc'", e.getMessage());
        assertEquals(1, sim.faults().calls("ListActiveVolumes"));
    }

    @Test
    void namesWithControlCharactersOrMegabytesAreRefused() {
        String volume = "{\"id\":1,\"result\":{\"volume\":{\"volumeID\":7,\"name\":\"v\",\"accountID\":1,\"totalSize\":1,"
                + "\"iqn\":\"%s\"}}}";
        for (Map.Entry<String, String> c : Map.of(
                "iqn.2010-01.com.solidfire:x.v.7\\n[ERROR] forged", "result.volume.iqn: expected a string without control "
                        + "characters, got a string 'iqn.2010-01.com.solidfire:x.v.7\\u000a[ERROR] '… (46 characters)",
                "\\u001b[2Jiqn", "result.volume.iqn: expected a string without control characters, got a string "
                        + "'\\u001b[2Jiqn'",
                "i".repeat(5000), "result.volume.iqn: expected a string of at most 1024 characters, got a string "
                        + "'iiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiii'… (5000 characters)").entrySet()) {
            sim.faults().clear();
            hostile("ModifyVolume", Reply.of(200, JSON, String.format(volume, c.getKey())));
            ElementTransportException e = transport(() -> api.modifyVolume(7, null, new Wire.Qos(100, 1000, 1000)),
                    ElementTransportException.Kind.MALFORMED);
            assertEquals("ModifyVolume to " + mvip + ": malformed reply: " + c.getValue(), e.getMessage());
        }
    }

    @Test
    void negativeAndAbsurdSizes() {
        String volume = "{\"id\":1,\"result\":{\"volume\":{\"volumeID\":7,\"name\":\"v\",\"accountID\":1,\"totalSize\":%s}}}";
        for (Map.Entry<String, String> c : Map.of(
                "-1073741824", "result.volume.totalSize: expected a whole number >= 0, got the number -1073741824",
                "99999999999999999999", "result.volume.totalSize: expected a whole number >= 0, got the number 99999999999999999999",
                "1.5e12", "result.volume.totalSize: expected a whole number >= 0, got the number 1.5E12",
                "1152921504606846976", "result.volume.totalSize: expected at most 1125899906842624 bytes, got 1152921504606846976")
                .entrySet()) {
            sim.faults().clear();
            hostile("ModifyVolume", Reply.of(200, JSON, String.format(volume, c.getKey())));
            ElementTransportException e = transport(() -> api.modifyVolume(7, 2_000_000_000L, null),
                    ElementTransportException.Kind.MALFORMED);
            assertEquals("ModifyVolume to " + mvip + ": malformed reply: " + c.getValue(), e.getMessage());
        }
    }

    @Test
    void aHugeArrayOfNonsense() {
        hostile("ListVolumeAccessGroups", Reply.repeated(200, JSON, "{\"id\":1,\"result\":{\"volumeAccessGroups\":[", "1,",
                20_000, "1]}}"));
        assertEquals("ListVolumeAccessGroups to " + mvip + ": malformed reply: result.volumeAccessGroups[0]: expected an "
                + "object, got the number 1", transport(api::listVolumeAccessGroups, ElementTransportException.Kind.MALFORMED)
                .getMessage());
        sim.faults().clear();
        hostile("ListVolumeAccessGroups", Reply.of(200, JSON, "{\"id\":1,\"result\":{\"volumeAccessGroups\":\"none\"}}"));
        assertEquals("ListVolumeAccessGroups to " + mvip + ": malformed reply: result.volumeAccessGroups: expected an array, "
                + "got a string 'none'", transport(api::listVolumeAccessGroups, ElementTransportException.Kind.MALFORMED)
                .getMessage(), "never an empty listing");
    }

    @Test
    void aPageOutOfOrderWouldLoopForeverAndIsRefused() {
        StringBuilder page = new StringBuilder("{\"id\":1,\"result\":{\"volumes\":[");
        for (int i = 1; i <= ElementApi.PAGE; i++) {
            page.append(i > 1 ? "," : "").append("{\"volumeID\":").append(i).append(",\"name\":\"v\",\"accountID\":1,"
                    + "\"totalSize\":1}");
        }
        page.append("]}}");
        sim.faults().replaceReply("ListActiveVolumes", 1, Reply.of(200, JSON, page.toString()));
        hostile("ListActiveVolumes", Reply.of(200, JSON, page.toString()));
        ElementTransportException e = assertThrows(ElementTransportException.class,
                () -> new ElementApi(Sims.client(sim, 1L << 20), new ApiVersion(12, 3)).listActiveVolumes());
        assertEquals(ElementTransportException.Kind.MALFORMED, e.kind());
        assertEquals("ListActiveVolumes to " + mvip + ": malformed reply: result.volumes[0]: id 1 is not above 1000 (a page is "
                + "in ascending id order from 1001)", e.getMessage());
        assertEquals(2, sim.faults().calls("ListActiveVolumes"), "the second page is refused, not asked for again");
    }

    @Test
    void anErrorOfControlCharactersAndMegabytesIsOneShortLine() {
        hostile("GetVolumeStats", Reply.of(500, JSON, "{\"id\":1,\"error\":{\"code\":\"x\",\"name\":\"xEvil\\nname\",\"message\":"
                + "\"\\u001b[2J\\u202e" + "A".repeat(50_000) + "\"}}"));
        ElementException e = assertThrows(ElementException.class, () -> api.getVolumeStats(1));
        assertEquals("xUnknown", e.name(), "a name that is not one");
        assertEquals(500, e.code());
        assertTrue(e.getMessage().startsWith("GetVolumeStats failed: xUnknown: ?[2J?AAAA"), e.getMessage());
        assertTrue(e.getMessage().endsWith("A… (50005 characters)"), e.getMessage());
        assertTrue(e.getMessage().length() < 400, e.getMessage());
    }

    @Test
    void secretsSentAreMaskedInAParseError() {
        hostile("AddAccount", Reply.of(200, JSON, "{\"id\":1,\"result\":{\"accountID\":Init-Secret-42}}"));
        ElementTransportException e = assertThrows(ElementTransportException.class, () -> api.addAccount("t1",
                Secret.of("Init-Secret-42"), Secret.of("Targ-Secret-42"), Map.of()));
        assertFalse(e.getMessage().contains("Init-Secret-42"), e.getMessage());
        assertTrue(e.getMessage().contains("without a JSON-RPC answer: not JSON ("), e.getMessage());
    }

    @Test
    void a401IsRefusedCredentialsWithoutReadingItsBody() {
        hostile("GetClusterInfo", Reply.endless(401, "text/plain", "401 Unauthorized", "."));
        assertEquals("bad credentials for cluster admin admin at " + mvip,
                assertThrows(ElementAuthException.class, api::getClusterInfo).getMessage());
        stillUsable();
    }

    /**
     * The default limit against the largest listings: a volume as the simulator (and Element) describes it, with
     * Spindle's attributes, is measured (1,190 bytes); 50,000 of them fit in the default, and pages of 1,000 ten
     * times over.
     */
    @Test
    void theDefaultLimitHoldsTheLargestListing() throws Exception {
        ElementClient normal = Sims.client(sim);
        assertEquals(ReplyReader.DEFAULT_MAX_BYTES, normal.maxReplyBytes());
        ElementApi a = new ElementApi(normal, new ApiVersion(12, 3));
        long account = a.addAccount("spindle_tenant-with-a-long-name", Secret.of("Init-Secret-42"), Secret.of("Targ-Secret-42"),
                Map.of());
        a.createVolume(new ElementApi.NewVolume("vol-" + "n".repeat(56), account, 10_000_000_000L, true, new Wire.Qos(500, 1000,
                1500), Map.of("spindle-uuid", "3b556ea8-19ea-4cec-bf06-003859749082", "spindle-name", "n".repeat(64))));
        JsonNode volume = normal.call("12.3", "ListActiveVolumes", normal.json().createObjectNode()).get("volumes").get(0);
        int bytes = new ObjectMapper().writeValueAsBytes(volume).length;
        System.out.println("one volume in ListActiveVolumes: " + bytes + " bytes");
        assertTrue(bytes > 500, "measured " + bytes);
        assertTrue(50_000L * bytes < ReplyReader.DEFAULT_MAX_BYTES, "50,000 volumes of " + bytes + " bytes");
        assertTrue(10L * ElementApi.PAGE * bytes < ReplyReader.DEFAULT_MAX_BYTES, "a page of 1,000, ten times over");
    }
}
