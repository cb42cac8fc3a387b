package org.spindle.itest;

import org.junit.runner.RunWith;
import org.junit.runners.Suite;

/**
 * The other half of the integration tests CI runs side by side with {@link LibvirtAndLocalSuiteIT}: the tests on
 * the SolidFire, XenAPI and vSphere simulators (tgt LUNs behind them) and on PostgreSQL, one after another — they
 * share the default SolidFire account prefix, and {@link TwoNodesIT} restarts PostgreSQL. None of them touches
 * libvirt. {@link BootTimeIT} needs no peer: it runs here so that both halves end together (measured alone, with the
 * shell over ssh from the test JVM: this half 820 s without it, the other 1016 s with its 123 s). Longest first.
 */
@RunWith(Suite.class)
@Suite.SuiteClasses({
        CrashRecoveryIT.class,
        TwoNodesIT.class,
        BootTimeIT.class,
        XenCrashIT.class,
        XenFlowIT.class,
        SolidFireKarafIT.class,
        VmwareFlowIT.class,
        EncryptedConfigIT.class,
        StockKarafFeaturesIT.class,
})
public class SimulatorsSuiteIT {
}
