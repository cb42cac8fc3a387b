package org.spindle.driver.solidfire.internal.element;

import java.util.Set;

/**
 * Element error names that mean "try again": the cluster refused the call before changing anything.
 * Sources: Cinder's {@code retryable_errors} in {@code cinder/volume/drivers/solidfire.py} (shared reference §1.2:
 * xDBVersionMismatch, xNotReadyForIO, xNotPrimary, xSliceNotRegistered, xMaxClonesPerVolumeExceeded,
 * xDBOperationTimeout, xRecvTimeout, the xMax*PerNode/PerVolume names) and the cluster-database names the
 * SolidFire tooling treats as retryable (xDBConnectionLoss, xDBSessionExpired, xDBSessionMoved,
 * xDBNoServerResponse, xDBClosing, xDBInvalidState).
 */
public final class TransientErrors {
    public static final Set<String> NAMES = Set.of(
            "xDBVersionMismatch",
            "xMaxSnapshotsPerVolumeExceeded",
            "xMaxClonesPerVolumeExceeded",
            "xMaxSnapshotsPerNodeExceeded",
            "xMaxClonesPerNodeExceeded",
            "xSliceNotRegistered",
            "xNotReadyForIO",
            "xNotPrimary",
            "xDBOperationTimeout",
            "xRecvTimeout",
            "xDBConnectionLoss",
            "xDBSessionExpired",
            "xDBSessionMoved",
            "xDBNoServerResponse",
            "xDBClosing",
            "xDBInvalidState");

    private TransientErrors() {
    }

    public static boolean isTransient(String name) {
        return NAMES.contains(name);
    }
}
