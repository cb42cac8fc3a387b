package org.spindle.test.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.postgresql.ds.PGSimpleDataSource;

/**
 * The PostgreSQL server that {@code scripts/postgres.sh start} runs for tests and benchmarks: database and role
 * {@code spindle} on 127.0.0.1:5432 ({@code -Dspindle.postgres.url} points elsewhere), and the role's password, random
 * and known in advance to nobody: {@code -Dspindle.postgres.password}, or what the script keeps in
 * {@code /run/spindle-postgres/password} ({@code -Dspindle.postgres.password.file}). Read at each call, so that a
 * test may set the properties.
 */
public final class TestPostgres {
    /** The role the tests log in as, and the database they use. */
    public static final String USER = "spindle";

    private TestPostgres() {
    }

    /** The server's JDBC URL, without a schema. */
    public static String url() {
        return System.getProperty("spindle.postgres.url", "jdbc:postgresql://127.0.0.1:5432/spindle");
    }

    /** Where the password is read from when no {@code -Dspindle.postgres.password} gives it. */
    public static Path passwordFile() {
        return Path.of(System.getProperty("spindle.postgres.password.file", "/run/spindle-postgres/password"));
    }

    /** The role's password, the file's first line trimmed; empty when neither the property nor the file gives one. */
    public static Optional<String> password() {
        String given = System.getProperty("spindle.postgres.password");
        if (given != null) {
            return Optional.of(given);
        }
        try {
            return Optional.of(Files.readString(passwordFile()).trim());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * A data source for the role, in {@code schema} when not {@code null}, giving up a connection attempt after 3 s.
     * Without a password the server refuses the login, and the caller says how to start it.
     */
    public static PGSimpleDataSource dataSource(String schema) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(url());
        ds.setUser(USER);
        ds.setPassword(password().orElse(""));
        ds.setConnectTimeout(3);
        if (schema != null) {
            ds.setCurrentSchema(schema);
        }
        return ds;
    }
}
