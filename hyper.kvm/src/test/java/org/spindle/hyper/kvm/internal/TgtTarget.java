package org.spindle.hyper.kvm.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.spindle.test.support.Commands;

/** A tgt target with a file-backed LUN 1 and a CHAP account, made with tgtadm (tgtd is shared: ids are allocated). */
final class TgtTarget implements AutoCloseable {
    private static final Pattern TARGET_LINE = Pattern.compile("(?m)^Target (\\d+): (\\S+)$");
    private static final Pattern INITIATOR = Pattern.compile("(?m)^\\s+Initiator: (\\S+)");

    final int tid;
    final String iqn;
    final String user;
    final String password;
    private final Path backing;

    private TgtTarget(int tid, String iqn, String user, String password, Path backing) {
        this.tid = tid;
        this.iqn = iqn;
        this.user = user;
        this.password = password;
        this.backing = backing;
    }

    static TgtTarget create(String iqn, long sizeBytes, String user, String password) {
        try {
            Path backing = Files.createTempFile("spindle-kvm-lun", ".img");
            try (var f = new java.io.RandomAccessFile(backing.toFile(), "rw")) {
                f.setLength(sizeBytes);
            }
            int tid = newTarget(iqn);
            tgtadm("--mode", "logicalunit", "--op", "new", "--tid", "" + tid, "--lun", "1", "--backing-store", backing.toString());
            tgtadm("--mode", "target", "--op", "bind", "--tid", "" + tid, "--initiator-address", "ALL");
            if (user != null) {
                Commands.run("tgtadm", "--lld", "iscsi", "--mode", "account", "--op", "delete", "--user", user);
                tgtadm("--mode", "account", "--op", "new", "--user", user, "--password", password);
                tgtadm("--mode", "account", "--op", "bind", "--tid", "" + tid, "--user", user);
            }
            return new TgtTarget(tid, iqn, user, password, backing);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int newTarget(String iqn) {
        String show = tgtadm("--mode", "target", "--op", "show");
        List<Integer> used = new ArrayList<>();
        Matcher m = TARGET_LINE.matcher(show);
        while (m.find()) {
            used.add(Integer.parseInt(m.group(1)));
            if (m.group(2).equals(iqn)) {
                Commands.run("tgtadm", "--lld", "iscsi", "--mode", "target", "--op", "delete", "--force", "--tid", m.group(1));
            }
        }
        for (int tid = 500; tid < 1000; tid++) {
            if (used.contains(tid)) {
                continue;
            }
            Commands.Result r = Commands.run("tgtadm", "--lld", "iscsi", "--mode", "target", "--op", "new", "--tid", "" + tid,
                    "--targetname", iqn);
            if (r.exit() == 0) {
                return tid;
            }
        }
        throw new IllegalStateException("no free tgt target id");
    }

    /**
     * Grows LUN 1 to {@code newSizeBytes}, as a SAN grows a volume. tgt reads a backing file's size only when the
     * LUN is made ({@code --op update} does not re-read it), so the backing file is extended and LUN 1 made again
     * on it: the session stays, and the LUN's SCSI id and serial (derived from target and LUN number) too.
     */
    void grow(long newSizeBytes) {
        try (var f = new java.io.RandomAccessFile(backing.toFile(), "rw")) {
            f.setLength(newSizeBytes);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        tgtadm("--mode", "logicalunit", "--op", "delete", "--tid", "" + tid, "--lun", "1");
        tgtadm("--mode", "logicalunit", "--op", "new", "--tid", "" + tid, "--lun", "1", "--backing-store", backing.toString());
    }

    /** LUN 1's capacity in bytes as an initiator reads it (libiscsi's READ CAPACITY(16), its own short session). */
    long capacity() {
        String auth = user == null ? "" : user + "%" + password + "@";
        Commands.Result r = Commands.run("iscsi-readcapacity16", "-i", "iqn.2024-01.org.spindle.test:capacity-probe",
                "iscsi://" + auth + "127.0.0.1:3260/" + iqn + "/1").ok();
        Matcher m = Pattern.compile("Total size:(\\d+)").matcher(r.out());
        if (!m.find()) {
            throw new IllegalStateException("iscsi-readcapacity16 printed no size: " + r.out());
        }
        return Long.parseLong(m.group(1));
    }

    /** The initiator IQNs with a session (I_T nexus) on this target. */
    List<String> initiators() {
        String show = tgtadm("--mode", "target", "--op", "show");
        int start = show.indexOf("Target " + tid + ": ");
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

    static String tgtadm(String... args) {
        List<String> c = new ArrayList<>(List.of("tgtadm", "--lld", "iscsi"));
        c.addAll(List.of(args));
        return Commands.run(c).ok().out();
    }

    @Override
    public void close() {
        Commands.run("tgtadm", "--lld", "iscsi", "--mode", "target", "--op", "delete", "--force", "--tid", "" + tid);
        if (user != null) {
            Commands.run("tgtadm", "--lld", "iscsi", "--mode", "account", "--op", "delete", "--user", user);
        }
        try {
            Files.deleteIfExists(backing);
        } catch (IOException e) {
            // temp file
        }
    }
}
