package org.spindle.storage.core.internal.volume;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeAll;

/**
 * The lifecycle tests on PostgreSQL: the Flyway schema, the compare-and-set updates and the unique live names
 * must behave as on H2 (see {@link PostgresSupport}).
 */
class PostgresVolumeLifecycleTest extends VolumeLifecycleTest {
    @BeforeAll
    static void serverAnswers() {
        PostgresSupport.serverAnswers();
    }

    @Override
    protected DataSource dataSource() throws Exception {
        return PostgresSupport.freshSchema();
    }
}
