package org.spindle.hyper.kvm.internal;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.spindle.test.support.Commands;

/**
 * The real peers the integration tests need: libvirtd (qemu:///system) and tgtd. Without them the tests are
 * skipped, unless {@code -Dspindle.require.libvirt=true} or {@code -Dspindle.require.tgt=true} (CI), where they fail.
 */
final class Peers {
    static final String URI = "qemu:///system";
    static final boolean REQUIRED = Boolean.getBoolean("spindle.require.libvirt") || Boolean.getBoolean("spindle.require.tgt");
    private static String problem;
    private static boolean checked;

    private Peers() {
    }

    static synchronized void require() {
        if (!checked) {
            problem = check();
            checked = true;
        }
        if (problem != null) {
            String message = problem + " (start them with scripts/libvirt.sh start and scripts/tgt.sh start, as root)";
            if (REQUIRED) {
                fail("spindle.require.libvirt/tgt=true but " + message);
            }
            // JUnit reports a class aborted in @BeforeAll as 0 tests run: say why on the console too
            System.err.println("[spindle] skipping the libvirt tests: " + message);
            assumeTrue(false, "skipped: " + message);
        }
    }

    private static String check() {
        Commands.Result virsh = Commands.run("virsh", "-c", URI, "version");
        if (virsh.exit() != 0) {
            return "libvirt does not answer at " + URI + ": " + virsh.out().trim().replaceAll("\\s+", " ");
        }
        Commands.Result tgt = Commands.run("tgtadm", "--lld", "iscsi", "--mode", "target", "--op", "show");
        if (tgt.exit() != 0) {
            return "tgtd does not answer tgtadm: " + tgt.out().trim().replaceAll("\\s+", " ");
        }
        return null;
    }
}
