package org.spindle.storage.core.internal.db;

import java.io.File;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

import javax.sql.DataSource;

import org.osgi.service.jdbc.DataSourceFactory;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * Makes the store's {@link DataSource} from its configuration: the JDBC driver chosen by the URL alone (the
 * {@link DataSourceFactory} whose driver accepts it), wrapped in a bounded HikariCP pool with connect and
 * validation timeouts. An embedded H2 file database is opened so that every commit reaches the file before
 * the commit returns ({@code WRITE_DELAY=0}): a {@code kill -9} right after a commit does not lose it.
 */
final class DataSources {
    /** H2's default keeps commits in memory for up to 500 ms; 0 writes each commit out before returning. */
    static final String H2_DURABLE = "WRITE_DELAY=0";
    /**
     * Statements each H2 session keeps parsed (H2's default is 8): an operation cycles through more distinct statements
     * than that, and parsing them again (the volume row's update has ~90 columns) was a fifth of the core's CPU per
     * volume life in the bench's profile. The cache holds only while no {@code SET} runs (any {@code SET} empties every
     * session's): {@link Jdbc#prepare} gives a connection its query timeout once, not at every statement.
     */
    static final String H2_QUERY_CACHE = "QUERY_CACHE_SIZE=64";

    private DataSources() {
    }

    /** The URL to use: the configured one, else the embedded default under {@code dataDir}; H2 files made durable. */
    static String url(String configured, File dataDir) {
        String url = configured == null || configured.isBlank()
                ? "jdbc:h2:file:" + new File(dataDir, "spindle").getAbsolutePath() : configured.trim();
        return durable(url);
    }

    /**
     * An H2 file URL with {@value #H2_QUERY_CACHE} and {@value #H2_DURABLE} unless it sets them itself; other URLs
     * unchanged.
     */
    static String durable(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        boolean h2File = lower.startsWith("jdbc:h2:file:") || (lower.startsWith("jdbc:h2:") && !lower.startsWith("jdbc:h2:mem:")
                && !lower.startsWith("jdbc:h2:tcp:") && !lower.startsWith("jdbc:h2:ssl:"));
        if (!h2File) {
            return url;
        }
        StringBuilder out = new StringBuilder(url);
        if (!lower.contains("query_cache_size=")) {
            out.append(';').append(H2_QUERY_CACHE);
        }
        if (!lower.contains("write_delay=")) {
            out.append(';').append(H2_DURABLE);
        }
        return out.toString();
    }

    /** Whether the database lives in this process (closing its last connection closes its files). */
    static boolean embedded(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        return lower.startsWith("jdbc:h2:") && !lower.startsWith("jdbc:h2:tcp:") && !lower.startsWith("jdbc:h2:ssl:");
    }

    /**
     * The factory whose driver accepts {@code url}.
     *
     * @throws StorageException {@code UNAVAILABLE} ("url") naming the URL's scheme when no installed driver takes it
     */
    static DataSourceFactory factoryFor(String url, List<DataSourceFactory> factories) {
        List<String> tried = new ArrayList<>();
        for (DataSourceFactory f : factories) {
            try {
                Driver d = f.createDriver(null);
                if (d.acceptsURL(url)) {
                    return f;
                }
                tried.add(d.getClass().getName());
            } catch (SQLException e) {
                tried.add(f.getClass().getName() + " (" + e.getMessage() + ")");
            }
        }
        throw new StorageException(Reason.UNAVAILABLE, "url", "url: no JDBC driver installed accepts " + scheme(url)
                + " URLs (drivers present: " + (tried.isEmpty() ? "none" : String.join(", ", tried)) + ")", null);
    }

    /** {@code jdbc:postgresql} of {@code jdbc:postgresql://host/db}: what may be shown of a URL. */
    static String scheme(String url) {
        int second = url.indexOf(':', url.indexOf(':') + 1);
        return second < 0 ? "jdbc" : url.substring(0, second);
    }

    /** What the factory's data source for {@code url} is made from: the URL, the user and the password. */
    static Properties properties(String url, DatabaseConfig config) {
        Properties p = new Properties();
        p.setProperty(DataSourceFactory.JDBC_URL, url);
        if (!config.user().isBlank()) {
            p.setProperty(DataSourceFactory.JDBC_USER, config.user());
        }
        if (!config._password().isEmpty()) {
            p.setProperty(DataSourceFactory.JDBC_PASSWORD, config._password());
        }
        return p;
    }

    /** A pool of at most {@code size} connections over {@code raw}; a connection not had within the timeout fails. */
    static HikariDataSource pooled(DataSource raw, int size, int connectTimeoutSeconds) {
        if (size < 2) {
            throw StorageException.invalid("pool.size", "must be at least 2, as a schema migration holds two (was " + size + ")");
        }
        if (connectTimeoutSeconds < 1) {
            throw StorageException.invalid("connect.timeout.seconds", "must be at least 1 (was " + connectTimeoutSeconds + ")");
        }
        HikariConfig c = new HikariConfig();
        c.setDataSource(raw);
        c.setPoolName("spindle-db");
        c.setMaximumPoolSize(size);
        c.setMinimumIdle(1);
        c.setConnectionTimeout(connectTimeoutSeconds * 1000L);
        c.setValidationTimeout(Math.min(connectTimeoutSeconds * 1000L, 5000L));
        // the store opens no transaction it does not end; a connection must come back with autocommit on
        c.setAutoCommit(true);
        // start even while the database is away: commands then fail with UNAVAILABLE until it is back
        c.setInitializationFailTimeout(-1);
        return new HikariDataSource(c);
    }
}
