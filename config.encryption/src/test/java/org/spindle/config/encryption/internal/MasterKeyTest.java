package org.spindle.config.encryption.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterKeyTest {
    @TempDir
    Path dir;

    @Test
    void theEnvironmentComesFirstThenTheFile() throws Exception {
        Path file = dir.resolve("config.key");
        Files.writeString(file, "from-the-file-0123456789\nignored second line\n");
        Map<String, String> props = Map.of(MasterKey.FILE_PROPERTY, file.toString());
        assertEquals("from-the-env-0123456789",
                new String(MasterKey.find(Map.of(MasterKey.ENVIRONMENT, "from-the-env-0123456789")::get, props::get).chars()));
        assertEquals("from-the-file-0123456789", new String(MasterKey.find(Map.<String, String>of()::get, props::get).chars()));
    }

    @Test
    void noKeyATooShortOneOrAnUnreadableFileSaySoWithoutTheKey() {
        IllegalStateException none = assertThrows(IllegalStateException.class,
                () -> MasterKey.find(Map.<String, String>of()::get, Map.<String, String>of()::get));
        assertTrue(none.getMessage().contains(MasterKey.ENVIRONMENT) && none.getMessage().contains(MasterKey.FILE_PROPERTY), none.getMessage());
        IllegalStateException shortKey = assertThrows(IllegalStateException.class,
                () -> MasterKey.find(Map.of(MasterKey.ENVIRONMENT, "short-key")::get, Map.<String, String>of()::get));
        assertTrue(shortKey.getMessage().contains("too short"), shortKey.getMessage());
        assertFalse(shortKey.getMessage().contains("short-key"), shortKey.getMessage());
        IllegalStateException unreadable = assertThrows(IllegalStateException.class,
                () -> MasterKey.find(Map.<String, String>of()::get, Map.of(MasterKey.FILE_PROPERTY, dir.resolve("absent").toString())::get));
        assertTrue(unreadable.getMessage().contains("absent"), unreadable.getMessage());
        assertEquals("MasterKey[hidden]", MasterKey.of("k3y-for-the-tests-0123456789", "t").toString());
    }
}
