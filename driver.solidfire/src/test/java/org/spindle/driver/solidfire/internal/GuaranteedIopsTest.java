package org.spindle.driver.solidfire.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.spindle.driver.solidfire.internal.element.Wire;

/** The guaranteed-IOPS tally on its own: listings replace it, the driver's changes adjust it, none undoes a newer one. */
class GuaranteedIopsTest {
    final AtomicLong now = new AtomicLong(1_000);
    final GuaranteedIops tally = new GuaranteedIops(now::get, Duration.ofSeconds(10));

    static Wire.Volume volume(long id, long min, String status) {
        return new Wire.Volume(id, "v" + id, 1, status, 1L << 30, "iqn", new Wire.Qos(min, 1000, 1000), Map.of(),
                List.of(), "");
    }

    @Test
    void unknownUntilListed_thenAdjustedByChanges() {
        tally.put(volume(1, 500, "active"));
        assertEquals(OptionalLong.empty(), tally.sum(), "a change alone says nothing about the other volumes");
        tally.listed(List.of(volume(1, 500, "active"), volume(2, 300, "active"), volume(3, 900, "deleted")), tally.now());
        assertEquals(OptionalLong.of(800), tally.sum(), "deleted volumes guarantee nothing");
        tally.put(volume(2, 1000, "active"));
        tally.put(volume(4, 50, "active"));
        assertEquals(OptionalLong.of(1550), tally.sum());
        tally.removed(1);
        tally.removed(1);
        tally.removed(99);
        assertEquals(OptionalLong.of(1050), tally.sum(), "removing twice, or what was never there, is harmless");
    }

    @Test
    void aListingThatStartedBeforeAChangeDoesNotUndoIt() {
        tally.listed(List.of(volume(1, 500, "active")), tally.now());
        now.addAndGet(10);
        long listingStarted = tally.now();
        now.addAndGet(10);
        tally.put(volume(2, 700, "active"));   // created while the listing was on the wire
        tally.removed(1);                       // and this one deleted
        now.addAndGet(10);
        tally.listed(List.of(volume(1, 500, "active")), listingStarted); // the listing saw neither change
        assertEquals(OptionalLong.of(700), tally.sum());
        tally.listed(List.of(volume(1, 500, "active"), volume(3, 100, "active")), listingStarted - 5);
        assertEquals(OptionalLong.of(700), tally.sum(), "an older listing than the one known is ignored");
        now.addAndGet(10);
        tally.listed(List.of(volume(2, 200, "active")), tally.now()); // a later listing is the truth again
        assertEquals(OptionalLong.of(200), tally.sum());
    }

    @Test
    void tooOldIsUnknown() {
        tally.listed(List.of(volume(1, 500, "active")), tally.now());
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        assertEquals(OptionalLong.of(500), tally.sum());
        now.addAndGet(1);
        assertEquals(OptionalLong.empty(), tally.sum());
    }
}
