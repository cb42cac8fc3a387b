package org.spindle.storage.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.spindle.storage.api.Chap;
import org.spindle.storage.api.IoStats;
import org.spindle.storage.api.Portal;
import org.spindle.storage.api.Secret;
import org.spindle.storage.api.qos.Limit;
import org.spindle.storage.api.qos.QosSpec;
import org.spindle.storage.shell.Samples;

class JsonTest {
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void secretsAreMasked() throws Exception {
        String json = Json.write(new Chap("user", Secret.of("hunter2"), "target", Secret.of("hunter3")));
        assertFalse(json.contains("hunter"), json);
        JsonNode node = mapper.readTree(json);
        assertEquals("********", node.get("secret").asText());
        assertEquals("********", node.get("targetSecret").asText());
    }

    @Test
    void targetsNeverCarryChap() throws Exception {
        String json = Json.write(Samples.targetWithChap());
        assertFalse(json.contains(Samples.CHAP_SECRET), json);
        assertFalse(json.contains(Samples.CHAP_USER), json);
        JsonNode node = mapper.readTree(json);
        assertFalse(node.has("chap"));
        assertEquals("iqn.2010-01.com.solidfire:abc.vol1.42", node.get("name").asText());
        assertEquals("10.0.0.5:3260", node.get("portals").get(0).asText());
        assertEquals("[fd00::5]:3261", node.get("portals").get(1).asText());
    }

    @Test
    void portalsAreTheTextPortalParseReadsBack() throws Exception {
        for (Portal p : List.of(new Portal("fd00::5", 3261), Portal.iscsi("san.example"), new Portal("10.0.0.5", 860))) {
            JsonNode node = mapper.readTree(Json.write(p));
            assertTrue(node.isTextual(), node.toString());
            assertEquals(p, Portal.parse(node.asText(), 1));
        }
    }

    @Test
    void instantsAreIsoStrings() throws Exception {
        JsonNode node = mapper.readTree(Json.write(new IoStats(1, 2, 3, 4, Instant.parse("2026-01-02T03:04:05Z"))));
        assertEquals("2026-01-02T03:04:05Z", node.get("sampledAt").asText());
        assertEquals(3, node.get("readBytes").asLong());
    }

    @Test
    void onlyRecordComponents() throws Exception {
        JsonNode limit = mapper.readTree(Json.write(Limit.of(5)));
        assertEquals(List.of("rate", "burst", "burstSeconds"), fieldNames(limit));
        JsonNode spec = mapper.readTree(Json.write(QosSpec.NONE));
        assertEquals(List.of("storage", "limits"), fieldNames(spec));
        assertFalse(spec.get("storage").has("empty"));
    }

    @Test
    void listsAreArrays() throws Exception {
        assertTrue(mapper.readTree(Json.write(List.of(Limit.NONE, Limit.NONE))).isArray());
        assertTrue(mapper.readTree(Json.write(List.of())).isArray());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
