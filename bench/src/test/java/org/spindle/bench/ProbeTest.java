package org.spindle.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The diagnostic harness runs, and what it reports holds: on the core's H2 (durable commits) every life writes at least
 * as many chunks as the floor's count of durable writes, and its times add up.
 */
class ProbeTest {
    @TempDir
    Path dir;

    @Test
    void aRoundOfLivesReportsItsTimesAndH2WritesAChunkForEveryDurableWrite() throws Exception {
        List<Probe.Round> rounds = Probe.lives(Databases.h2(new File(dir.toFile(), "h2"), "probe"), 0, 5, 10, 1);

        assertEquals(1, rounds.size());
        Probe.Round r = rounds.get(0);
        assertTrue(r.wallMs() > r.externalMs() && r.externalMs() > 0 && r.coreCpuMs() > 0, r.toString());
        assertTrue(r.chunks() >= CommitFloor.LEAST_WRITES_A_LIFE, "each durable commit is a chunk of its own: " + r);
        assertTrue(r.bytes() > 0, r.toString());
    }
}
