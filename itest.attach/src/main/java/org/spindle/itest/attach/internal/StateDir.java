package org.spindle.itest.attach.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.spindle.storage.api.Portal;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.attach.Attachment;
import org.spindle.storage.api.qos.IoLimits;

/**
 * A test hypervisor that outlives the runtime, as a real one does: its disks are kept in {@code disks.tsv} of a
 * directory the test names ({@code state.dir}), written atomically after every change, so a {@code kill -9} of the
 * runtime loses nothing the hypervisor did. The same directory holds the crash points a test arms: a file
 * {@code pause-before-<call>} or {@code pause-after-<call>} makes the call write {@code paused} (naming the point)
 * and block until the process is killed; {@code lose-<call>} makes the call do its work and then fail as if its
 * reply were lost (once: the file is removed). Every call runs under the directory's file lock with the disks read
 * afresh ({@link Ledger#around}), so several runtimes can share it.
 */
final class StateDir {
    private static final String DISKS = "disks.tsv";

    private final Path dir;

    StateDir(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private java.nio.channels.FileChannel lockChannel;
    private java.nio.channels.FileLock lock;

    /**
     * Takes the directory's lock, held until {@link #unlock()}: runtimes in several processes sharing this test
     * hypervisor (several nodes) see one hypervisor, one call at a time, as they would see a real one.
     */
    void lock() {
        try {
            lockChannel = java.nio.channels.FileChannel.open(dir.resolve("lock"), java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.WRITE);
            lock = lockChannel.lock();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void unlock() {
        try {
            if (lock != null) {
                lock.release();
            }
            if (lockChannel != null) {
                lockChannel.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            lock = null;
            lockChannel = null;
        }
    }

    /** The disks kept, by volume. */
    Map<UUID, Ledger.Disk> load() {
        Map<UUID, Ledger.Disk> out = new LinkedHashMap<>();
        Path f = dir.resolve(DISKS);
        if (!Files.exists(f)) {
            return out;
        }
        try {
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                String[] c = line.split("\t", -1);
                Attachment a = new Attachment(UUID.fromString(c[0]), c[1], c[2], c[3], c[4], c[5].isEmpty() ? null : c[5],
                        Boolean.parseBoolean(c[6]));
                Target t = c[9].isEmpty() ? null : new Target(c[8], List.of(c[11].split(",")).stream()
                        .map(p -> Portal.parse(p, Portal.ISCSI_PORT)).toList(), c[9], Integer.parseInt(c[10]), null, null);
                out.put(a.volumeId(), new Ledger.Disk(a, t, IoLimits.NONE, Long.parseLong(c[7])));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Writes the disks: a temporary file, then an atomic rename. */
    void save(Collection<Ledger.Disk> disks) {
        List<String> lines = new ArrayList<>();
        for (Ledger.Disk d : disks) {
            Attachment a = d.attachment();
            Target t = d.target();
            lines.add(String.join("\t", a.volumeId().toString(), a.vmId(), a.vmName(), a.host(), a.device(),
                    a.structure() == null ? "" : a.structure(), Boolean.toString(a.managed()), Long.toString(d.sizeBytes()),
                    t == null ? "" : t.protocol(), t == null ? "" : t.name(), t == null ? "0" : Integer.toString(t.lun()),
                    t == null ? "" : String.join(",", t.portals().stream().map(Portal::toString).toList())));
        }
        try {
            Path tmp = dir.resolve(DISKS + ".tmp");
            Files.write(tmp, lines, StandardCharsets.UTF_8);
            Files.move(tmp, dir.resolve(DISKS), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** At crash point {@code when} ("before"/"after") of {@code call}: blocks for ever if the test armed it. */
    void point(String when, String call) {
        String name = "pause-" + when + "-" + call;
        if (!Files.exists(dir.resolve(name))) {
            return;
        }
        try {
            Files.writeString(dir.resolve("paused"), name, StandardCharsets.UTF_8);
            while (true) {
                Thread.sleep(60_000);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException(Reason.BACKEND_FAILURE, "interrupted at " + name);
        }
    }

    /** After {@code call} did its work: fails as a lost reply if the test armed it (once). */
    void reply(String call) {
        try {
            if (Files.deleteIfExists(dir.resolve("lose-" + call))) {
                throw new StorageException(Reason.BACKEND_FAILURE, "the reply of " + call + " was lost");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
