package org.spindle.itest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.spindle.solidfire.simulator.ElementSimulator;
import org.spindle.solidfire.simulator.Views;

/**
 * The half of the crash tests' checkers that holds for every hypervisor: the live volumes as the shell lists them
 * against the Element simulator (which outlives the runtime, as a SAN does). No operation is left in flight; every
 * active SAN volume Spindle made (its {@code spindle-uuid} attribute) belongs to exactly one live volume, which records
 * it as its {@code sanId}; an access group grants only the SAN volumes of ATTACHED volumes; and ({@link #lost}) every
 * name a test made and did not delete is still a live volume. Each violation about a volume starts with its id
 * ({@code null} where a granted SAN volume is no Spindle volume), so that a test holding several volumes at one kill
 * can tell whose it is. A rig adds its hypervisor's half, with {@link #iqnOf} and {@link #volumeOfIqn} where it needs
 * the LUNs.
 */
final class SanInvariants {
    static final List<String> IN_FLIGHT = List.of("CREATING", "ATTACHING", "DETACHING", "RESIZING", "CHANGING_QOS", "DESTROYING");

    private final List<String> violations = new ArrayList<>();
    private final Map<String, String> iqnOfVolume = new HashMap<>();
    private final Map<String, String> volumeOfIqn = new HashMap<>();

    private SanInvariants() {
    }

    /** The live volumes as {@code karaf}'s shell lists them now, by id. */
    static Map<String, JsonNode> rows(KarafProcess karaf) throws Exception {
        return byId(karaf.json("storage:volume-list --json"));
    }

    /** The volumes of a {@code storage:volume-list --json} answer, by id. */
    static Map<String, JsonNode> byId(JsonNode list) {
        Map<String, JsonNode> out = new HashMap<>();
        for (JsonNode v : list) {
            out.put(v.path("id").asText(), v);
        }
        return out;
    }

    static boolean attached(JsonNode row) {
        return row != null && "ATTACHED".equals(row.path("state").asText());
    }

    /** A row for a message: its name and state, or {@code gone}. */
    static String describe(JsonNode row) {
        return row == null ? "gone" : row.path("name").asText() + " " + row.path("state").asText();
    }

    /** Checks {@code san} against {@code rows} (the live volumes by id, as the shell listed them just before). */
    static SanInvariants check(ElementSimulator san, Map<String, JsonNode> rows) {
        SanInvariants c = new SanInvariants();
        for (JsonNode r : rows.values()) {
            if (IN_FLIGHT.contains(r.path("state").asText())) {
                c.violations.add(r.path("id").asText() + " (" + r.path("name").asText() + ") is still " + r.path("state").asText());
            }
        }
        Map<Long, String> volumeOfSanId = new HashMap<>();
        Map<String, Integer> sanPerVolume = new HashMap<>();
        for (Views.Volume v : san.volumes()) {
            Object uuid = v.attributes().get("spindle-uuid");
            if (uuid == null || !"active".equals(v.status())) {
                continue;
            }
            String id = uuid.toString();
            volumeOfSanId.put(v.volumeID(), id);
            c.volumeOfIqn.put(v.iqn(), id);
            c.iqnOfVolume.put(id, v.iqn());
            sanPerVolume.merge(id, 1, Integer::sum);
            JsonNode row = rows.get(id);
            if (row == null || !String.valueOf(v.volumeID()).equals(row.path("sanId").asText())) {
                c.violations.add(id + ": SAN volume " + v.volumeID() + " (" + v.name() + ") is not the one of a live volume ("
                        + (row == null ? "gone" : describe(row) + ", which records " + row.path("sanId").asText()) + ")");
            }
        }
        sanPerVolume.forEach((id, n) -> {
            if (n > 1) {
                c.violations.add(id + " has " + n + " SAN volumes");
            }
        });
        for (Views.AccessGroup g : san.accessGroups()) {
            for (Long sanId : g.volumes()) {
                String id = volumeOfSanId.get(sanId);
                JsonNode row = id == null ? null : rows.get(id);
                if (!attached(row)) {
                    c.violations.add(id + ": access group " + g.name() + " still grants SAN volume " + sanId + " (" + describe(row) + ")");
                }
            }
        }
        return c;
    }

    /** What {@link #check} found, in a list of the caller's to add its own to. */
    List<String> violations() {
        return new ArrayList<>(violations);
    }

    /** The IQN of the active SAN volume of Spindle volume {@code id}, or null. */
    String iqnOf(String id) {
        return iqnOfVolume.get(id);
    }

    /** The Spindle volume whose active SAN volume has {@code iqn}, or null. */
    String volumeOfIqn(String iqn) {
        return volumeOfIqn.get(iqn);
    }

    /** {@code volume NAME was lost} for every name in {@code alive} that no row has. */
    static List<String> lost(Map<String, JsonNode> rows, List<String> alive) {
        Set<String> names = new HashSet<>();
        rows.values().forEach(r -> names.add(r.path("name").asText()));
        List<String> out = new ArrayList<>();
        for (String name : alive) {
            if (!names.contains(name)) {
                out.add("volume " + name + " was lost");
            }
        }
        return out;
    }
}
