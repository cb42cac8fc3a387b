package org.spindle.storage.core.internal.volume;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeAll;

/** The cluster and host membership tests on PostgreSQL (see {@link PostgresSupport}). */
class PostgresClusterAttachTest extends ClusterAttachTest {
    @BeforeAll
    static void serverAnswers() {
        PostgresSupport.serverAnswers();
    }

    @Override
    protected DataSource dataSource() throws Exception {
        return PostgresSupport.freshSchema();
    }
}
