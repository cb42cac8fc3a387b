package org.spindle.storage.core.internal.volume;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spindle.storage.api.runtime.Orphan;
import org.spindle.storage.api.runtime.ReconcileReport;
import org.spindle.storage.api.runtime.Recovery;
import org.spindle.storage.core.internal.db.VolumeRecord;

/**
 * One reconciliation pass: operations in flight whose owner is gone (lease passed, or an earlier run of this
 * node) are recovered ({@link OperationRecovery}), then the SANs and hypervisors are swept for orphans
 * ({@link OrphanSweep}). Passes on one node never overlap; passes of several nodes may, and are safe since
 * every write is a compare-and-set.
 */
final class Reconciler {
    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

    private final Core core;
    private final OperationRecovery recovery;
    private final OrphanSweep sweep;
    private final ReconcileSettings settings;

    Reconciler(Core core, Events events, ReconcileSettings settings) {
        this.core = core;
        this.recovery = new OperationRecovery(core);
        this.sweep = new OrphanSweep(core, events);
        this.settings = settings;
    }

    synchronized ReconcileReport pass() {
        List<Recovery> recovered = new ArrayList<>();
        List<String> deferred = new ArrayList<>();
        for (VolumeRecord r : core.store().recoverable(true)) {
            try {
                recovery.recover(r).ifPresent(recovered::add);
            } catch (OperationRecovery.Deferred d) {
                deferred.add("volume " + r.name() + " (" + r.state() + "): " + d.getMessage());
            } catch (RuntimeException e) {
                LOG.error("Volume {}: recovering the interrupted {} failed: {}", r.name(), r.state(), e.toString());
                deferred.add("volume " + r.name() + " (" + r.state() + "): recovery failed: " + e.getMessage());
            }
        }
        List<Orphan> orphans = sweep.sweep(Duration.ofSeconds(settings.orphanGraceSeconds()), settings.removeOrphans(), deferred);
        if (!deferred.isEmpty()) {
            LOG.info("Reconciliation deferred {} item(s) to the next pass: {}", deferred.size(), deferred);
        }
        return new ReconcileReport(Instant.now(), recovered, orphans, deferred);
    }

    /** How passes run: how often, and what happens to orphans. */
    record ReconcileSettings(int intervalSeconds, int orphanGraceSeconds, boolean removeOrphans) {
        static final ReconcileSettings DEFAULT = new ReconcileSettings(30, 3600, true);
    }
}
