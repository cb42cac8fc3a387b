package org.spindle.storage.api.runtime;

import java.time.Instant;
import java.util.List;

/**
 * What one reconciliation pass did.
 *
 * @param at        when it ran
 * @param recovered the interrupted operations it recovered
 * @param orphans   what it found that no volume accounts for (removed ones say so)
 * @param deferred  what it could not look at now and why (a driver or attach service not running, a SAN not
 *                  answering): the next pass tries again
 * @since 1.1
 */
public record ReconcileReport(Instant at, List<Recovery> recovered, List<Orphan> orphans, List<String> deferred) {
    public ReconcileReport {
        recovered = List.copyOf(recovered);
        orphans = List.copyOf(orphans);
        deferred = List.copyOf(deferred);
    }
}
