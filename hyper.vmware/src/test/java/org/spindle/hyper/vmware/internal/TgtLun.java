package org.spindle.hyper.vmware.internal;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.spindle.storage.api.Chap;
import org.spindle.storage.api.Secret;

/**
 * One iSCSI target of this module's own on the running tgtd, with one LUN backed by a sparse file and a CHAP
 * account: what a SAN would export for a Spindle volume. Needs root and tgtd (scripts/tgt.sh start); without
 * them the test is skipped, unless -Dspindle.require.tgt=true, where it fails.
 */
public final class TgtLun implements AutoCloseable {
    public final int tid;
    public final String iqn;
    public final Chap chap;
    public final long bytes;
    private final Path image;

    private TgtLun(int tid, String iqn, Chap chap, long bytes, Path image) {
        this.tid = tid;
        this.iqn = iqn;
        this.chap = chap;
        this.bytes = bytes;
        this.image = image;
    }

    /**
     * Grows LUN 1 to {@code newBytes}, as a SAN grows a volume: tgt reads the backing file's size only when a LUN is
     * made, so the file is extended and LUN 1 made again on it (its NAA id, derived from target and LUN, stays).
     */
    public void grow(long newBytes) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(newBytes);
        }
        check("tgtadm", "--lld", "iscsi", "--mode", "logicalunit", "--op", "delete", "--tid", "" + tid, "--lun", "1");
        check("tgtadm", "--lld", "iscsi", "--mode", "logicalunit", "--op", "new", "--tid", "" + tid, "--lun", "1",
                "--backing-store", image.toString());
    }

    public static void requireTgt() {
        boolean up;
        try {
            up = run(false, "tgtadm", "--lld", "iscsi", "--mode", "target", "--op", "show") == 0;
        } catch (IOException e) {
            up = false;
        }
        if (Boolean.getBoolean("spindle.require.tgt") && !up) {
            throw new IllegalStateException("tgtd does not answer tgtadm (scripts/tgt.sh start)");
        }
        assumeTrue(up, "tgtd not reachable");
    }

    /** Makes target {@code tid} with one LUN of {@code bytes} in {@code dir}, CHAP user {@code user}. */
    public static TgtLun create(Path dir, int tid, String name, long bytes, String user, String secret) throws IOException {
        requireTgt();
        String iqn = "iqn.2026-12.org.spindle.hyper-vmware:" + name;
        remove(tid, user);
        Path image = dir.resolve(name + ".img");
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(bytes);
        }
        check("tgtadm", "--lld", "iscsi", "--mode", "target", "--op", "new", "--tid", "" + tid, "--targetname", iqn);
        check("tgtadm", "--lld", "iscsi", "--mode", "logicalunit", "--op", "new", "--tid", "" + tid, "--lun", "1",
                "--backing-store", image.toString());
        check("tgtadm", "--lld", "iscsi", "--mode", "target", "--op", "bind", "--tid", "" + tid, "--initiator-address", "127.0.0.1");
        check("tgtadm", "--lld", "iscsi", "--mode", "account", "--op", "new", "--user", user, "--password", secret);
        check("tgtadm", "--lld", "iscsi", "--mode", "account", "--op", "bind", "--tid", "" + tid, "--user", user);
        return new TgtLun(tid, iqn, new Chap(user, Secret.of(secret)), bytes, image);
    }

    private static void remove(int tid, String user) throws IOException {
        run(false, "tgtadm", "--lld", "iscsi", "--mode", "target", "--op", "delete", "--force", "--tid", "" + tid);
        run(false, "tgtadm", "--lld", "iscsi", "--mode", "account", "--op", "delete", "--user", user);
    }

    private static void check(String... cmd) throws IOException {
        if (run(true, cmd) != 0) {
            throw new IOException("failed: " + String.join(" ", cmd));
        }
    }

    private static int run(boolean show, String... cmd) throws IOException {
        Process p = new ProcessBuilder(new ArrayList<>(List.of(cmd))).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int rc = p.waitFor();
            if (rc != 0 && show) {
                System.err.println(String.join(" ", cmd) + ": " + out);
            }
            return rc;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        remove(tid, chap.username());
    }
}
