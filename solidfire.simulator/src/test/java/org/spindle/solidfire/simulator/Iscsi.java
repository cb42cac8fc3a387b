package org.spindle.solidfire.simulator;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.spindle.test.support.Commands;
import org.spindle.test.support.Commands.Result;

/** libiscsi command-line clients and the tgt availability gate for the real-iSCSI tests. */
final class Iscsi {
    static final String PORTAL = "127.0.0.1:3260";

    private Iscsi() {
    }

    /**
     * Skips the calling test class when tgtd or libiscsi-bin is missing, unless -Dspindle.require.tgt=true
     * (CI), in which case the test fails.
     */
    static void requireTgt() {
        List<String> missing = new ArrayList<>();
        if (!Commands.run("tgtadm", "--lld", "iscsi", "--mode", "target", "--op", "show").succeeded()) {
            missing.add("a tgtd answering tgtadm");
        }
        for (String tool : List.of("iscsi-ls", "iscsi-inq", "iscsi-readcapacity16")) {
            if (!Commands.installed(tool)) {
                missing.add(tool + " (libiscsi-bin)");
            }
        }
        require(missing.isEmpty(), "real-iSCSI tests need " + String.join(", ", missing) + ": run scripts/tgt.sh start");
    }

    /** Skips the calling test when a peer it needs is not {@code there}, or fails it with -Dspindle.require.tgt=true (CI). */
    static void require(boolean there, String message) {
        if (Boolean.getBoolean("spindle.require.tgt")) {
            assertTrue(there, message + " (spindle.require.tgt=true)");
        } else {
            assumeTrue(there, message);
        }
    }

    static String url(String user, String secret, String iqn, int lun) {
        String auth = user == null ? "" : user + "%" + secret + "@";
        return "iscsi://" + auth + PORTAL + "/" + iqn + "/" + lun;
    }

    /** READ CAPACITY(16) through libiscsi; returns the size in bytes or fails the test. */
    static long capacity(String initiator, String user, String secret, String iqn, int lun) {
        Result r = Commands.run("iscsi-readcapacity16", "-s", "-i", initiator, url(user, secret, iqn, lun));
        if (!r.succeeded()) {
            fail("iscsi-readcapacity16 failed (" + r.exit() + "): " + r.out());
        }
        return Long.parseLong(r.out().trim());
    }

    static Result inquiry(String initiator, String user, String secret, String iqn, int lun) {
        return Commands.run("iscsi-inq", "-i", initiator, url(user, secret, iqn, lun));
    }

    /** INQUIRY of one VPD page, as iscsi-inq prints it (binary designators kept byte for byte). */
    static Result vpd(String initiator, String user, String secret, String iqn, int lun, int page) {
        return Commands.run(Commands.LIMIT, StandardCharsets.ISO_8859_1, Map.of(), List.of("iscsi-inq", "-i", initiator, "-e", "1", "-c",
                Integer.toString(page), url(user, secret, iqn, lun)));
    }

    /** The first NAA designator of a printed page 0x83, in hex, up to its first zero byte (where iscsi-inq stops). */
    static String firstNaaDesignator(String page) {
        String marker = "Designator Type:(3) NAA\nDesignator:[";
        int at = page.indexOf(marker);
        if (at < 0) {
            fail("no NAA designator in: " + page);
        }
        int from = at + marker.length();
        int to = page.indexOf("]\n", from);
        StringBuilder hex = new StringBuilder();
        for (char c : page.substring(from, to).toCharArray()) {
            hex.append(String.format("%02x", (int) c));
        }
        return hex.toString();
    }

    static Result list(String initiator, String user, String secret) {
        String auth = user == null ? "" : user + "%" + secret + "@";
        return Commands.run("iscsi-ls", "-s", "-i", initiator, "iscsi://" + auth + PORTAL);
    }

    static String tgtShow() {
        return Commands.run("tgtadm", "--lld", "iscsi", "--mode", "target", "--op", "show").out();
    }

    static String tgtAccounts() {
        return Commands.run("tgtadm", "--lld", "iscsi", "--mode", "account", "--op", "show").out();
    }
}
