package org.spindle.itest.driver.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spindle.itest.driver.probe.AccessCall;
import org.spindle.storage.api.PoolCapacity;
import org.spindle.storage.api.Portal;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.driver.HostGroup;
import org.spindle.storage.api.driver.SanVolume;
import org.spindle.storage.api.driver.SanVolumeRef;
import org.spindle.storage.api.driver.SanVolumeRequest;
import org.spindle.storage.api.qos.StorageQos;

class TestStorageDriverTest {
    private static final String H1 = "iqn.2026-11.org.spindle.test:host.h1";
    private static final String H2 = "iqn.2026-11.org.spindle.test:host.h2";
    private static final String H3 = "iqn.2026-11.org.spindle.test:host.h3";
    private static final long GIB = 1L << 30;

    private static SanSettings settings(long minSize, long capacityBytes) {
        return new SanSettings("sf1", List.of(Portal.parse("10.0.0.5:3260", 3260), Portal.parse("[fd00::5]", 3260)),
                "iscsi", minSize, new PoolCapacity(capacityBytes, 0, 100_000, 0));
    }

    private final TestStorageDriver driver = new TestStorageDriver(settings(1, 100 * GIB), new InMemorySan(null));

    private SanVolumeRef create(UUID id) {
        return driver.createVolume(new SanVolumeRequest(id, "vol-" + id, "tenant-1", GIB, StorageQos.NONE)).ref();
    }

    /** The capacity follows what the volumes hold through create, resize, QoS change, delete and a restart of the SAN. */
    @Test
    void theCapacityFollowsTheVolumes_acrossARestart(@TempDir Path dir) {
        Path file = dir.resolve("san.properties");
        TestStorageDriver d = new TestStorageDriver(settings(1, 100 * GIB), new InMemorySan(file));
        SanVolumeRef a = d.createVolume(new SanVolumeRequest(UUID.randomUUID(), "a", "t", GIB, new StorageQos(100, 1000, 1500))).ref();
        SanVolumeRef b = d.createVolume(new SanVolumeRequest(UUID.randomUUID(), "b", "t", 2 * GIB, new StorageQos(50, 500, 500))).ref();
        d.resizeVolume(a, 3 * GIB);
        d.modifyQos(b, new StorageQos(70, 700, 700));
        assertEquals(new PoolCapacity(100 * GIB, 5 * GIB, 100_000, 170), d.capacity());
        d.deleteVolume(a);
        d.deleteVolume(a);
        assertEquals(new PoolCapacity(100 * GIB, 2 * GIB, 100_000, 70), d.capacity(), "a second delete takes nothing more");
        TestStorageDriver restarted = new TestStorageDriver(settings(1, 100 * GIB), new InMemorySan(file));
        assertEquals(d.capacity(), restarted.capacity(), "what was kept is counted at start");
    }

    @Test
    void aGrantReplacesTheGroupsInitiatorsOnThatVolumeOnly() {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        SanVolumeRef ra = create(a);
        SanVolumeRef rb = create(b);

        driver.grantAccess(ra, new HostGroup("cluster-1", List.of(H1, H2)));
        driver.grantAccess(rb, new HostGroup("cluster-1", List.of(H1, H2)));
        driver.grantAccess(ra, new HostGroup("h3", List.of(H3)));
        driver.grantAccess(ra, new HostGroup("cluster-1", List.of(H2, H3)));   // h1 left the cluster, h3 joined

        assertEquals(Map.of("cluster-1", List.of(H2, H3), "h3", List.of(H3)), driver.groups(a));
        assertEquals(List.of(H2, H3), driver.initiators(a), "h1 no longer reaches volume a");
        assertEquals(List.of(H1, H2), driver.initiators(b), "the grant for volume a leaves volume b alone");
    }

