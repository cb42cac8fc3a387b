package org.spindle.storage.core.internal.volume;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeAll;

/** {@link PoolCountsTest} on PostgreSQL, the database several nodes share. */
class PostgresPoolCountsTest extends PoolCountsTest {
    @BeforeAll
    static void server() {
        PostgresSupport.serverAnswers();
    }

    @Override
    protected DataSource dataSource() throws Exception {
        return PostgresSupport.freshSchema();
    }
}
