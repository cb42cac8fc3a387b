package org.spindle.xen.simulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Real iSCSI logins through libiscsi's command-line clients ({@code iscsi-ls}, {@code iscsi-inq},
 * {@code iscsi-readcapacity16} from libiscsi-bin), as the initiator of one host. What a host's storage manager
 * learns when it logs in: which LUNs a target has, each one's size and SCSI id, or why the login failed.
 */
final class Libiscsi {
    private static final Pattern HEX32 = Pattern.compile("[0-9a-f]{32}");

    /** What one login found: a disk LUN of a target. {@code scsiId} is what {@code scsi_id -g} prints on a host. */
    record Lun(int lun, long sizeBytes, String scsiId, String vendor, String serial) {
    }

    /** A failed login or command, with libiscsi's own words. */
    static final class LoginFailed extends Exception {
        private static final long serialVersionUID = 1L;

        LoginFailed(String message) {
            super(message);
        }
    }

    /** Where and as whom: portal {@code host:port}, target IQN, the host's initiator IQN, CHAP or nulls. */
    record Login(String portal, String targetIqn, String initiatorIqn, String chapUser, String chapSecret) {
        String url(Integer lun) {
            String auth = chapUser == null ? "" : enc(chapUser) + "%" + enc(chapSecret) + "@";
            return "iscsi://" + auth + portal + "/" + targetIqn + (lun == null ? "" : "/" + lun);
        }

        private static String enc(String s) {
            return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
        }
    }

    /** The highest LUN probed. */
    static final int MAX_LUN = 7;

    /**
     * The disk LUNs of the target; the first login (LUN 0) fails on a wrong portal, IQN, CHAP or initiator. LUNs are
     * probed one by one from 0 and the scan ends at the first LUN after 0 the target does not have (a stand-in for
     * REPORT LUNS, which libiscsi-bin has no client for): only the target's own LUNs are touched, never the portal's
     * other targets.
     */
    List<Lun> luns(Login login) throws LoginFailed {
        List<Lun> found = new ArrayList<>();
        for (int lun = 0; lun <= MAX_LUN; lun++) {
            String std;
            try {
                std = run(StandardCharsets.ISO_8859_1, "iscsi-inq", "-i", login.initiatorIqn(), login.url(lun));
            } catch (LoginFailed e) {
                if (lun > 0 && e.getMessage().contains("LOGICAL_UNIT_NOT_SUPPORTED")) {
                    break;
                }
                throw e;
            }
            if (std.contains("Peripheral Device Type:DIRECT_ACCESS")) {
                found.add(lun(login, lun, field(std, "Vendor:")));
            }
        }
        return found;
    }

    /** One LUN: logs in, reads its device identification page, capacity and serial number. */
    Lun lun(Login login, int lun, String vendor) throws LoginFailed {
        String page = run(StandardCharsets.ISO_8859_1, "iscsi-inq", "-i", login.initiatorIqn(), "-e", "1", "-c", "131", login.url(lun));
        String size = run(StandardCharsets.UTF_8, "iscsi-readcapacity16", "-s", "-i", login.initiatorIqn(), login.url(lun)).trim();
        String serialPage = run(StandardCharsets.ISO_8859_1, "iscsi-inq", "-i", login.initiatorIqn(), "-e", "1", "-c", "128", login.url(lun));
        return new Lun(lun, Long.parseLong(size), scsiId(page), vendor, bracket(serialPage, "Unit Serial Number:["));
    }

    /**
     * The Linux SCSI id of a LUN from its page 0x83: {@code 3} + the NAA designator when the LUN has one
     * (tgt gives its {@code scsi_id} as the text of the T10 designator and as the NAA one, which iscsi-inq
     * prints only up to its first zero byte, so the text is taken when the NAA bytes agree with it), else
     * {@code 1} + the T10 vendor designator with blanks as {@code _}.
     */
    static String scsiId(String page) {
        String t10 = designator(page, "Designator Type:(1) T10_VENDORT_ID\nDesignator:[");
        String naaBytes = designator(page, "Designator Type:(3) NAA\nDesignator:[");
        if (t10 != null && HEX32.matcher(t10).matches() && naaBytes != null && !naaBytes.isEmpty()
                && t10.startsWith(hex(naaBytes))) {
            return "3" + t10;
        }
        if (t10 != null) {
            return "1" + t10.trim().replace(' ', '_');
        }
        throw new IllegalStateException("LUN without device identification: " + page);
    }

    private static String designator(String page, String marker) {
        int at = page.indexOf(marker);
        if (at < 0) {
            return null;
        }
        int from = at + marker.length();
        int to = page.indexOf("]\n", from);
        return to < 0 ? null : page.substring(from, to);
    }

    private static String hex(String bytes) {
        StringBuilder b = new StringBuilder();
        for (char c : bytes.toCharArray()) {
            b.append(String.format("%02x", (int) c & 0xff));
        }
        return b.toString();
    }

    private static String field(String out, String key) {
        for (String line : out.split("\n")) {
            if (line.startsWith(key)) {
                return line.substring(key.length()).trim();
            }
        }
        return "";
    }

    private static String bracket(String out, String key) {
        String v = designator(out + "\n", key);
        return v == null ? "" : v.trim();
    }

    private static String run(java.nio.charset.Charset charset, String... cmd) throws LoginFailed {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new LoginFailed(cmd[0] + " timed out");
            }
            String out = new String(p.getInputStream().readAllBytes(), charset);
            if (p.exitValue() != 0) {
                throw new LoginFailed(out.trim().isEmpty() ? cmd[0] + " exited " + p.exitValue() : out.trim().replace('\n', ' '));
            }
            return out;
        } catch (IOException e) {
            throw new LoginFailed(cmd[0] + " cannot run (install libiscsi-bin): " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LoginFailed("interrupted");
        }
    }
}
