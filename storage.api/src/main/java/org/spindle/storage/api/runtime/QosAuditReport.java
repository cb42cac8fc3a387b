package org.spindle.storage.api.runtime;

import java.time.Instant;
import java.util.List;

/**
 * What one QoS audit pass found and did.
 *
 * @param at              when it ran
 * @param volumes         how many volumes it compared
 * @param storageReads    the calls it made to SANs (one listing per pool, or one look-up per volume)
 * @param hypervisorReads the calls it made to attach services (one per attached disk)
 * @param findings        each drifted volume, healed or not
 * @param deferred        what it could not look at now and why (a driver or attach service away, a side that
 *                        cannot read back): the next pass tries again
 * @since 1.1
 */
public record QosAuditReport(Instant at, int volumes, int storageReads, int hypervisorReads,
                             List<QosFinding> findings, List<String> deferred) {
    public QosAuditReport {
        findings = List.copyOf(findings);
        deferred = List.copyOf(deferred);
    }
}
