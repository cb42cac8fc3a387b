package org.spindle.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * Runs every benchmark once at the size the build gives (small in CI), so that none rots. It checks what a run must
 * get right, never how fast it was: the concurrent attaches lost, duplicated or left inconsistent nothing, a
 * reconciliation pass over a SolidFire SAN and a database that agree found nothing to recover or remove and listed the SAN
 * through the driver, listings cost no SAN call, and every figure was measured and written to the table.
 */
class BenchRunTest {
    @Test
    void everyFigureIsMeasuredAndTheConcurrentRunLeavesEverythingConsistent() throws Exception {
        Bench.Settings settings = Bench.Settings.fromSystemProperties();
        Bench.Outcome outcome = Bench.run(settings);
        System.out.println(outcome.table());

        assertEquals(List.of(), outcome.violations());
        Set<String> sections = outcome.rows().stream().map(Results.Row::section).collect(Collectors.toSet());
        assertTrue(sections.containsAll(Set.of("core overhead, H2", "concurrency, H2", "scale, H2")), sections.toString());
        if (Boolean.getBoolean("spindle.require.postgres")) {
            assertTrue(sections.containsAll(Set.of("core overhead, PostgreSQL", "concurrency, PostgreSQL", "scale, PostgreSQL")), sections.toString());
        }
        assertTrue(sections.containsAll(Set.of("SAN calls, SolidFire simulator, H2", "reconciliation, SolidFire simulator, H2")), sections.toString());
        // issue 14: listing pools and volumes, and showing one, cost no SAN call (counted by the Element simulator)
        List<Results.Row> listings = outcome.rows().stream().filter(r -> r.section().startsWith("SAN calls") && r.goal().equals("0 calls")).toList();
        assertEquals(3, listings.size(), listings.toString());
        listings.forEach(r -> assertEquals("0.0", r.value(), r.figure()));
        if (!settings.jmh().equals("off")) {
            assertTrue(outcome.rows().stream().filter(r -> r.section().startsWith("micro")).count() >= 11, "every JMH benchmark reported");
        }
        // the floor under the core-overhead goal is measured beside it on each database
        for (String section : sections.stream().filter(s -> s.startsWith("core overhead")).toList()) {
            List<Results.Row> floor = outcome.rows().stream().filter(r -> r.section().equals(section) && r.figure().startsWith("the least ratio")).toList();
            assertEquals(1, floor.size(), section + ": " + floor);
            assertTrue(floor.get(0).ratio() > 1, section + ": durable writes cost something: " + floor.get(0));
        }
        for (String section : sections.stream().filter(s -> s.startsWith("concurrency")).toList()) {
            List<Results.Row> floor = outcome.rows().stream().filter(r -> r.section().equals(section) && r.figure().startsWith("the floor")).toList();
            assertEquals(1, floor.size(), section + ": " + floor);
        }
        for (Results.Row r : outcome.rows()) {
            assertTrue(Double.isFinite(r.ratio()) && r.ratio() >= 0, "a ratio for " + r.figure() + ": " + r.ratio());
        }
        assertTrue(Files.readString(settings.out()).contains("| scale, H2 | get by name"), "the table is written to " + settings.out());
    }

    @Test
    void anUnknownSectionIsRefusedNamingTheProperty() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new Bench.Settings(2_000, 200, 32, 5, "off", java.nio.file.Path.of("x"), false, new java.io.File("x"), List.of("lives", "scal")));
        assertEquals("spindle.bench.sections: one or more of lives, scale, solidfire, comma-separated (was [lives, scal])", e.getMessage());
    }
}
