package org.spindle.storage.core.internal.volume;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeAll;

/** {@link RecoveryTest} on PostgreSQL, the database several nodes share. */
class PostgresRecoveryTest extends RecoveryTest {
    @BeforeAll
    static void server() {
        PostgresSupport.serverAnswers();
    }

    @Override
    protected DataSource dataSource() throws Exception {
        return PostgresSupport.freshSchema();
    }
}
