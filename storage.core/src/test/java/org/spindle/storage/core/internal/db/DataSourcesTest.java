package org.spindle.storage.core.internal.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.sql.SQLException;
import java.util.List;

import org.h2.util.OsgiDataSourceFactory;
import org.junit.jupiter.api.Test;
import org.osgi.service.jdbc.DataSourceFactory;
import org.postgresql.ds.PGSimpleDataSource;
import org.postgresql.osgi.PGDataSourceFactory;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;

import com.zaxxer.hikari.HikariDataSource;

/** Choosing the JDBC driver by URL, H2's durable URL, the pool's timeouts and what a missing database looks like. */
class DataSourcesTest {
    private final DataSourceFactory h2 = new OsgiDataSourceFactory(org.h2.Driver.load());
    private final DataSourceFactory postgres = new PGDataSourceFactory();

    @Test
    void theDriverIsChosenByTheUrlAlone() {
        assertSame(postgres, DataSources.factoryFor("jdbc:postgresql://db:5432/spindle", List.of(h2, postgres)));
        assertSame(h2, DataSources.factoryFor("jdbc:h2:file:/tmp/x", List.of(postgres, h2)));
    }

    @Test
    void aUrlNoInstalledDriverTakes_isRefusedNamingItsScheme_withoutTheRest() {
        StorageException e = assertThrows(StorageException.class,
                () -> DataSources.factoryFor("jdbc:mysql://db/spindle?password=hidden", List.of(h2, postgres)));
        assertEquals(Reason.UNAVAILABLE, e.reason());
        assertEquals("url", e.field());
        assertTrue(e.getMessage().contains("jdbc:mysql"), e.getMessage());
        assertTrue(!e.getMessage().contains("hidden"), "the rest of the URL may hold secrets");
    }

    @Test
    void embeddedH2FilesAreOpenedDurably_unlessTheUrlSaysOtherwise() {
        assertEquals("jdbc:h2:file:" + new File("/d", "spindle").getAbsolutePath() + ";QUERY_CACHE_SIZE=64;WRITE_DELAY=0", DataSources.url("", new File("/d")));
        assertEquals("jdbc:h2:file:/x;QUERY_CACHE_SIZE=64;WRITE_DELAY=0", DataSources.url("jdbc:h2:file:/x", new File("/d")));
        assertEquals("jdbc:h2:file:/x;write_delay=100;QUERY_CACHE_SIZE=64", DataSources.url("jdbc:h2:file:/x;write_delay=100", new File("/d")));
        assertEquals("jdbc:h2:mem:x", DataSources.url("jdbc:h2:mem:x", new File("/d")));
        assertEquals("jdbc:postgresql://db/s", DataSources.url("jdbc:postgresql://db/s", new File("/d")));
    }

    @Test
    void aDatabaseThatIsAway_failsWithinTheConnectTimeout_asUnavailable() {
        PGSimpleDataSource raw = new PGSimpleDataSource();
        raw.setURL("jdbc:postgresql://127.0.0.1:1/spindle");
        raw.setConnectTimeout(1);
        try (HikariDataSource pool = DataSources.pooled(raw, 2, 1)) {
            SQLException e = assertThrows(SQLException.class, pool::getConnection);
            StorageException se = Jdbc.translate(e);
            assertEquals(Reason.UNAVAILABLE, se.reason(), se.getMessage());
            assertTrue(se.getMessage().startsWith("database: unavailable"), se.getMessage());
        }
    }

    @Test
    void aWrongStatementIsNoOutage() {
        assertEquals(Reason.BACKEND_FAILURE, Jdbc.translate(new SQLException("syntax error", "42601")).reason());
        assertEquals(Reason.UNAVAILABLE, Jdbc.translate(new SQLException("connection refused", "08001")).reason());
        assertEquals(Reason.UNAVAILABLE, Jdbc.translate(new SQLException("terminating connection due to administrator command", "57P01")).reason());
    }

    @Test
    void poolSettingsAreChecked() {
        assertEquals("pool.size", assertThrows(StorageException.class, () -> DataSources.pooled(new PGSimpleDataSource(), 1, 5)).field());
        assertEquals("connect.timeout.seconds", assertThrows(StorageException.class,
                () -> DataSources.pooled(new PGSimpleDataSource(), 2, 0)).field());
    }
}