    @Test
    void aRevokeTakesExactlyTheGivenInitiatorsAwayFromThatGroup() {
        UUID a = UUID.randomUUID();
        SanVolumeRef ra = create(a);
        driver.grantAccess(ra, new HostGroup("cluster-1", List.of(H1, H2)));
        driver.grantAccess(ra, new HostGroup("h3", List.of(H3)));

        driver.revokeAccess(ra, new HostGroup("cluster-1", List.of(H1, H3)));
        assertEquals(Map.of("cluster-1", List.of(H2), "h3", List.of(H3)), driver.groups(a),
                "H3 of another group and H2 not named stay");

        driver.revokeAccess(ra, new HostGroup("cluster-1", List.of(H2)));
        assertEquals(Map.of("h3", List.of(H3)), driver.groups(a), "a group without initiators is gone");

        driver.revokeAccess(ra, new HostGroup("cluster-1", List.of(H2)));
        driver.revokeAccess(new SanVolumeRef(UUID.randomUUID(), "99"), new HostGroup("h3", List.of(H3)));
        assertEquals(List.of(H3), driver.initiators(a), "revoking what is not granted changes nothing");
        assertEquals(List.of(), driver.initiators(UUID.randomUUID()));
    }

    @Test
    void accessCallsAreRecordedInOrderAlsoWhenTheyFail() {
        UUID a = UUID.randomUUID();
        SanVolumeRef ra = create(a);
        HostGroup group = new HostGroup("h1", List.of(H1));
        driver.failNext("grantAccess", Reason.BUSY, "another grant is running");

        StorageException busy = assertThrows(StorageException.class, () -> driver.grantAccess(ra, group));
        assertEquals(Reason.BUSY, busy.reason());
        assertEquals(List.of(), driver.initiators(a), "a failed grant changes nothing");
        driver.grantAccess(ra, group);
        driver.revokeAccess(ra, group);

        assertEquals(List.of(new AccessCall(AccessCall.GRANT, a, group), new AccessCall(AccessCall.GRANT, a, group),
                new AccessCall(AccessCall.REVOKE, a, group)), driver.accessCalls());
        assertEquals(2, driver.calls("grantAccess"));
        driver.reset();
        assertEquals(List.of(), driver.accessCalls());
    }

    @Test
    void failNextWithoutReasonIsABackendFailure() {
        driver.failNext("findVolume", "SAN unreachable");
        StorageException e = assertThrows(StorageException.class, () -> driver.findVolume(UUID.randomUUID()));
        assertEquals(Reason.BACKEND_FAILURE, e.reason());
        assertEquals("SAN unreachable", e.getMessage());
        assertTrue(driver.findVolume(UUID.randomUUID()).isEmpty(), "only the next call fails");
    }

    @Test
    void theGrantedTargetCarriesPortalsDeviceIdAndChapWhichTheSanVolumeDoesNot() {
        UUID a = UUID.fromString("0f47acc1-0000-4000-8000-00000000002a");
        SanVolumeRef ra = create(a);

        Target t = driver.grantAccess(ra, new HostGroup("h1", List.of(H1)));

        assertEquals(List.of(new Portal("10.0.0.5", 3260), new Portal("fd00::5", 3260)), t.portals());
        assertEquals("iqn.2026-11.org.spindle.test:sf1." + a, t.name());
        assertEquals("naa.6f47acc100004000800000000000002a", t.deviceId());
        assertNotNull(t.chap());
        assertEquals("spindle-tenant-1", t.chap().username());
        assertFalse(t.chap().isMutual());
        SanVolume found = driver.findVolume(a).orElseThrow();
        assertNull(found.target().chap());
        assertEquals(t.withoutChap(), found.target());
        assertTrue(driver.findVolume(UUID.randomUUID()).isEmpty());
    }

    @Test
    void theSanRefusesWhatARealOneWould() {
        TestStorageDriver small = new TestStorageDriver(settings(GIB, 2 * GIB), new InMemorySan(null));
        StorageException tooSmall = assertThrows(StorageException.class, () -> small.createVolume(
                new SanVolumeRequest(UUID.randomUUID(), "v", "t", GIB - 1, StorageQos.NONE)));
        assertEquals(Reason.INVALID_ARGUMENT, tooSmall.reason());
        assertEquals("size", tooSmall.field());

        small.createVolume(new SanVolumeRequest(UUID.randomUUID(), "v1", "t", 2 * GIB, StorageQos.NONE));
        StorageException full = assertThrows(StorageException.class, () -> small.createVolume(
                new SanVolumeRequest(UUID.randomUUID(), "v2", "t", GIB, StorageQos.NONE)));
        assertEquals(Reason.CAPACITY, full.reason());
        assertEquals(1, small.volumes().size());
    }

