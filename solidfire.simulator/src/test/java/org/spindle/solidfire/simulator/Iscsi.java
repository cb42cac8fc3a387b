package org.spindle.solidfire.simulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** libiscsi command-line clients and the tgt availability gate for the real-iSCSI tests. */
final class Iscsi {
    static final String PORTAL = "127.0.0.1:3260";

    private Iscsi() {
    }

    record Result(int exit, String output) {
        boolean ok() {
            return exit == 0;
        }
    }

    static Result run(String... cmd) {
        return run(StandardCharsets.UTF_8, cmd);
    }

    /** Runs a command; {@code charset} decodes its output (ISO-8859-1 keeps binary bytes one char each). */
    static Result run(java.nio.charset.Charset charset, String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out: " + String.join(" ", cmd));
            }
            return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), charset));
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, e.toString());
        }
    }

    /**
     * Skips the calling test class when tgtd or libiscsi-bin is missing, unless -Dspindle.require.tgt=true
     * (CI), in which case the test fails.
     */
    static void requireTgt() {
        List<String> missing = new ArrayList<>();
        if (!run("tgtadm", "--lld", "iscsi", "--mode", "target", "--op", "show").ok()) {
            missing.add("a tgtd answering tgtadm");
        }
        for (String tool : List.of("iscsi-ls", "iscsi-inq", "iscsi-readcapacity16")) {
            if (run("sh", "-c", "command -v " + tool).exit() != 0) {
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
        Result r = run("iscsi-readcapacity16", "-s", "-i", initiator, url(user, secret, iqn, lun));
        if (!r.ok()) {
            fail("iscsi-readcapacity16 failed (" + r.exit() + "): " + r.output());
        }
        return Long.parseLong(r.output().trim());
    }

    static Result inquiry(String initiator, String user, String secret, String iqn, int lun) {
        return run("iscsi-inq", "-i", initiator, url(user, secret, iqn, lun));
    }

    /** INQUIRY of one VPD page, as iscsi-inq prints it (binary designators kept byte for byte). */
    static Result vpd(String initiator, String user, String secret, String iqn, int lun, int page) {
        return run(StandardCharsets.ISO_8859_1, "iscsi-inq", "-i", initiator, "-e", "1", "-c", Integer.toString(page),
                url(user, secret, iqn, lun));
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
        return run("iscsi-ls", "-s", "-i", initiator, "iscsi://" + auth + PORTAL);
    }

    static String tgtShow() {
        return run("tgtadm", "--lld", "iscsi", "--mode", "target", "--op", "show").output();
    }

    static String tgtAccounts() {
        return run("tgtadm", "--lld", "iscsi", "--mode", "account", "--op", "show").output();
    }
}
