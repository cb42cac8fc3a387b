package org.spindle.storage.core.internal.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.spindle.storage.api.volume.VolumeState;

/**
 * What the database makes durable per operation: commits are the bound of many operations at once (issue 14: each
 * waits for the database's disk), so the number each operation makes is pinned here. Counted on the data source
 * ({@link CommitCounter}): each write in auto-commit and each committed transaction that wrote. The usage reading
 * after an operation runs on the caller's thread here (the fixture's executor), so it is counted too.
 */
class CommitsPerOperationTest extends LifecycleFixture {
    private CommitCounter counter;

    @Override
    protected DataSource dataSource() throws Exception {
        counter = CommitCounter.over(database());
        return counter.dataSource();
    }

    /**
     * Readings one second apart, from the start of an hour: with the system's clock two readings of one millisecond
     * add nothing to the periods (one statement less) and an interval across the hour adds to two (one more), so the
     * counts below would depend on the machine's speed and the time of day (CI once saw a delete of 10).
     */
    @Override
    java.time.Clock usageClock() {
        java.util.concurrent.atomic.AtomicLong tick = new java.util.concurrent.atomic.AtomicLong();
        java.time.Instant start = java.time.Instant.parse("2026-12-01T10:00:00Z");
        return new java.time.Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public java.time.Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public java.time.Instant instant() {
                return start.plusSeconds(tick.incrementAndGet());
            }
        };
    }

    /** The database counted on. */
    protected DataSource database() throws Exception {
        return super.dataSource();
    }

    private List<List<String>> during(Runnable operation) {
        counter.reset();
        operation.run();
        List<List<String>> made = counter.commits();
        System.out.println("commits: " + made.size() + " " + made + "; statements: " + counter.statements().size());
        return made;
    }

    /**
     * A first attach: CREATING with the audit intent, READY and the ATTACHING intent in one save with the pool's counts,
     * ATTACHED with the audit record completed, the usage reading after (8 before READY and ATTACHING were one save, the
     * reading before was skipped for a volume with nothing on the SAN, the audit record was completed on its own and
     * its intent written on its own).
     */
    @Test
    void aFirstAttachCommitsFourTimes_theIntentWithTheFirstSave_theOutcomeWithItsAuditRecord() {
        create("v1");
        List<List<String>> made = during(() -> volumes.attach("v1", "vm1", null));
        assertEquals(VolumeState.ATTACHED, row("v1").state());
        assertEquals(4, made.size(), made.toString());
        assertEquals(List.of("UPDATE volume", "INSERT audit_event"), made.get(0),
                "the audit intent with the first save (CREATING), before any external call that changes something");
        assertTrue(made.contains(List.of("UPDATE volume", "UPDATE audit_event")), "ATTACHED and the audit record in one commit: " + made);
        assertTrue(made.contains(List.of("UPDATE pool_release", "UPDATE volume")),
                "the promise given back on a stripe row, not under the pool row's lock: " + made);
        assertEquals(1, store.pool("sf1").orElseThrow().liveVolumes());
        assertEquals(0, store.pool("sf1").orElseThrow().pending().provisionedBytes(), "nothing promised once on the SAN");
        assertEquals(org.spindle.storage.api.audit.AuditEvent.OK, store.audit().events(
                new org.spindle.storage.api.audit.AuditQuery(null, null, null, "v1", 10)).get(0).outcome());
        assertTrue(store.audit().pending().isEmpty());
    }

    /**
     * A create: one transaction with the row, the pool's counts, the capacity the SAN just reported, the first usage
     * reading and the audit record, written whole (5 commits before; 2 while the intent was written on its own).
     */
    @Test
    void aCreateCommitsOnce_theRowWithItsCapacityUsageAndAuditRecord() {
        san.capacity = new org.spindle.storage.api.PoolCapacity(1L << 40, 7 * G, 100_000, 70);
        List<List<String>> made = during(() -> create("v1"));
        assertEquals(1, made.size(), made.toString());
        assertTrue(made.get(0).containsAll(List.of("INSERT volume", "INSERT usage_cursor", "INSERT audit_event")), made.toString());
        assertEquals(org.spindle.storage.api.audit.AuditEvent.OK, store.audit().events(
                new org.spindle.storage.api.audit.AuditQuery(null, null, null, "v1", 10)).get(0).outcome());
        assertEquals(san.capacity, store.pool("sf1").orElseThrow().capacity(), "the capacity read for the create is stored");
        assertTrue(store.usage().cursor(row("v1").id()).isPresent(), "the first usage reading");
        assertTrue(store.audit().pending().isEmpty());
    }

    /** A create refused for want of room stores nothing of the volume, but the capacity it read. */
    @Test
    void aCreateRefusedForCapacity_storesTheCapacityItRead() {
        san.capacity = new org.spindle.storage.api.PoolCapacity(5 * G, 1 * G, 100_000, 0);
        org.spindle.storage.api.StorageException full = org.junit.jupiter.api.Assertions.assertThrows(
                org.spindle.storage.api.StorageException.class, () -> create("v1"));
        assertEquals(org.spindle.storage.api.StorageException.Reason.CAPACITY, full.reason(), full.getMessage());
        assertEquals(san.capacity, store.pool("sf1").orElseThrow().capacity());
        assertTrue(store.volumeByName("v1").isEmpty());
    }

    /** The save that destroys a volume removes its last usage reading: a delete, and a delete completed by recovery. */
    @Test
    void theSaveThatDestroysAVolumeRemovesItsLastReading() {
        create("v1");
        volumes.attach("v1", "vm1", null);
        volumes.detach("v1");
        java.util.UUID id = row("v1").id();
        List<List<String>> made = during(() -> volumes.delete("v1"));
        assertTrue(made.contains(List.of("UPDATE pool_release", "UPDATE volume", "DELETE usage_cursor", "UPDATE audit_event")), made.toString());
        assertTrue(store.usage().cursor(id).isEmpty());

        create("v2");
        volumes.attach("v2", "vm1", null);
        volumes.detach("v2");
        java.util.UUID id2 = row("v2").id();
        san.crashAfter = "delete";
        org.junit.jupiter.api.Assertions.assertThrows(Crash.class, () -> volumes.delete("v2"));
        assertTrue(store.usage().cursor(id2).isPresent(), "a kill before the DESTROYED save leaves it");
        restart();
        volumes.reconcile();
        assertEquals(VolumeState.DESTROYED, store.volume(id2).orElseThrow().state());
        assertTrue(store.usage().cursor(id2).isEmpty(), "recovery's DESTROYED save removes it");
    }

    /** A pool without stripe rows (its row written by other means) takes releases on its own row: the counts stay right. */
    @Test
    void aPoolWithoutStripeRows_takesReleasesOnItsRow() throws Exception {
        try (java.sql.Connection c = db.getConnection(); java.sql.Statement st = c.createStatement()) {
            st.executeUpdate("DELETE FROM pool_release");
        }
        create("v1");
        create("v2");
        volumes.attach("v1", "vm1", null);
        assertEquals(2, store.pool("sf1").orElseThrow().liveVolumes());
        assertEquals(10 * G, store.pool("sf1").orElseThrow().pending().provisionedBytes(), "v2 is still promised, v1 is on the SAN");
        volumes.detach("v1");
        volumes.delete("v1");
        assertEquals(1, store.pool("sf1").orElseThrow().liveVolumes());
    }

    /** A refused attach completes its audit record with the refusal, on its own. */
    @Test
    void aFailedAttachCompletesItsRecordWithTheFailure() {
        create("v1");
        h1.failNextAttach = new org.spindle.storage.api.StorageException(org.spindle.storage.api.StorageException.Reason.BACKEND_FAILURE, null, "refused", null);
        List<List<String>> made = during(() -> org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                () -> volumes.attach("v1", "vm1", null)));
        assertEquals(List.of("UPDATE audit_event"), made.get(made.size() - 1), made.toString());
        String outcome = store.audit().events(new org.spindle.storage.api.audit.AuditQuery(null, null, null, "v1", 10)).get(0).outcome();
        assertTrue(!outcome.equals(org.spindle.storage.api.audit.AuditEvent.OK) && !outcome.equals(org.spindle.storage.api.audit.AuditEvent.PENDING),
                outcome);
    }

    /**
     * An attach refused before its first save (no such VM) changes nothing and leaves one record, written whole with the
     * refusal; a refused create too.
     */
    @Test
    void anOperationRefusedBeforeItsFirstSave_isRecordedWholeWithTheRefusal() {
        create("v1");
        List<List<String>> made = during(() -> org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                () -> volumes.attach("v1", "no-such-vm", null)));
        assertEquals(List.of(List.of("INSERT audit_event")), made, made.toString());
        List<org.spindle.storage.api.audit.AuditEvent> trail = store.audit().events(
                new org.spindle.storage.api.audit.AuditQuery(null, null, null, "v1", 10));
        assertEquals("volume.attach", trail.get(0).operation());
        assertTrue(!trail.get(0).outcome().equals(org.spindle.storage.api.audit.AuditEvent.OK)
                && !trail.get(0).outcome().equals(org.spindle.storage.api.audit.AuditEvent.PENDING), trail.get(0).outcome());
        assertEquals(VolumeState.ALLOCATED, row("v1").state());
        assertTrue(store.audit().pending().isEmpty());
    }

    /** A crash after the first save leaves the intent pending, for a pass to settle (AuditIntentTest settles it). */
    @Test
    void aCrashAfterTheFirstSave_leavesTheIntentPending() {
        create("v1");
        san.crashAfter = "create";
        org.junit.jupiter.api.Assertions.assertThrows(Crash.class, () -> volumes.attach("v1", "vm1", null));
        assertEquals(1, store.audit().pending().size(), store.audit().pending().toString());
        assertEquals("volume.attach", store.audit().pending().get(0).event().operation());
    }

    /**
     * A detach: DETACHING with the usage reading before it and the audit intent, READY with the audit record completed,
     * the usage reading after (5 while the reading before and the intent were commits of their own).
     */
    @Test
    void aDetachCommitsThreeTimes_theReadingBeforeWithItsFirstSave() {
        create("v1");
        volumes.attach("v1", "vm1", null);
        List<List<String>> made = during(() -> volumes.detach("v1"));
        assertEquals(3, made.size(), made.toString());
        assertEquals(List.of("UPDATE volume", "UPDATE usage_cursor", "UPDATE usage_period", "INSERT audit_event"), made.get(0).subList(0, 4),
                "the reading before goes with the first save: " + made);
    }

    /** A reading taken for an operation refused before its first save is dropped, never written by a later save. */
    @Test
    void aReadingForARefusedOperation_isNotCarriedToTheNextSave() {
        create("v1");
        create("v2");
        org.junit.jupiter.api.Assertions.assertThrows(org.spindle.storage.api.StorageException.class, () -> volumes.detach("v2"));
        List<List<String>> made = during(() -> volumes.attach("v1", "vm1", null));
        assertEquals(List.of("UPDATE volume", "INSERT audit_event"), made.get(0), made.toString());
    }

    /**
     * A reading the database refuses (here a source too long for its column) is left out of the save it went with,
     * under a savepoint: the save commits (on PostgreSQL a failed statement would otherwise abort the transaction).
     */
    @Test
    void aReadingTheDatabaseRefuses_leavesTheSaveItWentWith() throws Exception {
        create("v1");
        java.util.UUID id = row("v1").id();
        org.spindle.storage.core.internal.usage.Sample cursor = store.usage().cursor(id).orElseThrow();
        org.spindle.storage.core.internal.usage.Sample refused = new org.spindle.storage.core.internal.usage.Sample(
                cursor.at().plusSeconds(60), "x".repeat(600), cursor.counters(), cursor.sizeBytes(), 0, 0, 0);
        try (java.sql.Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (java.sql.Statement st = c.createStatement()) {
                assertEquals(1, st.executeUpdate("UPDATE volume SET tenant='acme' WHERE id='" + id + "'"));
            }
            store.usage().recording(id, refused, java.time.Duration.ofHours(1)).write(c);
            c.commit();
            c.setAutoCommit(true);
        }
        assertEquals("acme", row("v1").volume().tenant(), "the save committed");
        assertEquals(cursor, store.usage().cursor(id).orElseThrow(), "the refused reading left nothing");
    }

    @Test
    void aLifeCommits11Times() {
        List<List<String>> create = during(() -> create("v1"));
        List<List<String>> attach = during(() -> volumes.attach("v1", "vm1", null));
        List<List<String>> detach = during(() -> volumes.detach("v1"));
        List<List<String>> delete = during(() -> volumes.delete("v1"));
        int life = create.size() + attach.size() + detach.size() + delete.size();
        System.out.println("life: create " + create.size() + ", attach " + attach.size() + ", detach " + detach.size() + ", delete "
                + delete.size());
        assertEquals(11, life, "a life's commits: create " + create + ", attach " + attach + ", detach " + detach + ", delete " + delete);
    }

    /**
     * What a life costs in statements, reads included: against a database server each is a round trip the operation waits
     * for (issue 14: PostgreSQL's wall time beyond its CPU). 11 each: a create reads the offering, the name, the pools and
     * their releases (routing), then locks and fills its pool; an attach, a detach and a delete read the row by name and
     * write their saves, audit record and usage.
     */
    @Test
    void aLifeRuns44Statements_11AnOperation() {
        java.util.Map<String, Integer> ran = new java.util.LinkedHashMap<>();
        for (var op : List.<java.util.Map.Entry<String, Runnable>>of(java.util.Map.entry("create", () -> create("v1")),
                java.util.Map.entry("attach", () -> volumes.attach("v1", "vm1", null)), java.util.Map.entry("detach", () -> volumes.detach("v1")),
                java.util.Map.entry("delete", () -> volumes.delete("v1")))) {
            during(op.getValue());
            ran.put(op.getKey(), counter.statements().size());
        }
        assertEquals(java.util.Map.of("create", 11, "attach", 11, "detach", 11, "delete", 11), ran);
    }
}
