package org.spindle.solidfire.simulator;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Serves every active volume as a real iSCSI target in a running tgtd:
 * <ul>
 * <li>target name = the volume's IQN; one LUN ({@link #LUN}) backed by a sparse file of the volume's size, through a
 * loop device that tgt opens with {@code O_DIRECT}, so that the kernel counts the volume's I/O ({@link LoopDevices});</li>
 * <li>the account's username + initiatorSecret is the target's incoming CHAP account;</li>
 * <li>the initiator names of the volume's access groups are the target's initiator-name ACL: no group, no login;</li>
 * <li>the LUN's SCSI identity is the volume's: tgt turns {@code scsi_id} (the scsiNAADeviceID's 32 hex digits) into
 * the NAA IEEE Registered Extended designator of INQUIRY page 0x83, so an initiator reads the id Element reports;
 * vendor {@code SolidFir}, product {@code SSD SAN}, and the NAA's last 16 digits as the unit serial number.</li>
 * </ul>
 * tgt keeps LUN 0 for its own controller (it refuses to create or delete LUN 0), so the data LUN is 1.
 * Not thread-safe on its own: {@link Cluster} serializes the calls.
 */
final class TgtExporter implements Exporter {
    /** The LUN every volume is served at. tgt reserves LUN 0 for its "controller" device. */
    static final int LUN = 1;
    /** The INQUIRY vendor and product of a SolidFire LUN. */
    static final String VENDOR = "SolidFir";
    static final String PRODUCT = "SSD SAN";

    private static final System.Logger LOG = System.getLogger(TgtExporter.class.getName());
    private static final Pattern TARGET_LINE = Pattern.compile("(?m)^Target (\\d+): (\\S+)");

    private final TgtAdm tgt;
    private final LoopDevices loops;
    private final Path stateDir;
    private final String filePrefix;
    private final Map<Long, Applied> applied = new HashMap<>();
    private final TgtAccounts accounts;

    private static final class Applied {
        int tid;
        String iqn;
        /** The loop device between the backing file and tgt. */
        String device;
        /**
         * The device's counters that no initiator caused: the kernel reads a new (or resized) loop device's first
         * blocks itself, looking for a partition table.
         */
        LoopDevices.Counters notByInitiators = LoopDevices.Counters.ZERO;
        long size;
        boolean readOnly;
        String naa;
        String chapUser;
        final Set<String> initiators = new HashSet<>();
    }

    TgtExporter(TgtAdm tgt, LoopDevices loops, Path stateDir, String filePrefix) {
        this.tgt = tgt;
        this.loops = loops;
        this.accounts = new TgtAccounts(tgt);
        this.stateDir = stateDir;
        this.filePrefix = filePrefix;
    }

    @Override
    public int lun() {
        return LUN;
    }

    @Override
    public boolean active() {
        return true;
    }

    @Override
    public Path backingFile(long volumeId) {
        return stateDir.resolve(filePrefix + volumeId + ".img");
    }

    @Override
    public long allocatedBytes(long volumeId) {
        Path f = backingFile(volumeId);
        try {
            Object blocks = Files.getAttribute(f, "unix:blocks");
            return ((Number) blocks).longValue() * 512;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return 0;
        }
    }

    /** The kernel's counters of the volume's loop device: every read and write that reached its LUN. */
    @Override
    public LoopDevices.Counters io(long volumeId) {
        Applied a = applied.get(volumeId);
        if (a == null || a.device == null) {
            return LoopDevices.Counters.ZERO; // not served: nothing can reach it
        }
        try {
            return loops.counters(a.device).since(a.notByInitiators);
        } catch (LoopDevices.LoopException e) {
            throw new ElementException("xSimulatorIscsiError", "I/O counters of VolumeID " + volumeId + ": " + e.getMessage());
        }
    }

    @Override
    public void apply(Desired d) {
        try {
            Applied a = applied.get(d.volumeId());
            if (!d.exported()) {
                if (a != null) {
                    removeTarget(d.volumeId(), a);
                }
                return;
            }
            if (a == null) {
                create(d);
            } else {
                update(d, a);
            }
        } catch (TgtAdm.TgtException e) {
            throw new ElementException("xSimulatorIscsiError", "tgt could not serve VolumeID " + d.volumeId() + ": " + e.getMessage());
        } catch (IOException e) {
            throw new ElementException("xSimulatorIscsiError", "backing file of VolumeID " + d.volumeId() + ": " + e);
        } catch (LoopDevices.LoopException e) {
            throw new ElementException("xSimulatorIscsiError", "loop device of VolumeID " + d.volumeId() + ": " + e.getMessage());
        }
    }

    private void create(Desired d) throws IOException {
        Path file = backingFile(d.volumeId());
        Files.createDirectories(stateDir);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            if (raf.length() < d.sizeBytes()) {
                raf.setLength(d.sizeBytes()); // sparse
            }
        }
        Applied a = new Applied();
        a.iqn = d.iqn();
        a.device = loops.attach(file);
        a.notByInitiators = loops.counters(a.device);
        try {
            a.tid = newTarget(d.iqn());
        } catch (RuntimeException e) {
            loops.detach(a.device);
            throw e;
        }
        applied.put(d.volumeId(), a);
        try {
            newLun(a);
            a.size = d.sizeBytes();
            a.naa = d.naa();
            identify(a);
            if (d.readOnly()) {
                setReadOnly(a, true);
            }
            bindAccount(d, a);
            syncInitiators(d, a);
        } catch (RuntimeException e) {
            try {
                removeTarget(d.volumeId(), a);
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private void update(Desired d, Applied a) throws IOException {
        if (d.sizeBytes() > a.size) {
            Path file = backingFile(d.volumeId());
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.setLength(d.sizeBytes());
            }
            LoopDevices.Counters before = loops.counters(a.device);
            loops.refresh(a.device);
            a.notByInitiators = a.notByInitiators.plus(loops.counters(a.device).since(before));
            resizeLun(a);
            a.size = d.sizeBytes();
        }
        if (d.readOnly() != a.readOnly) {
            setReadOnly(a, d.readOnly());
        }
        if (!Objects.equals(d.chapUser(), a.chapUser) || !accounts.has(a.chapUser, d.initiatorSecret())) {
            unbindAccount(a);
            bindAccount(d, a);
        }
        syncInitiators(d, a);
    }

    /** LUN 1 on the volume's loop device, opened with O_DIRECT: no page cache between the initiator and the counters. */
    private void newLun(Applied a) {
        tgt.run("--mode", "logicalunit", "--op", "new", "--tid", Integer.toString(a.tid), "--lun", Integer.toString(LUN),
                "--backing-store", a.device, "--bsoflags", "direct");
    }

    /** tgt reads the size when it opens the backing store: take the LU offline and re-open the same path. */
    private void resizeLun(Applied a) {
        String tid = Integer.toString(a.tid);
        String lun = Integer.toString(LUN);
        try {
            tgt.run("--mode", "logicalunit", "--op", "update", "--tid", tid, "--lun", lun, "--params", "online=0");
            tgt.run("--mode", "logicalunit", "--op", "update", "--tid", tid, "--lun", lun, "--params", "path=" + a.device);
        } catch (TgtAdm.TgtException e) {
            LOG.log(Level.DEBUG, "in-place resize failed, re-creating the LU: {0}", e.getMessage());
            tgt.run("--mode", "logicalunit", "--op", "delete", "--tid", tid, "--lun", lun);
            newLun(a);
            identify(a);
            if (a.readOnly) {
                setReadOnly(a, true);
            }
        }
    }

    /** The LUN's INQUIRY identity: NAA designator (from scsi_id), unit serial number, vendor and product. */
    private void identify(Applied a) {
        tgt.run("--mode", "logicalunit", "--op", "update", "--tid", Integer.toString(a.tid), "--lun", Integer.toString(LUN),
                "--params", "scsi_id=" + a.naa + ",scsi_sn=" + a.naa.substring(a.naa.length() - 16)
                        + ",vendor_id=" + VENDOR + ",product_id=" + PRODUCT);
    }

    private void setReadOnly(Applied a, boolean readOnly) {
        tgt.run("--mode", "logicalunit", "--op", "update", "--tid", Integer.toString(a.tid), "--lun", Integer.toString(LUN),
                "--params", "readonly=" + (readOnly ? 1 : 0));
        a.readOnly = readOnly;
    }

    private int newTarget(String iqn) {
        Set<Integer> used = new TreeSet<>();
        Matcher m = TARGET_LINE.matcher(tgt.run("--mode", "target", "--op", "show"));
        while (m.find()) {
            used.add(Integer.parseInt(m.group(1)));
            if (m.group(2).equals(iqn)) {
                // a leftover of an earlier run that was not stopped (same unique ID): take it over
                LOG.log(Level.WARNING, "removing stale tgt target {0} ({1})", m.group(1), iqn);
                tgt.run("--mode", "target", "--op", "delete", "--force", "--tid", m.group(1));
                used.remove(Integer.parseInt(m.group(1)));
            }
        }
        int tid = 1;
        for (int attempt = 0; attempt < 100; attempt++) {
            while (used.contains(tid)) {
                tid++;
            }
            try {
                tgt.run("--mode", "target", "--op", "new", "--tid", Integer.toString(tid), "--targetname", iqn);
                return tid;
            } catch (TgtAdm.TgtException e) {
                if (!e.alreadyExists()) {
                    throw e;
                }
                used.add(tid); // another process took it meanwhile
            }
        }
        throw new TgtAdm.TgtException("no free tgt target id for " + iqn, -1, null);
    }

    private void bindAccount(Desired d, Applied a) {
        List<Integer> others = applied.values().stream().filter(o -> o != a && d.chapUser().equals(o.chapUser))
                .map(o -> o.tid).toList();
        accounts.bind(d.chapUser(), d.initiatorSecret(), a.tid, others);
        a.chapUser = d.chapUser();
    }

    private void unbindAccount(Applied a) {
        if (a.chapUser != null) {
            accounts.unbind(a.chapUser, a.tid);
            a.chapUser = null;
        }
    }

    private void syncInitiators(Desired d, Applied a) {
        Set<String> wanted = new LinkedHashSet<>(d.initiators());
        for (String gone : Set.copyOf(a.initiators)) {
            if (!wanted.contains(gone)) {
                tgt.run("--mode", "target", "--op", "unbind", "--tid", Integer.toString(a.tid), "--initiator-name", gone);
                a.initiators.remove(gone);
                // tgt checks the ACL at login only: end the sessions of the initiator that lost access
                dropSessions(a, gone);
            }
        }
        for (String add : wanted) {
            if (!a.initiators.contains(add)) {
                tgt.run("--mode", "target", "--op", "bind", "--tid", Integer.toString(a.tid), "--initiator-name", add);
                a.initiators.add(add);
            }
        }
    }

    private static final Pattern NEXUS = Pattern.compile("(?m)^\\s*I_T nexus: (\\d+)\\s*\\n\\s*Initiator: (\\S+)");

    private void dropSessions(Applied a, String initiator) {
        try {
            String show = tgt.run("--mode", "target", "--op", "show");
            int start = show.indexOf("Target " + a.tid + ": ");
            if (start < 0) {
                return;
            }
            int end = show.indexOf("\nTarget ", start + 1);
            String block = end < 0 ? show.substring(start) : show.substring(start, end);
            Matcher m = NEXUS.matcher(block);
            while (m.find()) {
                if (m.group(2).equalsIgnoreCase(initiator)) {
                    tgt.run("--mode", "conn", "--op", "delete", "--tid", Integer.toString(a.tid), "--sid", m.group(1), "--cid", "0");
                }
            }
        } catch (TgtAdm.TgtException e) {
            LOG.log(Level.DEBUG, "could not drop sessions of {0}: {1}", initiator, e.getMessage());
        }
    }

    private void removeTarget(long volumeId, Applied a) {
        applied.remove(volumeId);
        try {
            unbindAccount(a);
            if (a.tid > 0) {
                tgt.run("--mode", "target", "--op", "delete", "--force", "--tid", Integer.toString(a.tid));
            }
        } finally {
            try {
                loops.detach(a.device);
            } catch (LoopDevices.LoopException e) {
                LOG.log(Level.WARNING, "cannot detach {0} of VolumeID {1}: {2}", a.device, volumeId, e.getMessage());
            }
        }
    }

    @Override
    public void purge(long volumeId) {
        Applied a = applied.get(volumeId);
        TgtAdm.TgtException failure = null;
        if (a != null) {
            try {
                removeTarget(volumeId, a);
            } catch (TgtAdm.TgtException e) {
                failure = e;
            }
        }
        try {
            Files.deleteIfExists(backingFile(volumeId));
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot delete {0}: {1}", backingFile(volumeId), e);
        }
        if (failure != null) {
            throw new ElementException("xSimulatorIscsiError", "tgt could not remove VolumeID " + volumeId + ": " + failure.getMessage());
        }
    }

    /** The tgt target id serving a volume, or -1. */
    int tid(long volumeId) {
        Applied a = applied.get(volumeId);
        return a == null ? -1 : a.tid;
    }

    @Override
    public void close() {
        for (long id : List.copyOf(applied.keySet())) {
            try {
                purge(id);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "cleanup of VolumeID {0} failed: {1}", id, e.getMessage());
            }
        }
        accounts.close();
    }
}
