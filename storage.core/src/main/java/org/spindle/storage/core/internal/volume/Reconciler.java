package org.spindle.storage.core.internal.volume;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;
import org.spindle.storage.api.runtime.Orphan;
import org.spindle.storage.api.runtime.ReconcileReport;
import org.spindle.storage.api.runtime.Recovery;
import org.spindle.storage.core.internal.db.VolumeRecord;
import org.spindle.storage.core.internal.registry.BoundPool;

/**
 * One reconciliation pass: operations in flight whose owner is gone (lease passed, or an earlier run of this
 * node) are recovered ({@link OperationRecovery}), the audit records those runs left pending settled
 * ({@link org.spindle.storage.core.internal.audit.AuditSettlement}), then the SANs and hypervisors are swept for orphans
 * ({@link OrphanSweep}), what interrupted attaches left is cleared ({@link LeftoverSweep}), and each pool's
 * capacity is read and stored, for listings that cost no SAN call. Passes on one node never overlap; passes of
 * several nodes may, and are safe since every write is a compare-and-set.
 */
final class Reconciler {
    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

    private final Core core;
    private final OperationRecovery recovery;
    private final OrphanSweep sweep;
    private final LeftoverSweep leftovers;
    private final ReconcileSettings settings;
    private final org.spindle.storage.core.internal.audit.AuditSettlement audits;
    /** Passes on one node never overlap. */
    private final ReentrantLock running = new ReentrantLock();

    Reconciler(Core core, Events events, ReconcileSettings settings) {
        this.core = core;
        this.recovery = new OperationRecovery(core);
        this.sweep = new OrphanSweep(core, events);
        this.leftovers = new LeftoverSweep(core, events);
        this.settings = settings;
        this.audits = new org.spindle.storage.core.internal.audit.AuditSettlement(core.store(),
                new org.spindle.storage.core.internal.audit.Auditor(core.store(), events::eventAdmin));
    }

    /**
     * Runs a pass once the one under way (if any) has ended, waiting at most {@code wait}.
     *
     * @throws StorageException {@link Reason#BUSY} when a pass is still running after {@code wait} (one blocked on a
     *                          SAN or hypervisor that does not answer)
     */
    ReconcileReport pass(Duration wait) {
        try {
            if (!running.tryLock(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new StorageException(Reason.BUSY, null, "a reconciliation pass is running and has not ended within "
                        + wait.toSeconds() + " s (a SAN or hypervisor may not be answering); try again later", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException(Reason.BUSY, null, "interrupted while waiting for the running reconciliation pass", null);
        }
        try {
            return passLocked();
        } finally {
            running.unlock();
        }
    }

    /** Runs a pass unless one is under way (the scheduled passes: the next one comes anyway). */
    void passIfIdle() {
        if (running.tryLock()) {
            try {
                passLocked();
            } finally {
                running.unlock();
            }
        }
    }

    private ReconcileReport passLocked() {
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
        try {
            audits.settle();
        } catch (RuntimeException e) {
            deferred.add("audit records of stopped runs: " + e.getMessage());
        }
        for (BoundPool pool : core.pools().available()) {
            core.pools().refreshCapacity(pool);
        }
        List<Orphan> orphans = new ArrayList<>(sweep.sweep(Duration.ofSeconds(settings.orphanGraceSeconds()), settings.removeOrphans(),
                deferred));
        orphans.addAll(leftovers.sweep(deferred));
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
