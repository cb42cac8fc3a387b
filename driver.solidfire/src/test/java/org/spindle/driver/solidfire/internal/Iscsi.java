package org.spindle.driver.solidfire.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;

import org.spindle.storage.api.Target;
import org.spindle.test.support.Commands;
import org.spindle.test.support.Commands.Result;

/** libiscsi's command-line initiators, driven with what the driver's Target says, and the tgt gate. */
final class Iscsi {
    private Iscsi() {
    }

    /** Skips without tgtd or libiscsi-bin, unless -Dspindle.require.tgt=true, which makes it a failure. */
    static void requireTgt() {
        List<String> missing = new ArrayList<>();
        if (!Commands.run("tgtadm", "--lld", "iscsi", "--mode", "target", "--op", "show").succeeded()) {
            missing.add("a tgtd answering tgtadm");
        }
        for (String tool : List.of("iscsi-inq", "iscsi-ls", "iscsi-readcapacity16")) {
            if (!Commands.installed(tool)) {
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
        Result r = Commands.run("iscsi-readcapacity16", "-s", "-i", initiator, url(t, t.chap().secret().reveal()));
        if (!r.succeeded()) {
            fail("iscsi-readcapacity16 failed (" + r.exit() + "): " + r.out());
        }
        return Long.parseLong(r.out().trim());
    }

    static Result inquiry(String initiator, Target t, String secret) {
        return Commands.run("iscsi-inq", "-i", initiator, url(t, secret));
    }

    /** iscsi-ls of the target's portal as {@code initiator} with the target's CHAP user and {@code secret}. */
    static Result list(String initiator, Target t, String secret) {
        return Commands.run("iscsi-ls", "-s", "-i", initiator, "iscsi://" + t.chap().username() + "%" + secret + "@" + t.portals().get(0));
    }

    static String targets() {
        return Commands.run("tgtadm", "--lld", "iscsi", "--mode", "target", "--op", "show").out();
    }
}
