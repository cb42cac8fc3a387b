package org.spindle.storage.core.internal.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.spindle.storage.api.audit.AuditEvent;
import org.spindle.storage.api.audit.AuditQuery;
import org.spindle.storage.api.volume.VolumeState;
import org.spindle.storage.core.internal.audit.Auditor;

/**
 * An audit record is written before its call and completed after it, so a node killed during the call (a
 * {@link Crash}) leaves a PENDING record, which the reconciliation pass after the restart settles from what the
 * volume shows: OK when the interrupted operation was rolled forward, INTERRUPTED when it was rolled back. A record of
 * a run still alive is left alone.
 */
class AuditIntentTest extends LifecycleFixture {

    private AuditEvent last(String operation, String target) {
        return store.audit().events(new AuditQuery(null, null, null, target, 100)).stream()
                .filter(e -> e.operation().equals(operation)).findFirst().orElseThrow();
    }

    @Test
    void aRecordIsPendingDuringItsCall_andCompletedAfter() {
        create("v1");
        String[] during = new String[1];
        san.beforeGrant = (ref, group) -> during[0] = last("volume.attach", "v1").outcome();
        volumes.attach("v1", "vm1", null);
        assertEquals(Auditor.PENDING, during[0], "written before the SAN was asked anything");
        assertEquals(AuditEvent.OK, last("volume.attach", "v1").outcome());
        assertTrue(store.audit().pending().isEmpty());
    }

    @Test
    void aCrashAfterTheDiskWasAttached_leavesTheRecordPending_andThePassAfterTheRestartSettlesItOk() {
        create("v1");
        h1.crashAfterAttach = true;
        assertThrows(Crash.class, () -> volumes.attach("v1", "vm1", null));
        assertEquals(Auditor.PENDING, last("volume.attach", "v1").outcome(), "the kill left the intent, not nothing");

        restart();
        volumes.reconcile();
        assertEquals(VolumeState.ATTACHED, volumes.get("v1").orElseThrow().state());
        AuditEvent settled = last("volume.attach", "v1");
        assertEquals(AuditEvent.OK, settled.outcome(), settled.toString());
        assertTrue(settled.detail().startsWith("vm vm1; the node run node-a@"), settled.detail());
        assertTrue(settled.detail().contains("it took effect (volume ATTACHED now)"), settled.detail());
        assertTrue(store.audit().pending().isEmpty());
    }

    @Test
    void aCrashBeforeTheDiskWasAttached_isSettledInterrupted() {
        create("v1");
        h1.crashBeforeAttach = true;
        assertThrows(Crash.class, () -> volumes.attach("v1", "vm1", null));
        restart();
        volumes.reconcile();
        assertEquals(VolumeState.READY, volumes.get("v1").orElseThrow().state());
        AuditEvent settled = last("volume.attach", "v1");
        assertEquals(Auditor.INTERRUPTED, settled.outcome(), settled.toString());
        assertTrue(settled.detail().contains("volume READY now"), settled.detail());
    }

    @Test
    void aCrashDuringADelete_isSettledOkOnceTheRecoveryFinishedIt() {
        create("v1");
        volumes.attach("v1", "vm1", null);
        volumes.detach("v1");
        san.crashAfter = "delete";
        assertThrows(Crash.class, () -> volumes.delete("v1"));
        restart();
        volumes.reconcile();
        assertEquals(AuditEvent.OK, last("volume.delete", "v1").outcome());
    }

    @Test
    void recordsOfARunStillAlive_areLeftPending_andAnotherNodesOldOnesAreSettled() {
        Instant now = Instant.now();
        long mine = store.audit().begin(now, "alice", "volume.detach", "v9", Auditor.PENDING, null, store.owner());
        long otherRecent = store.audit().begin(now, "bob", "volume.detach", "v9", Auditor.PENDING, null, "node-b@1234abcd");
        long otherOld = store.audit().begin(now.minusSeconds(3600), "bob", "volume.detach", "v9", Auditor.PENDING, null, "node-b@1234abcd");
        volumes.reconcile();
        List<Long> pending = store.audit().pending().stream().map(p -> p.event().id()).toList();
        assertEquals(List.of(mine, otherRecent), pending, "this run's call may be under way; node-b's is within its grace");
        AuditEvent old = store.audit().events(new AuditQuery(null, null, "bob", null, 10)).stream()
                .filter(e -> e.id() == otherOld).findFirst().orElseThrow();
        assertEquals(Auditor.INTERRUPTED, old.outcome(), "no volume v9: nothing tells the detach happened");

        store.audit().complete(mine, Instant.now(), AuditEvent.OK, null);
        assertEquals(List.of(otherRecent), store.audit().pending().stream().map(p -> p.event().id()).toList());
    }
}
