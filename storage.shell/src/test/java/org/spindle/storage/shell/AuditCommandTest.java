package org.spindle.storage.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.audit.AuditEvent;
import org.spindle.storage.api.audit.AuditLog;
import org.spindle.storage.api.audit.AuditQuery;

class AuditCommandTest {
    private final List<AuditQuery> queries = new ArrayList<>();
    private final List<AuditEvent> events = List.of(
            new AuditEvent(2, Instant.parse("2026-12-01T10:05:00Z"), "bob", "volume.delete", "v1", "CONFLICT",
                    "volume v1 is attached to vm1; detach it first"),
            new AuditEvent(1, Instant.parse("2026-12-01T10:00:00Z"), "alice", "volume.attach", "v1", "OK", "vm vm1"));

    private Audit command() {
        Audit a = new Audit();
        a.audit = new AuditLog() {
            @Override
            public List<AuditEvent> events(AuditQuery query) {
                queries.add(query);
                return events;
            }
        };
        return a;
    }

    @Test
    void aTableOfWhoDidWhatAndTheOutcome() throws Exception {
        String out = Console.run(command());
        assertTrue(out.contains("alice") && out.contains("volume.attach") && out.contains("vm vm1"), out);
        assertTrue(out.contains("bob") && out.contains("CONFLICT") && out.contains("detach it first"), out);
        assertTrue(out.indexOf("bob") < out.indexOf("alice"), "newest first, as the log gives them: " + out);
        assertEquals(100, queries.get(0).limit(), "a bounded default");
    }

    @Test
    void filtersReachTheQuery_andJsonIsAnArray() throws Exception {
        Audit a = command();
        a.user = "alice";
        a.target = "v1";
        a.from = "2026-12-01";
        a.limit = "5";
        a.json = true;
        JsonNode json = new ObjectMapper().readTree(Console.run(a));
        assertEquals(2, json.size());
        assertEquals("bob", json.get(0).path("actor").asText());
        assertEquals(new AuditQuery(Instant.parse("2026-12-01T00:00:00Z"), null, "alice", "v1", 5), queries.get(0));
    }

    @Test
    void aBadLimitNamesTheOption() {
        Audit a = command();
        a.limit = "lots";
        assertEquals("limit", assertThrows(StorageException.class, () -> Console.run(a)).field());
        a.limit = "0";
        assertEquals("limit", assertThrows(StorageException.class, () -> Console.run(a)).field());
    }
}
