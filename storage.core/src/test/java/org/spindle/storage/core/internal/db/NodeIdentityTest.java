package org.spindle.storage.core.internal.db;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;

class NodeIdentityTest {
    @TempDir
    Path dir;

    @Test
    void aConfiguredIdWins_andNothingIsWritten() {
        assertEquals("node-a", NodeIdentity.nodeId("  node-a ", dir));
        assertFalse(Files.exists(dir.resolve("node-id")));
    }

    @Test
    void withoutOne_anIdIsMadeOnce_keptWhole_andFoundAtTheNextStart() throws Exception {
        Path data = dir.resolve("spindle");
        String first = NodeIdentity.nodeId("", data);
        assertDoesNotThrow(() -> UUID.fromString(first));
        assertEquals(first + "\n", Files.readString(data.resolve("node-id")));
        assertEquals(first, NodeIdentity.nodeId(null, data));
        try (var files = Files.list(data)) {
            assertEquals(List.of(data.resolve("node-id")), files.toList(), "no temporary file left beside it");
        }
    }

    @Test
    void aBlankFile_asACutWriteLeavesIt_countsAsNone() throws Exception {
        Files.writeString(dir.resolve("node-id"), "");
        String id = NodeIdentity.nodeId("", dir);
        assertDoesNotThrow(() -> UUID.fromString(id));
        assertEquals(id + "\n", Files.readString(dir.resolve("node-id")));
        assertEquals(id, NodeIdentity.nodeId("", dir));
    }

    @Test
    void aDirectoryThatCannotBeMade_isABackendFailureNamingTheKey() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("file"), "x");
        StorageException e = assertThrows(StorageException.class, () -> NodeIdentity.nodeId("", notADirectory.resolve("spindle")));
        assertEquals(Reason.BACKEND_FAILURE, e.reason());
        assertTrue(e.getMessage().startsWith("node.id: not configured, and "), e.getMessage());
    }

    @Test
    void theDataDirectoryIsSpindleData_elseKarafData_elseTheBundlesArea() {
        assertEquals(new File("/s"), NodeIdentity.dataDir(context(Map.of("spindle.data", "/s", "karaf.data", "/k"))));
        assertEquals(new File("/k", "spindle"), NodeIdentity.dataDir(context(Map.of("karaf.data", "/k"))));
        assertEquals(new File("/bundle-data/db"), NodeIdentity.dataDir(context(Map.of())));
    }

    @Test
    void anIdIsOneTo64CharactersWithoutAtOrControls() {
        NodeIdentity.check("n1");
        NodeIdentity.check("x".repeat(64));
        for (String bad : new String[] {null, "", " ", "x".repeat(65), "a@b", "a\nb"}) {
            StorageException e = assertThrows(StorageException.class, () -> NodeIdentity.check(bad), String.valueOf(bad));
            assertEquals(Reason.INVALID_ARGUMENT, e.reason());
            assertEquals("node.id", e.field());
            assertNotEquals(-1, e.getMessage().indexOf("node.id"), e.getMessage());
        }
    }

    private static BundleContext context(Map<String, String> properties) {
        return (BundleContext) Proxy.newProxyInstance(NodeIdentityTest.class.getClassLoader(), new Class<?>[] {BundleContext.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getProperty" -> properties.get((String) args[0]);
                    case "getDataFile" -> new File("/bundle-data", (String) args[0]);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
