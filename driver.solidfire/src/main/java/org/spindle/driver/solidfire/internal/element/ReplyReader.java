package org.spindle.driver.solidfire.internal.element;

import java.io.IOException;
import java.net.http.HttpResponse;

import org.spindle.driver.solidfire.internal.element.ElementTransportException.Kind;
import org.spindle.storage.api.Secret;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Turns an HTTP answer of the cluster into a JSON-RPC {@code result}, or into the failure it is, without trusting
 * it: the body is read up to {@link #maxBytes()} ({@link BoundedBody}), parsed under Jackson's
 * {@link StreamReadConstraints} (nesting, string, number and name lengths), and every text of the peer that goes
 * into a message is one line, cut to a few hundred characters and masked of the secrets that were sent.
 */
final class ReplyReader {
    /**
     * The default reply limit, 64 MiB. A volume as ListActiveVolumes describes it, with Spindle's attributes, is
     * 1,190 bytes (measured in ElementReplyLimitTest against the simulator, which sends every member Element 12.3
     * documents). The driver pages volume and account listings at {@link ElementApi#PAGE} per call, so its largest
     * paged reply is about 1.2 MB: 64 MiB is more than 50 times that. The unpaged ones (ListDeletedVolumes,
     * ListVolumeAccessGroups, ListVolumes by id) grow with the cluster: 64 MiB holds some 56,000 volumes in one
     * listing; 100,000 would need ~119 MB, for which {@code reply.max.bytes} goes up to 1 GiB. Each call in flight
     * may hold up to the limit (plus its parsed tree), which is why the default is not larger.
     */
    static final long DEFAULT_MAX_BYTES = 64L << 20;
    /** Element replies nest about 6 deep (result, volumes, volume, qos, curve); attributes are the caller's JSON. */
    static final int MAX_DEPTH = 64;
    /** Element strings are names (≤ 64), IQNs (≤ 223), attributes (≤ 1,000 bytes in all) and messages. */
    static final int MAX_STRING = 1 << 20;
    /** A long has at most 20 characters, a double ~25. */
    static final int MAX_NUMBER = 64;
    static final int MAX_NAME = 1024;
    /** The most characters of the peer's text (error message, parse error) put into a failure's message. */
    static final int MAX_MESSAGE = 300;

    private final ObjectMapper reader;
    private final long maxBytes;

    ReplyReader(ObjectMapper json, long maxBytes) {
        if (maxBytes < 1024) {
            throw new IllegalArgumentException("the reply limit must be at least 1024 bytes (was " + maxBytes + ")");
        }
        this.maxBytes = maxBytes;
        this.reader = json.copy();
        reader.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH)
                .maxStringLength(MAX_STRING).maxNumberLength(MAX_NUMBER).maxNameLength(MAX_NAME)
                .maxDocumentLength(maxBytes).build());
        reader.getFactory().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature());
    }

    long maxBytes() {
        return maxBytes;
    }

    /** A body handler for one exchange. */
    BoundedBody.Exchange exchange() {
        return new BoundedBody.Exchange(maxBytes);
    }

    /** The failure of a body cut off at the limit. */
    ElementTransportException oversized(String method, String mvip, BoundedBody.TooLarge t, Throwable cause) {
        return new ElementTransportException(method, Kind.OVERSIZED, method + " to " + mvip + ": the reply is longer than "
                + "the limit of " + maxBytes + " bytes (reply.max.bytes; " + (t.declared ? "Content-Length " + t.received
                : "cut off after " + t.received + " bytes") + ")", cause);
    }

    /** The {@code result} of a JSON-RPC answer; its error as an {@link ElementException}; anything else BAD_RESPONSE. */
    JsonNode result(String method, String mvip, String user, HttpResponse<byte[]> response, Secret[] redact) {
        int status = response.statusCode();
        if (status == 401) {
            throw new ElementAuthException(method, user, mvip);
        }
        byte[] body = response.body();
        JsonNode node;
        try {
            node = body.length == 0 ? null : reader.readTree(body);
        } catch (JsonProcessingException e) {
            throw bad(method, mvip, response, "not JSON (" + line(redact(e.getOriginalMessage(), redact)) + ")");
        } catch (IOException e) {
            throw bad(method, mvip, response, "unreadable (" + line(e.getMessage()) + ")");
        }
        if (node == null || !node.isObject()) {
            throw bad(method, mvip, response, body.length == 0 ? "an empty body" : "JSON that is not an object");
        }
        JsonNode error = node.get("error");
        if (error != null && error.isObject()) {
            String message = line(redact(text(error.get("message")), redact));
            String name = text(error.get("name"));
            if (!name.matches("[A-Za-z0-9_]{1,64}")) {
                name = message.matches("x[A-Za-z0-9_]{1,63}") ? message : "xUnknown";
            }
            JsonNode code = error.get("code");
            throw new ElementException(method, name, code != null && code.canConvertToInt() && code.isIntegralNumber()
                    ? code.intValue() : status, message);
        }
        JsonNode result = node.get("result");
        if (status != 200 || result == null || !result.isObject()) {
            throw bad(method, mvip, response, result == null ? "neither result nor error"
                    : !result.isObject() ? "a result that is " + Fields.describe(result) : "an HTTP error status");
        }
        return result;
    }

    private ElementTransportException bad(String method, String mvip, HttpResponse<byte[]> response, String what) {
        String type = response.headers().firstValue("Content-Type").map(ReplyReader::line).orElse("no Content-Type");
        return new ElementTransportException(method, Kind.BAD_RESPONSE, method + " to " + mvip + ": HTTP "
                + response.statusCode() + " (" + (type.length() > 60 ? type.substring(0, 60) + "…" : type) + ", "
                + response.body().length + " bytes) without a JSON-RPC answer: " + what, null);
    }

    private static String text(JsonNode n) {
        return n == null || !n.isValueNode() || n.isNull() ? "" : n.asText();
    }

    static String redact(String text, Secret[] secrets) {
        String out = text == null ? "" : text;
        for (Secret s : secrets) {
            if (s != null && !s.reveal().isEmpty()) {
                out = out.replace(s.reveal(), "***");
            }
        }
        return out;
    }

    /**
     * One line of at most {@value #MAX_MESSAGE} characters: whitespace runs become one space, other control and
     * format characters (ANSI escapes, bidi overrides) {@code ?}.
     */
    static String line(String s) {
        if (s == null) {
            return "";
        }
        String cut = s.length() > MAX_MESSAGE * 4 ? s.substring(0, MAX_MESSAGE * 4) : s;
        StringBuilder b = new StringBuilder(Math.min(cut.length(), MAX_MESSAGE + 1));
        boolean space = false;
        int i = 0;
        for (; i < cut.length() && b.length() < MAX_MESSAGE; i++) {
            char c = cut.charAt(i);
            if (Character.isWhitespace(c)) {
                space = b.length() > 0;
                continue;
            }
            if (space) {
                b.append(' ');
                space = false;
            }
            b.append(Character.isISOControl(c) || Character.getType(c) == Character.FORMAT ? '?' : c);
        }
        return i < s.length() ? b + "… (" + s.length() + " characters)" : b.toString();
    }
}
