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
    /** The loop device LUN 1 is served from (with O_DIRECT, so the kernel counts its I/O), or null for the file. */
    public final String loop;

    private TgtLun(int tid, String iqn, Chap chap, long bytes, Path image, String loop) {
        this.tid = tid;
        this.iqn = iqn;
        this.chap = chap;
        this.bytes = bytes;
        this.image = image;
        this.loop = loop;
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
        return create(dir, tid, name, bytes, user, secret, false);
    }

    /**
     * As {@link #create(Path, int, String, long, String, String)}; with {@code onLoop} LUN 1 is served from a loop
     * device over the file, opened with O_DIRECT, as the SolidFire simulator serves its volumes: every SCSI READ and
     * WRITE reaches the device, and /sys/block/loopN/stat counts it.
     */
    public static TgtLun create(Path dir, int tid, String name, long bytes, String user, String secret, boolean onLoop)
            throws IOException {
        requireTgt();
        String iqn = "iqn.2026-12.org.spindle.hyper-vmware:" + name;
        remove(tid, user);
        Path image = dir.resolve(name + ".img");
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(bytes);
        }
        String loop = onLoop ? output("losetup", "-f", "--show", image.toString()).strip() : null;
        check("tgtadm", "--lld", "iscsi", "--mode", "target", "--op", "new", "--tid", "" + tid, "--targetname", iqn);
        if (loop != null) {
            check("tgtadm", "--lld", "iscsi", "--mode", "logicalunit", "--op", "new", "--tid", "" + tid, "--lun", "1",
                    "--backing-store", loop, "--bsoflags", "direct");
        } else {
            check("tgtadm", "--lld", "iscsi", "--mode", "logicalunit", "--op", "new", "--tid", "" + tid, "--lun", "1",
                    "--backing-store", image.toString());
        }
        check("tgtadm", "--lld", "iscsi", "--mode", "target", "--op", "bind", "--tid", "" + tid, "--initiator-address", "127.0.0.1");
        check("tgtadm", "--lld", "iscsi", "--mode", "account", "--op", "new", "--user", user, "--password", secret);
        check("tgtadm", "--lld", "iscsi", "--mode", "account", "--op", "bind", "--tid", "" + tid, "--user", user);
        return new TgtLun(tid, iqn, new Chap(user, Secret.of(secret)), bytes, image, loop);
    }

    /** The loop device's counters: read ops, read bytes, write ops, write bytes (Documentation/block/stat). */
    public long[] counters() throws IOException {
        String[] f = java.nio.file.Files.readString(Path.of("/sys/block", Path.of(loop).getFileName().toString(), "stat"))
                .strip().split("\\s+");
        return new long[] {Long.parseLong(f[0]), Long.parseLong(f[2]) * 512, Long.parseLong(f[4]), Long.parseLong(f[6]) * 512};
    }

    /**
     * Runs qemu-io's commands on LUN 1 over iSCSI with this LUN's CHAP, as initiator {@code initiator} (a VM's host):
     * real SCSI commands on the wire, as a guest's disk would send them. The secret goes through a 0600 file.
     */
    public void qemuIo(Path dir, String initiator, List<String> commands) throws IOException {
        Path secret = java.nio.file.Files.createTempFile(dir, "chap", ".secret",
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        try {
            java.nio.file.Files.writeString(secret, chap.secret().reveal());
            List<String> cmd = new ArrayList<>(List.of("qemu-io", "--object", "secret,id=chap0,file=" + secret, "--image-opts",
                    "driver=iscsi,transport=tcp,portal=127.0.0.1:3260,target=" + iqn + ",lun=1,user=" + chap.username()
                            + ",password-secret=chap0,initiator-name=" + initiator));
            for (String c : commands) {
                cmd.add("-c");
                cmd.add(c);
            }
            check(cmd.toArray(String[]::new));
        } finally {
            java.nio.file.Files.deleteIfExists(secret);
        }
    }

    private static String output(String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IOException(String.join(" ", cmd) + " failed: " + out);
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /**
     * Makes the target authenticate itself too (mutual CHAP): an outgoing account {@code user}/{@code secret} on it.
     * Returns the CHAP an initiator then logs in with.
     */
    public Chap mutual(String user, String secret) throws IOException {
        run(false, "tgtadm", "--lld", "iscsi", "--mode", "account", "--op", "delete", "--user", user);
        check("tgtadm", "--lld", "iscsi", "--mode", "account", "--op", "new", "--user", user, "--password", secret);
        check("tgtadm", "--lld", "iscsi", "--mode", "account", "--op", "bind", "--tid", "" + tid, "--user", user, "--outgoing");
        outgoing = user;
        return new Chap(chap.username(), chap.secret(), user, Secret.of(secret));
    }

    private String outgoing;

    /**
     * The target's ACL by initiator name: these initiators are granted (added to those granted before), and no longer
     * any initiator from 127.0.0.1.
     */
    public void grantOnly(List<String> initiators) throws IOException {
        run(false, "tgtadm", "--lld", "iscsi", "--mode", "target", "--op", "unbind", "--tid", "" + tid, "--initiator-address", "127.0.0.1");
        for (String iqn : initiators) {
            check("tgtadm", "--lld", "iscsi", "--mode", "target", "--op", "bind", "--tid", "" + tid, "--initiator-name", iqn);
        }
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
        if (outgoing != null) {
            run(false, "tgtadm", "--lld", "iscsi", "--mode", "account", "--op", "delete", "--user", outgoing);
        }
        if (loop != null) {
            run(false, "losetup", "-d", loop);
        }
    }
}
