package org.spindle.storage.core.internal.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.spindle.storage.api.IoStats;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.Limit;
import org.spindle.storage.api.qos.QosSpec;
import org.spindle.storage.api.qos.StorageQos;
import org.spindle.storage.api.usage.UsageQuery;
import org.spindle.storage.api.usage.UsageRecord;
import org.spindle.storage.api.volume.Volume;

/**
 * Usage records over a scripted hour and a half, checked against values worked out by hand: a QoS change, a VM
 * restart (its counter starts again from zero), a detach (counters from the SAN from then on) and a re-attach, one
 * period boundary crossed.
 */
class UsageTest extends LifecycleFixture {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    /** A clock the test moves. */
    private static final class TestClock extends Clock {
        volatile Instant now = T0;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void at(String hhmm) {
            now = Instant.parse("2026-12-01T" + hhmm + ":00Z");
        }
    }

    private final TestClock clock = new TestClock();

    @Override
    VolumeManager newManager() {
        return new VolumeManager(store, pools, attachers, defaults, Runnable::run, Reconciler.ReconcileSettings.DEFAULT,
                new VolumeManager.QosSettings(0, false, 0, 3600), clock, null);
    }

    private static IoStats io(long r, long w, long rb, long wb) {
        return new IoStats(r, w, rb, wb, Instant.now());
    }

    @Test
    void usageAcrossAQosChange_aCounterReset_aDetachAndAReattach_matchesTheHandComputedValues() {
        clock.at("10:00");
        Volume v = create("u1"); // gold: SAN 500/1000/1500, hypervisor read 400 + write 200
        clock.at("10:15");
        h1.stats.put(v.id(), io(0, 0, 0, 0));
        volumes.attach("u1", "vm1", null); // effective 500 / 600 / 600 from now on

        clock.at("10:30");
        h1.stats.put(v.id(), io(100, 50, 4096, 2048));
        volumes.changeQos("u1", new QosSpec(StorageQos.NONE,
                new IoLimits(Limit.of(800), Limit.of(400), Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE))); // 500 / 1000 / 1200

        clock.at("10:45");
        h1.stats.put(v.id(), io(30, 10, 300, 100)); // the VM restarted: its counters started again
        volumes.sample();

        clock.at("11:15");
        h1.stats.put(v.id(), io(90, 40, 900, 400));
        san.stats.put(v.id(), io(1000, 1000, 1000, 1000));
        volumes.detach("u1"); // the SAN's counters from now on; effective 500 / 1000 / 1500

        clock.at("11:30");
        san.stats.put(v.id(), io(1100, 1050, 2000, 1500));
        h1.stats.put(v.id(), io(5, 5, 5, 5));
        volumes.attach("u1", "vm1", null); // a new disk: counters from 5; effective 500 / 1000 / 1200

        clock.at("11:45");
        h1.stats.put(v.id(), io(25, 15, 205, 105));
        volumes.sample();

        List<UsageRecord> usage = volumes.usage(new UsageQuery("u1", null, T0, Instant.parse("2026-12-01T12:00:00Z")));
        assertEquals(2, usage.size(), String.valueOf(usage));
        UsageRecord first = usage.get(0);
        assertEquals(T0, first.start());
        assertEquals(Instant.parse("2026-12-01T11:00:00Z"), first.end());
        assertEquals(3600, first.seconds());
        assertEquals(10 * G, first.allocatedBytes());
        // 0 for 15 min (nothing on the SAN), then 500 for 45 min
        assertEquals(375, first.guaranteedIops());
        // 0·15 + 600·15 + 1000·15 + 1000·15, over 60
        assertEquals(650, first.maxIops());
        // 0·15 + 600·15 + 1200·15 + 1200·15, over 60
        assertEquals(750, first.burstIops());
        // 100 before the change, 30 counted since the restart, half of the 60 of 10:45-11:15
        assertEquals(160, first.readOps());
        assertEquals(75, first.writeOps());
        assertEquals(4696, first.readBytes());
        assertEquals(2298, first.writeBytes());

        UsageRecord second = usage.get(1);
        assertEquals(2700, second.seconds(), "11:00 to the last reading at 11:45");
        assertEquals(500, second.guaranteedIops());
        assertEquals(1000, second.maxIops());
        // 1200·15 + 1500·15 (detached: the SAN's burst) + 1200·15, over 45
        assertEquals(1300, second.burstIops());
        // the other half of 10:45-11:15, 100 from the SAN while detached, 20 on the new disk
        assertEquals(150, second.readOps());
        assertEquals(75, second.writeOps());
        assertEquals(1500, second.readBytes());
        assertEquals(750, second.writeBytes());
        assertEquals("admin", second.tenant());
        assertEquals("sf1", second.pool());

        assertTrue(volumes.usage(new UsageQuery(null, "nobody", T0, clock.now)).isEmpty(), "by tenant");
        assertEquals(2, volumes.usage(new UsageQuery(null, "admin", T0, clock.now)).size());
        assertEquals(1, volumes.usage(new UsageQuery(null, null, Instant.parse("2026-12-01T11:10:00Z"), clock.now)).size());
    }

    @Test
    void aReadingRepeatedOrOutOfOrder_neverCountsTwice() {
        clock.at("10:00");
        Volume v = create("u2");
        clock.at("10:10");
        h1.stats.put(v.id(), io(0, 0, 0, 0));
        volumes.attach("u2", "vm1", null);
        h1.stats.put(v.id(), io(10, 0, 0, 0));
        clock.at("10:20");
        volumes.sample();
        volumes.sample(); // the same instant again: nothing more
        clock.at("10:15");
        volumes.sample(); // a node whose clock is behind: nothing
        List<UsageRecord> usage = volumes.usage(new UsageQuery("u2", null, T0, Instant.parse("2026-12-01T11:00:00Z")));
        assertEquals(10, usage.get(0).readOps());
        assertEquals(1200, usage.get(0).seconds());
    }

    @Test
    void badQueries_nameTheField() {
        assertEquals("to", assertThrows(StorageException.class, () -> new UsageQuery(null, null, T0, T0)).field());
        assertEquals("from", assertThrows(StorageException.class, () -> new UsageQuery(null, null, null, T0)).field());
        assertEquals("volume", assertThrows(StorageException.class,
                () -> volumes.usage(new UsageQuery("nope", null, T0, T0.plus(Duration.ofHours(1))))).field());
    }
}
