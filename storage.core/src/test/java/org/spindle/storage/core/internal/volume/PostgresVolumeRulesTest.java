package org.spindle.storage.core.internal.volume;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeAll;

/** The refusal and QoS rules on PostgreSQL (see {@link PostgresSupport}). */
class PostgresVolumeRulesTest extends VolumeRulesTest {
    @BeforeAll
    static void serverAnswers() {
        PostgresSupport.serverAnswers();
    }

    @Override
    protected DataSource dataSource() throws Exception {
        return PostgresSupport.freshSchema();
    }
}
