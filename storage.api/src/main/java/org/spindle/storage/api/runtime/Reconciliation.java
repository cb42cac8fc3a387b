package org.spindle.storage.api.runtime;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Keeps the database, the SANs and the hypervisors telling the same story. The core runs a pass at start and
 * periodically: operations a crash or a lost node left in flight are recovered (rolled forward where the
 * external step happened, back where it did not), and what a SAN or hypervisor holds for Spindle that no
 * volume accounts for is reported as an {@link Orphan} and removed after a grace period. Provided by the
 * Spindle core.
 *
 * @since 1.1
 */
@ProviderType
public interface Reconciliation {
    /** Runs one pass now and returns what it found and did. */
    ReconcileReport reconcile();

    /** The orphans known now (from the last passes of any node), removed ones excluded. */
    List<Orphan> orphans();
}
