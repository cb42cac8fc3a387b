package org.spindle.itest;

import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.spindle.solidfire.simulator.ElementSimulator;

/**
 * The crash checkers' SAN half ({@link SanInvariants}) against an Element simulator (no tgt, in this JVM) and rows as
 * {@code storage:volume-list --json} gives them: a consistent SAN and database pass; each broken invariant, seeded
 * alone, is found, and only it, naming its volume first.
 */
public class SanInvariantsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private ElementSimulator san;
    private long account;
    private final ArrayNode rows = JSON.createArrayNode();

    @Before
    public void start() throws Exception {
        san = ElementSimulator.builder().tgt(ElementSimulator.TgtMode.OFF).start();
        account = san.invoke("AddAccount", JSON.createObjectNode().put("username", "spindle-t"), "12.3").path("accountID").asLong();
    }

    @After
    public void stop() {
        san.close();
    }

    /** A SAN volume made for Spindle volume {@code id} ({@code null}: not Spindle's); its volumeID. */
    private long sanVolume(String id) {
        ObjectNode p = JSON.createObjectNode().put("name", "v" + UUID.randomUUID().toString().substring(0, 8)).put("accountID", account)
                .put("totalSize", 1L << 30).put("enable512e", true);
        if (id != null) {
            p.putObject("attributes").put("spindle-uuid", id);
        }
        return san.invoke("CreateVolume", p, "12.3").path("volumeID").asLong();
    }

    private void grant(long... sanIds) {
        ObjectNode p = JSON.createObjectNode().put("name", "ag" + rows.size() + "-" + sanIds[0]);
        p.putArray("initiators").add("iqn.2026-12.org.spindle.itest:h" + sanIds[0]);
        ArrayNode volumes = p.putArray("volumes");
        for (long s : sanIds) {
            volumes.add(s);
        }
        san.invoke("CreateVolumeAccessGroup", p, "12.3");
    }

    private String row(String name, String state, long sanId) {
        String id = UUID.randomUUID().toString();
        rows.addObject().put("id", id).put("name", name).put("state", state).put("sanId", sanId == 0 ? "" : String.valueOf(sanId));
        return id;
    }

    private List<String> violations(List<String> alive) {
        Map<String, JsonNode> byId = SanInvariants.byId(rows);
        List<String> out = new ArrayList<>(SanInvariants.check(san, byId).violations());
        out.addAll(SanInvariants.lost(byId, alive));
        return out;
    }

    /** A READY and an ATTACHED volume, each with its SAN volume, the ATTACHED one granted; an ALLOCATED one; a foreign SAN volume. */
    private void consistent() {
        String ready = UUID.randomUUID().toString();
        rows.addObject().put("id", ready).put("name", "ready").put("state", "READY").put("sanId", String.valueOf(sanVolume(ready)));
        String attached = UUID.randomUUID().toString();
        long attachedSan = sanVolume(attached);
        rows.addObject().put("id", attached).put("name", "attached").put("state", "ATTACHED").put("sanId", String.valueOf(attachedSan));
        grant(attachedSan);
        row("allocated", "ALLOCATED", 0);
        sanVolume(null);
    }

    @Test
    public void aConsistentSanAndDatabase_breakNothing() {
        consistent();
        assertEquals(List.of(), violations(List.of("ready", "attached", "allocated")));
    }

    @Test
    public void anOperationInFlight_isFound() {
        consistent();
        String id = row("busy", "ATTACHING", 0);
        assertEquals(List.of(id + " (busy) is still ATTACHING"), violations(List.of()));
    }

    @Test
    public void aSanVolumeOfNoLiveVolume_isFound_aDeletedOneIsNot() {
        consistent();
        String orphan = UUID.randomUUID().toString();
        long s = sanVolume(orphan);
        long deleted = sanVolume(UUID.randomUUID().toString());
        san.invoke("DeleteVolume", JSON.createObjectNode().put("volumeID", deleted), "12.3");
        List<String> found = violations(List.of());
        assertEquals(found.toString(), 1, found.size());
        assertEquals(true, found.get(0).startsWith(orphan + ": SAN volume " + s + " ("));
        assertEquals(true, found.get(0).endsWith(") is not the one of a live volume (gone)"));
    }

    @Test
    public void aSecondSanVolumeOfOneVolume_isFound() {
        consistent();
        String id = UUID.randomUUID().toString();
        long first = sanVolume(id);
        long second = sanVolume(id);
        rows.addObject().put("id", id).put("name", "twice").put("state", "READY").put("sanId", String.valueOf(first));
        List<String> found = violations(List.of());
        assertEquals(found.toString(), 2, found.size());
        assertEquals(true, found.get(0).startsWith(id + ": SAN volume " + second + " ("));
        assertEquals(true, found.get(0).endsWith("is not the one of a live volume (twice READY, which records " + first + ")"));
        assertEquals(id + " has 2 SAN volumes", found.get(1));
    }

    @Test
    public void aGrantOfAVolumeNotAttached_andOfASanVolumeNotSpindles_areFound() {
        consistent();
        String id = UUID.randomUUID().toString();
        long s = sanVolume(id);
        rows.addObject().put("id", id).put("name", "granted").put("state", "READY").put("sanId", String.valueOf(s));
        long foreign = sanVolume(null);
        grant(s, foreign);
        List<String> found = violations(List.of());
        assertEquals(found.toString(), 2, found.size());
        assertEquals(true, found.get(0).matches(id + ": access group \\S+ still grants SAN volume " + s + " \\(granted READY\\)"));
        assertEquals(true, found.get(1).matches("null: access group \\S+ still grants SAN volume " + foreign + " \\(gone\\)"));
    }

    @Test
    public void aVolumeTheUserMadeAndDidNotDelete_isLostWhenNoRowHasIt() {
        consistent();
        assertEquals(List.of("volume gone1 was lost"), violations(List.of("ready", "gone1", "attached")));
    }
}
