package org.spindle.storage.core.internal.volume;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeAll;

/** {@link SeveralNodesTest} on PostgreSQL, the database several nodes share. */
class PostgresSeveralNodesTest extends SeveralNodesTest {
    @BeforeAll
    static void server() {
        PostgresSupport.serverAnswers();
    }

    @Override
    protected DataSource dataSource() throws Exception {
        return PostgresSupport.freshSchema();
    }
}
