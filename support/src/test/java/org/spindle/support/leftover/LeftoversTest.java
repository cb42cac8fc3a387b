package org.spindle.support.leftover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** The two-checks rule and the in-flight count, on names of things standing for SRs, datastores or secrets. */
class LeftoversTest {
    static final UUID A = UUID.fromString("00000000-0000-0000-0000-00000000000a");
    static final UUID B = UUID.fromString("00000000-0000-0000-0000-00000000000b");

    final Leftovers<String, String> leftovers = new Leftovers<>(Comparator.naturalOrder());
    final List<String> made = new ArrayList<>();

    /** One check reading {@code unused} (name, volume, name, volume, …); returns what is reported after it. */
    List<String> check(Object... unused) {
        Map<String, UUID> read = new LinkedHashMap<>();
        for (int i = 0; i < unused.length; i += 2) {
            read.put((String) unused[i], (UUID) unused[i + 1]);
        }
        leftovers.check(() -> read, this::report);
        return leftovers.reported();
    }

    String report(String thing) {
        made.add(thing);
        return "leftover " + thing;
    }

    @Test
    void unusedAtTwoChecksInARowIsReportedAndStaysWhileUnused() {
        assertEquals(List.of(), check("sr-1", A), "seen once: maybe an attach between its SR and its disk");
        assertEquals(List.of("leftover sr-1"), check("sr-1", A));
        assertEquals(List.of("leftover sr-1"), check("sr-1", A));
        assertEquals(List.of("sr-1"), made, "the report is made once, at the first report");
    }

    @Test
    void twoChecksMustBeInARow() {
        check("sr-1", A);
        check();
        assertEquals(List.of(), check("sr-1", A), "unused, used, unused: seen once in a row");
        assertEquals(List.of("leftover sr-1"), check("sr-1", A));
    }

    @Test
    void whatIsUsedAgainIsForgotten() {
        check("sr-1", A, "sr-2", B);
        assertEquals(List.of("leftover sr-1", "leftover sr-2"), check("sr-1", A, "sr-2", B));
        assertEquals(List.of("leftover sr-2"), check("sr-2", B), "sr-1 has a disk again");
        assertEquals(List.of("leftover sr-2"), check("sr-1", A, "sr-2", B), "sr-1 starts over: seen once");
    }

    @Test
    void nothingOfAVolumeIsReportedWhileAnAttachOfItRuns() {
        check("sr-1", A, "sr-2", B);
        leftovers.attaching(A);
        assertTrue(leftovers.attachRunning(A));
        assertEquals(List.of("leftover sr-2"), check("sr-1", A, "sr-2", B));
        assertEquals(List.of("leftover sr-2"), check("sr-1", A, "sr-2", B));
        leftovers.attachEnded(A);
        assertFalse(leftovers.attachRunning(A));
        assertEquals(List.of("leftover sr-2"), check("sr-1", A, "sr-2", B), "the attach reset what was seen of sr-1");
        assertEquals(List.of("leftover sr-1", "leftover sr-2"), check("sr-1", A, "sr-2", B));
    }

    @Test
    void anAttachReportedAlreadyDropsTheReport() {
        check("sr-1", A);
        check("sr-1", A);
        leftovers.attaching(A); // a new attach of the volume reuses its SR
        assertEquals(List.of(), check("sr-1", A));
    }

    @Test
    void twoOverlappingAttachesOfOneVolume_theFirstToEndLeavesTheVolumeMarked() {
        leftovers.attaching(A);
        leftovers.attaching(A);
        leftovers.attachEnded(A);
        assertTrue(leftovers.attachRunning(A), "the second attach still runs");
        check("sr-1", A);
        assertEquals(List.of(), check("sr-1", A));
        leftovers.attachEnded(A);
        assertFalse(leftovers.attachRunning(A));
        leftovers.attachEnded(A); // an end too many changes nothing
        assertFalse(leftovers.attachRunning(A));
        leftovers.attaching(A);
        assertTrue(leftovers.attachRunning(A), "no negative count left behind");
    }

    @Test
    void anAttachThatStartsDuringTheReadCounts() {
        leftovers.check(() -> Map.of("sr-1", A), this::report);
        leftovers.check(() -> {
            leftovers.attaching(A); // starts while the hypervisor is read
            return Map.of("sr-1", A);
        }, this::report);
        assertEquals(List.of(), leftovers.reported());
    }

    @Test
    void anAttachThatEndsDuringTheReadCounts() {
        leftovers.check(() -> Map.of("sr-1", A), this::report);
        leftovers.attaching(A);
        leftovers.check(() -> {
            leftovers.attachEnded(A); // its disk came after the read saw the SR without one
            return Map.of("sr-1", A);
        }, this::report);
        assertEquals(List.of(), leftovers.reported());
    }

    @Test
    void aFailedReadChangesNothing() {
        check("sr-1", A);
        assertThrows(IOException.class, () -> leftovers.check(() -> {
            throw new IOException("connection reset");
        }, this::report));
        assertEquals(List.of("leftover sr-1"), check("sr-1", A), "the failed read did not reset what was seen");
    }

    @Test
    void checkSaysWhetherTheReportsChanged() {
        assertFalse(leftovers.check(() -> Map.of("sr-1", A), this::report));
        assertTrue(leftovers.check(() -> Map.of("sr-1", A), this::report), "added");
        assertFalse(leftovers.check(() -> Map.of("sr-1", A), this::report), "the same");
        assertTrue(leftovers.check(Map::of, this::report), "dropped");
    }

    @Test
    void forgettingAVolumeDropsItsReportsOnly() {
        check("sr-1", A, "sr-2", B);
        check("sr-1", A, "sr-2", B);
        assertTrue(leftovers.forget(A));
        assertFalse(leftovers.forget(A));
        assertEquals(List.of("leftover sr-2"), leftovers.reported());
        assertEquals(List.of("leftover sr-1", "leftover sr-2"), check("sr-1", A, "sr-2", B), "still there: reported again");
    }

    @Test
    void withoutAnOrderReportsKeepTheOrderTheyWereFirstMadeIn() {
        Leftovers<String, String> byFirst = new Leftovers<>();
        byFirst.check(() -> Map.of("z", A), this::report);
        byFirst.check(() -> Map.of("z", A), this::report);
        Map<String, UUID> both = new LinkedHashMap<>();
        both.put("a", B);
        both.put("z", A);
        byFirst.check(() -> both, this::report);
        byFirst.check(() -> both, this::report);
        assertEquals(List.of("leftover z", "leftover a"), byFirst.reported());
        check("z", A, "a", B);
        assertEquals(List.of("leftover a", "leftover z"), check("z", A, "a", B), "with an order: sorted");
    }
}