    @Test
    void groupsOutliveARestart(@TempDir Path dir) {
        Path file = dir.resolve("san-sf1.properties");
        TestStorageDriver first = new TestStorageDriver(settings(1, 100 * GIB), new InMemorySan(file));
        UUID a = UUID.randomUUID();
        SanVolumeRef ra = first.createVolume(new SanVolumeRequest(a, "v", "t", GIB, StorageQos.NONE)).ref();
        first.grantAccess(ra, new HostGroup("cluster 1", List.of(H2, H1)));
        first.grantAccess(ra, new HostGroup("h3", List.of(H3)));

        TestStorageDriver second = new TestStorageDriver(settings(1, 100 * GIB), new InMemorySan(file));

        assertEquals(Map.of("cluster 1", List.of(H1, H2), "h3", List.of(H3)), second.groups(a));
        assertEquals(first.volume(a), second.volume(a));
    }

    @Test
    void badSettingsNameTheirKey() {
        assertEquals("target.portals", assertThrows(StorageException.class,
                () -> SanSettings.portals("[fd00::5")).field());
        assertEquals("target.portals", assertThrows(StorageException.class,
                () -> new SanSettings("sf1", List.of(), "iscsi", 1, new PoolCapacity(GIB, 0, 0, 0))).field());
        assertEquals("storage.volume.size.min", assertThrows(StorageException.class,
                () -> settings(0, GIB)).field());
        assertEquals("capacity.bytes", assertThrows(StorageException.class,
                () -> settings(1, 0)).field());
        assertEquals("storage.pool", assertThrows(StorageException.class,
                () -> new SanSettings("bad pool", List.of(Portal.iscsi("h")), "iscsi", 1, new PoolCapacity(GIB, 0, 0, 0))).field());
    }

    @Test
    void everyCallWaitsTheConfiguredLatencyFirst() {
        TestStorageDriver slow = new TestStorageDriver(settings(1, 100 * GIB), new InMemorySan(null), 40);
        long start = System.nanoTime();
        SanVolumeRef r = slow.createVolume(new SanVolumeRequest(UUID.randomUUID(), "v", "t", GIB, StorageQos.NONE)).ref();
        slow.grantAccess(r, new HostGroup("h1", List.of(H1)));
        slow.capacity();
        // a lower bound only (a sleep never ends early): three calls, each at least 40 ms
        assertTrue(System.nanoTime() - start >= 3 * 40_000_000L, "each call waits call.latency.ms");
        assertEquals(1, slow.calls("grantAccess"));
    }

    @Test
    void aCreateWaitsOneRoundTripNotTwo() {
        TestStorageDriver slow = new TestStorageDriver(settings(1, 100 * GIB), new InMemorySan(null), 2_000);
        long start = System.nanoTime();
        slow.createVolume(new SanVolumeRequest(UUID.randomUUID(), "v", "t", GIB, StorageQos.NONE));
        // two round trips would take at least 4 s (a sleep never ends early); one leaves 2 s for the work itself
        assertTrue(System.nanoTime() - start < 4_000_000_000L, "createVolume waited a second round trip (its own capacity check)");
        assertEquals(1, slow.calls("capacity"), "its capacity check still counts as before");
    }

    @Test
    void aCallWaitsItsLatencyOutsideTheSansLock() throws Exception {
        TestStorageDriver slow = new TestStorageDriver(settings(1, 100 * GIB), new InMemorySan(null), 3_000);
        Thread caller = new Thread(() -> slow.capacity());
        caller.start();
        while (caller.getState() != Thread.State.TIMED_WAITING) {
            Thread.sleep(1);
        }
        // the probe takes the SAN's lock: it answers while the other call still waits its round trip
        assertEquals(List.of(), slow.volumes());
        assertTrue(caller.isAlive(), "the probe did not wait for the slow call");
        caller.join();
    }

    @Test
    void aNegativeLatencyIsRefusedNamingItsKey() {
        StorageException e = assertThrows(StorageException.class,
                () -> new TestStorageDriver(settings(1, GIB), new InMemorySan(null), -1));
        assertEquals("call.latency.ms", e.field());
    }
}
