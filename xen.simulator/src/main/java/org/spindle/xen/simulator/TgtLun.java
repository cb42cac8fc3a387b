package org.spindle.xen.simulator;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * For tests of the Xen side on real iSCSI: a tgt target (needs a running tgtd) of its own (IQN {@code iqn.2026-12.org.spindle.xensim:<name>}) with one LUN whose SCSI id
 * is set, CHAP, and only the given initiators admitted. Removed on close.
 */
public final class TgtLun implements AutoCloseable {
    public final int tid;
    public final String iqn;
    public final String naa;
    public final String user;
    public final String secret;
    public final long size;
    private final Path file;

    private TgtLun(int tid, String iqn, String naa, String user, String secret, long size, Path file) {
        this.tid = tid;
        this.iqn = iqn;
        this.naa = naa;
        this.user = user;
        this.secret = secret;
        this.size = size;
        this.file = file;
    }

    /** Whether tgtd answers and libiscsi-bin's clients are installed. */
    public static boolean available() {
        return run("tgtadm", "--lld", "iscsi", "--mode", "target", "--op", "show").startsWith("0:")
                && run("sh", "-c", "command -v iscsi-inq && command -v iscsi-readcapacity16").startsWith("0:");
    }

    /** A target {@code iqn.2026-12.org.spindle.xensim:<name>} with one LUN of {@code size} bytes, CHAP, and only {@code initiators} admitted. */
    public static TgtLun create(String name, long size, String user, String secret, String... initiators) throws IOException {
        Path file = Files.createTempFile("xensim-" + name, ".img");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size);
        }
        String iqn = "iqn.2026-12.org.spindle.xensim:" + name;
        for (int tid = 3000 + (int) (ProcessHandle.current().pid() % 1000) * 5; ; tid++) {
            if (run("tgtadm", "--lld", "iscsi", "--mode", "target", "--op", "new", "--tid", Integer.toString(tid),
                    "--targetname", iqn).startsWith("0:")) {
                // a new LUN has a new identity, whatever tid it gets (a reused one must not look like an old LUN)
                String naa = String.format("6f47acc1%08x%016x", 0x78656e00, new java.security.SecureRandom().nextLong() & 0x7fffffffffffffffL);
                check(run("tgtadm", "--lld", "iscsi", "--mode", "logicalunit", "--op", "new", "--tid", Integer.toString(tid),
                        "--lun", "1", "--backing-store", file.toString()));
                check(run("tgtadm", "--lld", "iscsi", "--mode", "logicalunit", "--op", "update", "--tid", Integer.toString(tid),
                        "--lun", "1", "--params", "scsi_id=" + naa));
                for (String i : initiators) {
                    check(run("tgtadm", "--lld", "iscsi", "--mode", "target", "--op", "bind", "--tid", Integer.toString(tid),
                            "--initiator-name", i));
                }
                run("tgtadm", "--lld", "iscsi", "--mode", "account", "--op", "new", "--user", user, "--password", secret);
                check(run("tgtadm", "--lld", "iscsi", "--mode", "account", "--op", "bind", "--tid", Integer.toString(tid),
                        "--user", user));
                return new TgtLun(tid, iqn, naa, user, secret, size, file);
            }
            if (tid > 9000) {
                throw new IOException("no free tgt tid");
            }
        }
    }

    /**
     * Grows the LUN as a SAN does: the backing file is extended and LUN 1 made again with the same SCSI id (tgt reads
     * a backing file's size only when the LUN is made).
     */
    public void grow(long newSize) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(newSize);
        }
        String t = Integer.toString(tid);
        check(run("tgtadm", "--lld", "iscsi", "--mode", "logicalunit", "--op", "delete", "--tid", t, "--lun", "1"));
        check(run("tgtadm", "--lld", "iscsi", "--mode", "logicalunit", "--op", "new", "--tid", t, "--lun", "1", "--backing-store",
                file.toString()));
        check(run("tgtadm", "--lld", "iscsi", "--mode", "logicalunit", "--op", "update", "--tid", t, "--lun", "1", "--params",
                "scsi_id=" + naa));
    }

    /** The SCSI id a XenServer host reads for the LUN ({@code 3} + the NAA). */
    public String scsiId() {
        return "3" + naa;
    }

    /** tgt's view of the target, with its logged-in initiators. */
    public String show() {
        String show = run("tgtadm", "--lld", "iscsi", "--mode", "target", "--op", "show");
        int at = show.indexOf("Target " + tid + ": " + iqn);
        int end = show.indexOf("\nTarget ", at + 1);
        return at < 0 ? "" : show.substring(at, end < 0 ? show.length() : end);
    }

    @Override
    public void close() throws IOException {
        run("tgtadm", "--lld", "iscsi", "--mode", "target", "--op", "delete", "--force", "--tid", Integer.toString(tid));
        run("tgtadm", "--lld", "iscsi", "--mode", "account", "--op", "delete", "--user", user);
        Files.deleteIfExists(file);
    }

    private static void check(String result) throws IOException {
        if (!result.startsWith("0:")) {
            throw new IOException("tgtadm failed: " + result);
        }
    }

    /** Runs a command: {@code "<exit>:<output>"}. */
    static String run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "-1:timeout";
            }
            return p.exitValue() + ":" + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "-1:" + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "-1:interrupted";
        }
    }

}
