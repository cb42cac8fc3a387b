package org.spindle.storage.core.internal.db;

import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

import org.osgi.framework.BundleContext;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;

/**
 * Where this node keeps what outlives a run, and who it is. The data directory holds the embedded database and the
 * node id: {@code spindle.data}, else {@code karaf.data/spindle}, else the bundle's data area. The node id is the
 * configured {@code node.id}, else the one kept in {@code node-id} there, made at the first start. A node restarted
 * with the same id recovers its own operations at once.
 *
 * <p>The file is written whole or not at all (a temporary file, forced to the disk, then moved over the name), so a
 * {@code kill -9} during the first start cannot leave a half-written id. A blank file, which an older write cut
 * short could leave, counts as none: no run ever used it, since the store starts only after reading the id.
 */
final class NodeIdentity {
    static final String FILE = "node-id";

    private NodeIdentity() {
    }

    static File dataDir(BundleContext context) {
        String dir = context.getProperty("spindle.data");
        if (dir == null && context.getProperty("karaf.data") != null) {
            dir = context.getProperty("karaf.data") + File.separator + "spindle";
        }
        return dir != null ? new File(dir) : context.getDataFile("db");
    }

    /**
     * {@code configured} when not blank, else the id kept in {@code dir}, made and kept there when there is none.
     *
     * @throws StorageException {@code BACKEND_FAILURE} ("node.id") when the file cannot be read or written
     */
    static String nodeId(String configured, Path dir) {
        if (configured != null && !configured.isBlank()) {
            return configured.trim();
        }
        Path file = dir.resolve(FILE);
        try {
            if (Files.exists(file)) {
                String kept = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (!kept.isEmpty()) {
                    return kept;
                }
            }
            String id = UUID.randomUUID().toString();
            writeWhole(file, id + "\n");
            return id;
        } catch (IOException e) {
            throw new StorageException(Reason.BACKEND_FAILURE, "node.id", "node.id: not configured, and " + file
                    + " cannot be read or written (" + e.getMessage() + ")", e);
        }
    }

    /** Writes {@code text} to {@code file} so that a reader finds either the old content or all of the new. */
    private static void writeWhole(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Path temp = Files.createTempFile(file.getParent(), FILE, ".tmp");
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                out.write(StandardCharsets.UTF_8.encode(text));
                out.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** @throws StorageException {@code INVALID_ARGUMENT} ("node.id") unless 1 to 64 characters, without '@' or control characters */
    static void check(String id) {
        if (id == null || id.isBlank() || id.length() > 64 || id.contains("@") || id.chars().anyMatch(Character::isISOControl)) {
            throw StorageException.invalid("node.id", "must be 1 to 64 characters, without '@' or control characters");
        }
    }
}
