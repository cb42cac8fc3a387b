package org.spindle.driver.solidfire.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.spindle.storage.api.Target;

/** libiscsi's command-line initiators, driven with what the driver's Target says, and the tgt gate. */
final class Iscsi {
    private Iscsi() {
    }

    record Result(int exit, String output) {
        boolean ok() {
            return exit == 0;
        }
    }

    static Result run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out: " + cmd[0]);
            }
            return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, e.toString());
        }
    }

    /** Skips without tgtd or libiscsi-bin, unless -Dspindle.require.tgt=true, which makes it a failure. */
    static void requireTgt() {
        List<String> missing = new ArrayList<>();
        if (!run("tgtadm", "--lld", "iscsi", "--mode", "target", "--op", "show").ok()) {
            missing.add("a tgtd answering tgtadm");
        }
        for (String tool : List.of("iscsi-inq", "iscsi-ls", "iscsi-readcapacity16")) {
            if (run("sh", "-c", "command -v " + tool).exit() != 0) {
                missing.add(tool + " (libiscsi-bin)");
            }
        }
        String message = "real-iSCSI tests need " + String.join(", ", missing) + ": run scripts/tgt.sh start";
        if (Boolean.getBoolean("spindle.require.tgt")) {
            assertTrue(missing.isEmpty(), message + " (spindle.require.tgt=true)");
        } else {
            assumeTrue(missing.isEmpty(), message);
        }
    }

    /** {@code iscsi://user%secret@portal/iqn/lun} from a target and the secret to present. */
    static String url(Target t, String secret) {
        return "iscsi://" + t.chap().username() + "%" + secret + "@" + t.portals().get(0) + "/" + t.name() + "/" + t.lun();
    }

    static long capacity(String initiator, Target t) {
        Result r = run("iscsi-readcapacity16", "-s", "-i", initiator, url(t, t.chap().secret().reveal()));
        if (!r.ok()) {
            fail("iscsi-readcapacity16 failed (" + r.exit() + "): " + r.output());
        }
        return Long.parseLong(r.output().trim());
    }

    static Result inquiry(String initiator, Target t, String secret) {
        return run("iscsi-inq", "-i", initiator, url(t, secret));
    }

    /** iscsi-ls of the target's portal as {@code initiator} with the target's CHAP user and {@code secret}. */
    static Result list(String initiator, Target t, String secret) {
        return run("iscsi-ls", "-s", "-i", initiator, "iscsi://" + t.chap().username() + "%" + secret + "@" + t.portals().get(0));
    }

    static String targets() {
        return run("tgtadm", "--lld", "iscsi", "--mode", "target", "--op", "show").output();
    }
}
