package org.spindle.test.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestPostgresTest {
    @TempDir
    Path dir;

    @AfterEach
    void clear() {
        System.clearProperty("spindle.postgres.password");
        System.clearProperty("spindle.postgres.password.file");
        System.clearProperty("spindle.postgres.url");
    }

    @Test
    void thePasswordIsTheFilesLineTrimmed_orThePropertyWhenGiven() throws Exception {
        Path file = Files.writeString(dir.resolve("password"), "  s3cr3t-from-the-script\n");
        System.setProperty("spindle.postgres.password.file", file.toString());
        assertEquals(Optional.of("s3cr3t-from-the-script"), TestPostgres.password());

        System.setProperty("spindle.postgres.password", "given");
        assertEquals(Optional.of("given"), TestPostgres.password());
    }

    @Test
    void noFileAndNoProperty_isNoPassword() {
        System.setProperty("spindle.postgres.password.file", dir.resolve("absent").toString());
        assertEquals(Optional.empty(), TestPostgres.password());
    }

    @Test
    void theDataSourceLogsInAsTheRoleWithThatPasswordInTheSchemaAsked() throws Exception {
        System.setProperty("spindle.postgres.url", "jdbc:postgresql://db.example:6543/spindle");
        System.setProperty("spindle.postgres.password", "pw");
        var ds = TestPostgres.dataSource("t1");
        assertEquals("spindle", ds.getUser());
        assertEquals("pw", ds.getPassword());
        assertEquals("t1", ds.getCurrentSchema());
        assertEquals("db.example", ds.getServerNames()[0]);
        assertEquals(6543, ds.getPortNumbers()[0]);
        assertEquals(3, ds.getConnectTimeout());
    }
}
