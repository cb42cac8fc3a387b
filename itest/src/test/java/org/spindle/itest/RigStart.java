package org.spindle.itest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.UUID;

import org.spindle.solidfire.simulator.ElementSimulator;

/**
 * The start-up the process rigs ({@link KvmKarafRig}, {@link CrashRig}, {@link XenCrashRig}, {@link VmwareCrashRig})
 * share: the Element simulator on real tgt LUNs, the distribution unpacked, its SolidFire driver configured for that
 * simulator, the crash rigs' reconciliation every 5 s with orphans removed at once, and the rig closed again when a
 * step of its start fails.
 */
final class RigStart {
    private RigStart() {
    }

    /** Runs {@code boot}; when it fails, closes {@code rig} (what that throws added as suppressed) and throws. */
    static <R extends AutoCloseable> R orClose(R rig, KvmKarafRig.Step boot) throws Exception {
        try {
            boot.run();
            return rig;
        } catch (Exception | AssertionError e) {
            try {
                rig.close();
            } catch (Exception | AssertionError suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** An Element simulator serving real tgt LUNs, its cluster {@code uniqueId}, its admin password a fresh one. */
    static ElementSimulator san(String uniqueId) throws Exception {
        return ElementSimulator.builder().uniqueId(uniqueId).tgt(ElementSimulator.TgtMode.ON)
                .credentials("admin", "pw-" + UUID.randomUUID()).start();
    }

    /** The distribution ({@code spindle.distribution.tar}) unpacked into {@code dir}, not started. */
    static KarafProcess unpack(Path dir) throws Exception {
        return KarafProcess.unpack(Paths.get(System.getProperty("spindle.distribution.tar")), dir);
    }

    /**
     * {@code etc/org.spindle.driver.solidfire-POOL.cfg}: the SolidFire driver of {@code pool} in {@code zone} on
     * {@code san}; {@code accountPrefix} null for the driver's default. tgt accounts are global to the tgtd, so a rig
     * that runs beside the SolidFire tests gives its own prefix.
     */
    static void solidFire(KarafProcess k, ElementSimulator san, String pool, String zone, String tags, String accountPrefix)
            throws Exception {
        Files.writeString(k.home.resolve("etc/org.spindle.driver.solidfire-" + pool + ".cfg"),
                "mvip = " + san.url().replaceFirst("^https://", "") + "\nusername = " + san.adminUser() + "\n.password = "
                        + san.adminPassword() + "\ntls.fingerprint.sha256 = " + san.certificateSha256() + "\nstorage.pool = "
                        + pool + "\nstorage.zone = " + zone + "\nstorage.tags = " + tags + "\ntarget.lun = " + san.lun() + "\n"
                        + (accountPrefix == null ? "" : "account.prefix = " + accountPrefix + "\n"));
    }

    /** The crash tests' reconciliation: a pass every 5 s, orphans removed at once (grace 0). */
    static void reconcileEvery5s(KarafProcess k) throws Exception {
        Files.writeString(k.home.resolve("etc/org.spindle.storage.reconcile.cfg"), "interval.seconds = 5\norphan.grace.seconds = 0\n");
    }
}
