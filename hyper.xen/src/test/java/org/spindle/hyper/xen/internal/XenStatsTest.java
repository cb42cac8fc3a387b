package org.spindle.hyper.xen.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.spindle.storage.api.IoStats;
import org.spindle.storage.api.attach.Attachment;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.xen.simulator.TgtLun;
import org.spindle.xen.simulator.XenSimulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * diskStats from the RRD feed, on I/O the VM really did: the simulator serves each guest request over iSCSI to the
 * tgt LUN (qemu-io as the VM's host) and counts it in the VM's RRD; the service integrates {@code /rrd_updates} rows
 * of the host the VM runs on. The pool's clock is the test's, so an RRD step completes without waiting.
 */
class XenStatsTest {
    private static final long MIB = 1L << 20;
    private static final long T0 = 1_800_000_001L;

    /** The pool's time, moved on by the test. */
    static final class TestClock extends Clock {
        private volatile Instant now;

        TestClock(Instant start) {
            this.now = start;
        }

        void advance(long seconds) {
            now = now.plusSeconds(seconds);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    static void requireQemuIo() {
        boolean there = TgtLun.available() && new java.io.File("/usr/bin/qemu-io").canExecute();
        String message = "guest I/O needs tgtd, libiscsi-bin and qemu-io with QEMU's iSCSI driver (scripts/tgt.sh, scripts/libvirt.sh start)";
        if (Boolean.getBoolean("spindle.require.tgt")) {
            assertTrue(there, message + " (spindle.require.tgt=true)");
        } else {
            assumeTrue(there, message);
        }
    }

    /** Counters as the feed gives them: operations exact, bytes to five significant digits per row. */
    private static void assertStats(long readOps, long writeOps, long readBytes, long writeBytes, IoStats s) {
        assertEquals(readOps, s.readOps(), "read ops in " + s);
        assertEquals(writeOps, s.writeOps(), "write ops in " + s);
        assertTrue(Math.abs(s.readBytes() - readBytes) <= Math.max(1, readBytes / 5000), "read bytes " + readBytes + " in " + s);
        assertTrue(Math.abs(s.writeBytes() - writeBytes) <= Math.max(1, writeBytes / 5000), "write bytes " + writeBytes + " in " + s);
    }

    @Test
    void countersAreTheVmsRealIoIntegratedFromTheFeedOfItsHost() throws Exception {
        requireQemuIo();
        TestClock clock = new TestClock(Instant.ofEpochSecond(T0));
        XenSimulator sim = XenSimulator.builder().clock(clock).host("xen1", XenPeer.IQN1).host("xen2", XenPeer.IQN2)
                .host("xen3", XenPeer.IQN3).vm("web", "xen2", true).build().start();
        try (XenPeer xen = XenPeer.on(sim); TgtLun lun = XenPeer.lun("stats-" + (System.nanoTime() % 100000), 96L << 20)) {
            Attachment a = xen.pool.attach(xen.request(UUID.randomUUID(), "web", lun, IoLimits.NONE));
            assertEquals(new IoStats(0, 0, 0, 0, Instant.ofEpochSecond(T0)), xen.pool.diskStats(a));
            String dev = (String) sim.records("VBD").get(0).get("device");

            assertEquals(MIB, sim.guestIo("web", dev, true, 0, (int) MIB));
            assertEquals(MIB / 2, sim.guestIo("web", dev, false, 0, (int) (MIB / 2)));
            assertStats(0, 0, 0, 0, xen.pool.diskStats(a));
            clock.advance(5);
            assertStats(1, 1, MIB / 2, MIB, xen.pool.diskStats(a));
            clock.advance(30);
            IoStats quiet = xen.pool.diskStats(a);
            assertStats(1, 1, MIB / 2, MIB, quiet);
            assertEquals(Instant.ofEpochSecond(T0 + 34), quiet.sampledAt(), "the last row counted (end of the last whole step)");

            // the VM moves: its RRD moves with it, and the feed of its new host goes on counting
            sim.migrate("web", "xen3");
            sim.guestIo("web", dev, true, MIB, (int) MIB);
            clock.advance(5);
            assertStats(1, 2, MIB / 2, 2 * MIB, xen.pool.diskStats(a));

            // a service that remembers nothing (a restart) integrates the same history from the attach
            try (XenPool after = new XenPool(new XenSession(xen.settings, XenTls.of(xen.settings)), xen.settings.staticSrs())) {
                assertStats(1, 2, MIB / 2, 2 * MIB, after.diskStats(a));
                // 15 minutes on, the history is in 1-minute rows, then 5-second rows: the same, nothing twice
                clock.advance(900);
                assertStats(1, 2, MIB / 2, 2 * MIB, after.diskStats(a));
            }
            try (XenPool later = new XenPool(new XenSession(xen.settings, XenTls.of(xen.settings)), xen.settings.staticSrs())) {
                assertStats(1, 2, MIB / 2, 2 * MIB, later.diskStats(a));
            }

            // halted: no feed, the counters stay; the steps it was down are gaps (NaN) and count nothing
            sim.shutdown("web");
            clock.advance(20);
            assertStats(1, 2, MIB / 2, 2 * MIB, xen.pool.diskStats(a));
            sim.startVm("web", "xen1");
            sim.guestIo("web", dev, true, 0, 4096);
            clock.advance(5);
            assertStats(1, 3, MIB / 2, 2 * MIB + 4096, xen.pool.diskStats(a));

            xen.pool.detach(a);
            xen.assertEmpty();
        }
    }
}
