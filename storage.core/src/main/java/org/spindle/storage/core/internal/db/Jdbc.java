package org.spindle.storage.core.internal.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;

/**
 * The store's plumbing: a connection per unit of work from the pool, a statement timeout on every statement,
 * transactions, and database failures turned into {@link StorageException}s — {@link Reason#UNAVAILABLE} when
 * the database cannot be reached or did not answer in time (retry later), {@link Reason#BACKEND_FAILURE} else.
 */
final class Jdbc {
    private final DataSource dataSource;
    private final int statementTimeoutSeconds;
    private volatile String notReady;
    /** Where transactions share commits ({@link CommitGroups}), else {@code null}: each commits on its own. */
    private final CommitGroups groups;

    Jdbc(DataSource dataSource, int statementTimeoutSeconds) {
        this(dataSource, statementTimeoutSeconds, false);
    }

    /** {@code groupCommits}: transactions and writes share commits; only for a database this process alone writes. */
    Jdbc(DataSource dataSource, int statementTimeoutSeconds, boolean groupCommits) {
        if (statementTimeoutSeconds < 1) {
            throw StorageException.invalid("statement.timeout.seconds", "must be at least 1 (was " + statementTimeoutSeconds + ")");
        }
        this.dataSource = dataSource;
        this.statementTimeoutSeconds = statementTimeoutSeconds;
        this.groups = groupCommits ? new CommitGroups(dataSource, MAX_BATCH) : null;
    }

    /** The most transactions one shared commit carries. */
    static final int MAX_BATCH = 64;

    /** Whether transactions share commits. */
    boolean groupsCommits() {
        return groups != null;
    }

    DataSource dataSource() {
        return dataSource;
    }

    @FunctionalInterface
    interface Work<T> {
        T apply(Connection c) throws SQLException;
    }

    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement st) throws SQLException;
    }

    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** Why the store cannot serve yet (the database was away at start), or {@code null} once it can. */
    void notReady(String why) {
        this.notReady = why;
    }

    /** Runs {@code work} on one connection, each statement committed on its own: for reads ({@link #write} for writes). */
    <T> T run(Work<T> work) {
        checkReady();
        try (Connection c = dataSource.getConnection()) {
            return work.apply(c);
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    private void checkReady() {
        String why = notReady;
        if (why != null) {
            throw new StorageException(Reason.UNAVAILABLE, null, why, null);
        }
    }

    /**
     * Runs {@code work} in one transaction: committed if it returns, rolled back if it throws. Where commits are grouped,
     * the transaction shares its commit with concurrent ones (it still returns only once committed); {@code work} must
     * then neither commit nor roll back itself (a savepoint of its own it may roll back to), nor start another transaction.
     */
    <T> T transaction(Work<T> work) {
        if (groups != null) {
            checkReady();
            try {
                return groups.transaction(work);
            } catch (SQLException e) {
                throw translate(e);
            }
        }
        return run(c -> {
            c.setAutoCommit(false);
            try {
                T result = work.apply(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException r) {
                    e.addSuppressed(r);
                }
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        });
    }

    /**
     * A statement with the store's timeout. It is set only where the statement does not have it already: a driver whose
     * timeout belongs to the session (H2) reports the one the connection was given before, and setting it again there is a
     * {@code SET QUERY_TIMEOUT} that makes every session of the database parse its next statements anew (H2 empties each
     * session's statement cache on any {@code SET}); PostgreSQL's statements start with none, and get it each.
     */
    PreparedStatement prepare(Connection c, String sql) throws SQLException {
        PreparedStatement st = c.prepareStatement(sql);
        if (st.getQueryTimeout() != statementTimeoutSeconds) {
            st.setQueryTimeout(statementTimeoutSeconds);
        }
        return st;
    }

    /**
     * Runs {@code work}, which writes, on one connection: each statement committed on its own, or, where commits are
     * grouped, as one transaction sharing a commit (so that every write of this process goes through the one writer).
     */
    <T> T write(Work<T> work) {
        return groups != null ? transaction(work) : run(work);
    }

    <T> List<T> query(String sql, Binder binder, RowMapper<T> mapper) {
        return run(c -> query(c, sql, binder, mapper));
    }

    <T> List<T> query(Connection c, String sql, Binder binder, RowMapper<T> mapper) throws SQLException {
        try (PreparedStatement st = prepare(c, sql)) {
            binder.bind(st);
            try (ResultSet rs = st.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
                return out;
            }
        }
    }

    int update(Connection c, String sql, Binder binder) throws SQLException {
        try (PreparedStatement st = prepare(c, sql)) {
            binder.bind(st);
            return st.executeUpdate();
        }
    }

    int update(String sql, Binder binder) {
        return write(c -> update(c, sql, binder));
    }

    static boolean isDuplicate(SQLException e) {
        // 23505: unique violation, in H2 and PostgreSQL alike
        return e instanceof SQLIntegrityConstraintViolationException || "23505".equals(e.getSQLState());
    }

    /**
     * Whether the database is away rather than the statement wrong: no connection within the timeout, a
     * connection failure (SQLState class 08), PostgreSQL shutting down or starting (57P01..57P03), a timeout.
     */
    static boolean isUnavailable(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLTimeoutException) {
                return true;
            }
            if (t instanceof SQLException s && s.getSQLState() != null
                    && (s.getSQLState().startsWith("08") || s.getSQLState().startsWith("57P") || "57014".equals(s.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    static StorageException translate(SQLException e) {
        if (isUnavailable(e)) {
            return new StorageException(Reason.UNAVAILABLE, null, "database: unavailable (" + e.getMessage()
                    + "); retry when it is back", e);
        }
        return new StorageException(Reason.BACKEND_FAILURE, null, "database: " + e.getMessage(), e);
    }
}
