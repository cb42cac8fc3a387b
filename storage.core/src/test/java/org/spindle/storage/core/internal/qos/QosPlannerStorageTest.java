package org.spindle.storage.core.internal.qos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.spindle.storage.core.internal.qos.Fixtures.BARE_POOL;
import static org.spindle.storage.core.internal.qos.Fixtures.FULL_POOL;
import static org.spindle.storage.core.internal.qos.Fixtures.assertRefused;
import static org.spindle.storage.core.internal.qos.Fixtures.l;
import static org.spindle.storage.core.internal.qos.Fixtures.pool;
import static org.spindle.storage.core.internal.qos.Fixtures.s;
import static org.spindle.storage.core.internal.qos.Fixtures.spec;

import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.Limit;
import org.spindle.storage.api.qos.StorageQos;

class QosPlannerStorageTest {
    final QosPlanner planner = new QosPlanner();
    /** min 100 to 5000, max and burst at most 10000. */
    final StorageCapabilities ranged = new StorageCapabilities(true, Set.of("min-iops", "max-iops", "burst-iops"),
            100, 5000, 10_000);

    @Test
    void fullPoolEnforcesEverything() {
        assertEquals(s(500, 1000, 2000), planner.planStorage(spec(s(500, 1000, 2000)), FULL_POOL));
        assertEquals(StorageQos.NONE, planner.planStorage(spec(StorageQos.NONE), StorageCapabilities.NONE));
    }

    @Test
    void minIopsOnPoolWithoutGuaranteeRefused() {
        assertRefused(() -> planner.planStorage(spec(s(500, 1000, 0)), pool("max-iops", "burst-iops")), "min-iops",
                "min-iops 500", "cannot be guaranteed", "[max-iops, burst-iops]");
    }

    @Test
    void minIopsOnStaticPoolRefused() {
        assertRefused(() -> planner.planStorage(spec(s(500, 0, 0)), StorageCapabilities.NONE), "min-iops",
                "min-iops 500", "none (static pool)");
    }

    @ParameterizedTest(name = "{0}/{1}/{2} refused on {3}")
    @CsvSource({
            "99,   0,     0,     min-iops,   min-iops 99,      100 to 5000",
            "5001, 0,     0,     min-iops,   min-iops 5001,    100 to 5000",
            "0,    10001, 0,     max-iops,   max-iops 10001,   at most 10000",
            "0,    1000,  10001, burst-iops, burst-iops 10001, at most 10000",
    })
    void outsidePoolRanges(long min, long max, long burst, String field, String value, String range) {
        assertRefused(() -> planner.planStorage(spec(s(min, max, burst)), ranged), field, value, range);
    }

    @Test
    void rangeBoundsIncluded() {
        assertEquals(s(100, 10_000, 10_000), planner.planStorage(spec(s(100, 10_000, 10_000)), ranged));
        assertEquals(s(5000, 0, 0), planner.planStorage(spec(s(5000, 0, 0)), ranged));
    }

    @Test
    void floorOnlyAndCeilingOnlyRanges() {
        StorageCapabilities floor = new StorageCapabilities(true, Set.of("min-iops"), 100, 0, 0);
        assertRefused(() -> planner.planStorage(spec(s(50, 0, 0)), floor), "min-iops", "min-iops 50", "at least 100");
        assertEquals(s(1_000_000, 0, 0), planner.planStorage(spec(s(1_000_000, 0, 0)), floor));
    }

    @Test
    void capsTheDriverCannotEnforceAreLeftToTheHypervisor() {
        StorageSplit split = StorageSplit.of(s(500, 1000, 2000), pool("min-iops"));
        assertEquals(s(500, 0, 0), split.san());
        assertEquals(l(1000, 2000), split.residual());
        assertEquals("max-iops", split.residualField());
        assertEquals("max-iops 1000 and burst-iops 2000", split.residualText());
        assertEquals(s(500, 0, 0), planner.planStorage(spec(s(500, 1000, 2000)), pool("min-iops")));
    }

    @Test
    void sanBurstNeedsTheSanMaxItBurstsOver() {
        // the driver enforces bursts but not the max: both go to the hypervisor
        StorageSplit split = StorageSplit.of(s(0, 1000, 2000), pool("burst-iops"));
        assertEquals(StorageQos.NONE, split.san());
        assertEquals(l(1000, 2000), split.residual());
        // without a max, the SAN burst stays on the SAN
        assertEquals(s(0, 0, 2000), planner.planStorage(spec(s(0, 0, 2000)), pool("burst-iops")));
    }

    @Test
    void maxGoesWithTheBurstTheDriverCannotEnforce() {
        // a SAN holding max-iops 1000 without the burst would cap every burst at 1000
        StorageSplit split = StorageSplit.of(s(100, 1000, 1500), pool("min-iops", "max-iops"));
        assertEquals(s(100, 0, 0), split.san());
        assertEquals(l(1000, 1500), split.residual());
        assertEquals("burst-iops", split.residualField());
        assertEquals("burst-iops 1500 (with the max-iops 1000 it bursts over)", split.residualText());
    }

    @Test
    void burstOnlyLeftOverIsACap() {
        StorageSplit split = StorageSplit.of(s(0, 0, 1500), BARE_POOL);
        assertEquals(Limit.of(1500), split.residual());
    }

    @Test
    void rangesDoNotApplyToWhatTheSanDoesNotEnforce() {
        StorageCapabilities minOnly = new StorageCapabilities(true, Set.of("min-iops"), 0, 0, 10_000);
        assertEquals(s(0, 0, 0), planner.planStorage(spec(s(0, 20_000, 0)), minOnly));
    }

    @Test
    void nothingLeftOverWhenTheSanEnforcesAll() {
        StorageSplit split = StorageSplit.of(s(100, 1000, 2000), FULL_POOL);
        assertEquals(Limit.NONE, split.residual());
        assertEquals(null, split.residualField());
    }
}
