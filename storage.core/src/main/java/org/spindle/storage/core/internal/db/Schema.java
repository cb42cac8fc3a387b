package org.spindle.storage.core.internal.db;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.ArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schema, migrated by Flyway. A node that starts while its database is away does not fail: it keeps trying
 * in the background every {@value #RETRY_SECONDS} s, every store call answers UNAVAILABLE meanwhile (saying since
 * when and why), and what waited for the database ({@link #whenReady}) runs once the schema is there. Any other
 * migration failure (a broken script, a database of a newer Spindle) fails the start as before.
 */
final class Schema {
    private static final Logger LOG = LoggerFactory.getLogger(Schema.class);
    static final int RETRY_SECONDS = 2;

    private final DataSource dataSource;
    private final Jdbc jdbc;
    private final List<Runnable> waiting = new ArrayList<>();
    private volatile boolean ready;
    private ScheduledExecutorService retry;

    Schema(DataSource dataSource, Jdbc jdbc) {
        this.dataSource = dataSource;
        this.jdbc = jdbc;
    }

    /** Migrates now, or, when the database cannot be reached, starts trying in the background. */
    synchronized void migrateOrWait() {
        try {
            migrate();
        } catch (RuntimeException e) {
            if (!unavailable(e)) {
                throw e;
            }
            String why = "database: unreachable since " + Instant.now() + " (" + rootMessage(e) + "); Spindle retries every "
                    + RETRY_SECONDS + " s";
            LOG.warn("{}; storage commands answer UNAVAILABLE until it is back", why);
            jdbc.notReady(why);
            retry = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "spindle-db-wait");
                t.setDaemon(true);
                return t;
            });
            retry.scheduleWithFixedDelay(this::tryAgain, RETRY_SECONDS, RETRY_SECONDS, TimeUnit.SECONDS);
        }
    }

    private void tryAgain() {
        try {
            migrate();
            LOG.info("Database reachable again: schema migrated, {} waiting task(s) run", waiting.size());
            retry.shutdown();
        } catch (RuntimeException e) {
            if (!unavailable(e)) {
                LOG.error("Migrating the schema failed: {}; trying again in {} s", e.getMessage(), RETRY_SECONDS);
            }
        }
    }

    private void migrate() {
        Flyway.configure(JdbcStore.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .table("spindle_schema_history")
                .load()
                .migrate();
        List<Runnable> run;
        synchronized (waiting) {
            ready = true;
            jdbc.notReady(null);
            run = List.copyOf(waiting);
            waiting.clear();
        }
        for (Runnable r : run) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.warn("A task waiting for the database failed: {}", e.getMessage());
            }
        }
    }

    boolean ready() {
        return ready;
    }

    /** Runs {@code task} once the schema is migrated: now if it is, else when the database is back. */
    void whenReady(Runnable task) {
        synchronized (waiting) {
            if (!ready) {
                waiting.add(task);
                return;
            }
        }
        task.run();
    }

    synchronized void close() {
        if (retry != null) {
            retry.shutdownNow();
        }
    }

    private static boolean unavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && Jdbc.isUnavailable(s)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
