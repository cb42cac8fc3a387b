package org.spindle.storage.core.internal.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
        counter = CommitCounter.over(super.dataSource());
        return counter.dataSource();
    }

    private List<List<String>> during(Runnable operation) {
        counter.reset();
        operation.run();
        List<List<String>> made = counter.commits();
        System.out.println("commits: " + made.size() + " " + made);
        return made;
    }

    /**
     * A first attach: the audit intent, CREATING, READY and the ATTACHING intent in one save with the pool's counts,
     * ATTACHED, the usage reading after, the audit record completed (8 before READY and ATTACHING were one save and
     * the reading before was skipped for a volume with nothing on the SAN).
     */
    @Test
    void aFirstAttachCommitsSixTimes() {
        create("v1");
        List<List<String>> made = during(() -> volumes.attach("v1", "vm1", null));
        assertEquals(VolumeState.ATTACHED, row("v1").state());
        assertEquals(6, made.size(), made.toString());
    }

    @Test
    void aLifeCommitsAtMostSoOften() {
        List<List<String>> create = during(() -> create("v1"));
        List<List<String>> attach = during(() -> volumes.attach("v1", "vm1", null));
        List<List<String>> detach = during(() -> volumes.detach("v1"));
        List<List<String>> delete = during(() -> volumes.delete("v1"));
        int life = create.size() + attach.size() + detach.size() + delete.size();
        System.out.println("life: create " + create.size() + ", attach " + attach.size() + ", detach " + detach.size() + ", delete "
                + delete.size());
        assertEquals(24, life, "a life's commits: create " + create + ", attach " + attach + ", detach " + detach + ", delete " + delete);
    }
}
