package org.spindle.xen.simulator;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The gate of the real-iSCSI tests: skip without tgt, fail with -Dspindle.require.tgt=true (CI). */
final class Peers {
    private Peers() {
    }

    static void requireTgt() {
        String message = "real-iSCSI tests need tgtd and libiscsi-bin: run scripts/tgt.sh start";
        if (Boolean.getBoolean("spindle.require.tgt")) {
            assertTrue(TgtLun.available(), message + " (spindle.require.tgt=true)");
        } else {
            assumeTrue(TgtLun.available(), message);
        }
    }
}
