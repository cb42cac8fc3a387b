package org.spindle.storage.core.internal.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.spindle.storage.api.audit.AuditEvent;
import org.spindle.storage.api.audit.AuditQuery;
import org.spindle.storage.core.internal.audit.Auditor;

/**
 * The crash of {@link AuditIntentTest} on PostgreSQL, the database of several nodes (its intent's id comes back as a
 * generated key there too): one case, the rest of the class's cases are the same SQL.
 */
class PostgresAuditIntentTest extends LifecycleFixture {
    @BeforeAll
    static void server() {
        PostgresSupport.serverAnswers();
    }

    @Override
    protected DataSource dataSource() throws Exception {
        return PostgresSupport.freshSchema();
    }

    private String outcome(String operation) {
        return store.audit().events(new AuditQuery(null, null, null, "v1", 100)).stream()
                .filter(e -> e.operation().equals(operation)).findFirst().orElseThrow().outcome();
    }

    @Test
    void aCrashAfterTheDiskWasAttached_isPendingThenSettledOk() {
        create("v1");
        h1.crashAfterAttach = true;
        assertThrows(Crash.class, () -> volumes.attach("v1", "vm1", null));
        assertEquals(Auditor.PENDING, outcome("volume.attach"));
        restart();
        volumes.reconcile();
        assertEquals(AuditEvent.OK, outcome("volume.attach"));
        assertEquals(AuditEvent.OK, outcome("volume.create"));
    }
}
