package org.spindle.bench;

import java.io.File;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.spindle.storage.api.PoolCapacity;
import org.spindle.storage.api.volume.VolumeQuery;
import org.spindle.storage.core.internal.db.PoolRecord;
import org.spindle.storage.core.internal.db.VolumeRecord;

/**
 * The store's queries on an embedded H2 file database holding {@code volumes} volumes (set by the run's size): a
 * volume by name (every command on a volume starts with it), the first page, what a create reads twice (the bytes
 * promised to volumes not on the SAN yet) and the pools.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class StoreBench {
    @Param("1000")
    public int volumes;

    private Rig rig;
    private File dir;
    private final Random random = new Random(14);

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("spindle-storebench").toFile();
        rig = Rig.start(Databases.h2(dir, "store"), Rig.Peers.make(0), false);
        rig.create("r0");
        Scale.fill(rig, volumes);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        rig.close();
        try (var files = Files.walk(dir.toPath())) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public Optional<VolumeRecord> volumeByName() {
        return rig.store.volumeByName("s" + random.nextInt(volumes));
    }

    @Benchmark
    public List<VolumeRecord> firstPageOf100() {
        return rig.store.pages().page(new VolumeQuery(100, null, null, null, null, false));
    }

    @Benchmark
    public PoolCapacity pendingOfPool() {
        return rig.store.pending(Rig.POOL);
    }

    @Benchmark
    public List<PoolRecord> pools() {
        return rig.store.pools();
    }
}
