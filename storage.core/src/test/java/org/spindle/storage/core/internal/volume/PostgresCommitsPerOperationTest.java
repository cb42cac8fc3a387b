package org.spindle.storage.core.internal.volume;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeAll;

/** {@link CommitsPerOperationTest} on PostgreSQL, the database several nodes share. */
class PostgresCommitsPerOperationTest extends CommitsPerOperationTest {
    @BeforeAll
    static void server() {
        PostgresSupport.serverAnswers();
    }

    @Override
    protected DataSource database() throws Exception {
        return PostgresSupport.freshSchema();
    }
}
