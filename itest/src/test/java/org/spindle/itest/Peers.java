package org.spindle.itest;

import static org.junit.Assert.fail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Assume;
import org.spindle.test.support.Commands;
import org.spindle.test.support.TestPostgres;

/**
 * The machine's peers the SolidFire and KVM process tests need: tgtd (the simulator serves real iSCSI LUNs through
 * it) with libiscsi's initiators, and libvirtd ({@code qemu:///system}), plus running their command-line tools. Without a peer the test is
 * skipped with a message, unless {@code -Dspindle.require.tgt=true} / {@code -Dspindle.require.libvirt=true} (CI),
 * where it fails.
 */
final class Peers {
    static final String LIBVIRT_URI = "qemu:///system";
    private static final Pattern TARGET_LINE = Pattern.compile("(?m)^Target (\\d+): (\\S+)$");
    private static final Pattern INITIATOR = Pattern.compile("(?m)^\\s+Initiator: (\\S+)");

    private Peers() {
    }

    /** tgtd answers tgtadm, or the test is skipped (fails with {@code spindle.require.tgt=true}). */
    static void requireTgt() {
        Commands.Result tgt = Commands.run("tgtadm", "--lld", "iscsi", "--mode", "target", "--op", "show");
        if (tgt.exit() != 0) {
            missing("spindle.require.tgt", "tgtd does not answer tgtadm: " + oneLine(tgt.out())
                    + " (start it with scripts/tgt.sh start, as root)");
        }
    }

    /**
     * libiscsi's command-line initiators ({@code iscsi-inq}, package libiscsi-bin, which scripts/tgt.sh installs
     * with tgt) are there, or the test is skipped (fails with {@code spindle.require.tgt=true}).
     */
    static void requireLibiscsi() {
        Commands.Result which = Commands.run("sh", "-c", "command -v iscsi-inq");
        if (which.exit() != 0) {
            missing("spindle.require.tgt", "iscsi-inq (libiscsi-bin) is not installed (scripts/tgt.sh start installs it, as root)");
        }
    }

    /** libvirtd answers at {@value #LIBVIRT_URI}, or the test is skipped (fails with {@code spindle.require.libvirt=true}). */
    static void requireLibvirt() {
        Commands.Result virsh = Commands.run("virsh", "-c", LIBVIRT_URI, "version");
        if (virsh.exit() != 0) {
            missing("spindle.require.libvirt", "libvirt does not answer at " + LIBVIRT_URI + ": " + oneLine(virsh.out())
                    + " (start it with scripts/libvirt.sh start, as root)");
        }
    }

    /** PostgreSQL answers as user spindle on 127.0.0.1:5432 (scripts/postgres.sh), or the test is skipped (fails with {@code spindle.require.postgres=true}). */
    static void requirePostgres() {
        Commands.Result r = psqlResult("SELECT 1");
        if (r.exit() != 0) {
            missing("spindle.require.postgres", "PostgreSQL does not answer: " + oneLine(r.out()) + " (start it with scripts/postgres.sh start, as root)");
        }
    }

    /**
     * The password of the test server's role spindle ({@link TestPostgres#password}); when there is none, the peer is
     * missing (a failure where {@code -Dspindle.require.postgres=true}, else a skip).
     */
    static String postgresPassword() {
        return TestPostgres.password().orElseGet(() -> {
            missing("spindle.require.postgres", "no PostgreSQL test password in " + TestPostgres.passwordFile()
                    + " (scripts/postgres.sh start makes it, as root)");
            throw new IllegalStateException("unreachable");
        });
    }

    /** Runs {@code sql} in database spindle as user spindle (the test server's own account); it must succeed. */
    static void psql(String sql) {
        psqlResult(sql).ok();
    }

    private static Commands.Result psqlResult(String sql) {
        // the password in psql's environment, never on a command line
        return Commands.run(Commands.LIMIT, StandardCharsets.UTF_8, Map.of("PGPASSWORD", postgresPassword(), "PGCONNECT_TIMEOUT", "5"),
                List.of("psql", "-h", "127.0.0.1", "-U", TestPostgres.USER, "-d", "spindle", "-v", "ON_ERROR_STOP=1", "-qAt", "-c", sql));
    }

    /** Restarts the PostgreSQL cluster scripts/postgres.sh runs (pg_ctlcluster, as root): every connection is cut. */
    static void restartPostgres() {
        String[] cluster = Commands.run("sh", "-c", "pg_lsclusters --no-header | head -1").ok().out().trim().split("\\s+");
        Commands.run("pg_ctlcluster", cluster[0], cluster[1], "restart").ok();
    }

    private static void missing(String property, String problem) {
        if (Boolean.getBoolean(property)) {
            fail(property + "=true but " + problem);
        }
        System.err.println("[spindle] skipping: " + problem);
        Assume.assumeTrue("skipped: " + problem, false);
    }

    private static String oneLine(String s) {
        return s.strip().replaceAll("\\s+", " ");
    }

    // ---------------------------------------------------------------- commands

    /** {@code virsh -c qemu:///system ARGS}, which must succeed; its output. */
    static String virsh(String... args) {
        List<String> c = new ArrayList<>(List.of("virsh", "-c", LIBVIRT_URI));
        c.addAll(List.of(args));
        return Commands.run(c).ok().out();
    }

    /** {@code tgtadm --lld iscsi ARGS}, which must succeed; its output. */
    static String tgtadm(String... args) {
        List<String> c = new ArrayList<>(List.of("tgtadm", "--lld", "iscsi"));
        c.addAll(List.of(args));
        return Commands.run(c).ok().out();
    }

    /** The tid of the tgt target named {@code iqn}, or -1. */
    static int tgtTarget(String iqn) {
        Matcher m = TARGET_LINE.matcher(tgtadm("--mode", "target", "--op", "show"));
        while (m.find()) {
            if (m.group(2).equals(iqn)) {
                return Integer.parseInt(m.group(1));
            }
        }
        return -1;
    }

    /** The initiator names with a session (I_T nexus) on the tgt target named {@code iqn}; empty without the target. */
    static List<String> tgtSessions(String iqn) {
        String show = tgtadm("--mode", "target", "--op", "show");
        int start = show.indexOf(": " + iqn + "\n");
        if (start < 0) {
            return List.of();
        }
        int end = show.indexOf("\nTarget ", start + 1);
        String block = show.substring(start, end < 0 ? show.length() : end);
        int lun = block.indexOf("LUN information:");
        Matcher m = INITIATOR.matcher(lun < 0 ? block : block.substring(0, lun));
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
