package org.spindle.itest;

import org.junit.runner.RunWith;
import org.junit.runners.Suite;

/**
 * One of the two halves of the integration tests that CI runs side by side (failsafe, two forks; see the itest
 * pom): the tests on the real libvirt + QEMU, one after another (they share the libvirtd and its secrets), and the
 * tests that need no peer at all but {@link BootTimeIT}, which runs in the other half so that both end together. The
 * other half, {@link SimulatorsSuiteIT}, never touches libvirt. What both halves
 * share is the tgtd: targets have their own IQNs and ids there, and the KVM rig's SolidFire accounts their own
 * prefix ({@code kvm_}), so no tgt account of one half is the other's. Longest first, so that the halves end together.
 */
@RunWith(Suite.class)
@Suite.SuiteClasses({
        VmwareCrashIT.class,
        KvmCrashIT.class,
        KvmRemoteHostsIT.class,
        SecurityIT.class,
        VolumePagesIT.class,
        QosAuditIT.class,
        RestartIT.class,
        KvmSeedFlowIT.class,
        KvmStaticPoolIT.class,
        KvmRefusedAttachIT.class,
        VolumeFlowIT.class,
        ClusterAttachIT.class,
        HotDeployIT.class,
        SecretEventsIT.class,
})
public class LibvirtAndLocalSuiteIT {
}
