package org.spindle.storage.core.internal.db;

import java.util.List;

import org.h2.jdbcx.JdbcDataSource;
import org.spindle.storage.api.qos.QosSpec;
import org.spindle.storage.api.volume.Offering;

/**
 * The process {@link H2DurabilityTest} kills: opens the store at the URL given, commits offerings one by one,
 * printing {@code committed N} after each commit returned, then waits to be killed.
 */
public final class H2Writer {
    private H2Writer() {
    }

    public static void main(String[] args) throws Exception {
        JdbcDataSource raw = new JdbcDataSource();
        raw.setURL(args[0]);
        System.out.println("h2 " + org.h2.engine.Constants.VERSION);
        JdbcStore store = new JdbcStore(DataSources.pooled(raw, 4, 5), "writer", 60, 10);
        int n = Integer.parseInt(args[1]);
        for (int i = 1; i <= n; i++) {
            store.insertOffering(new Offering("o" + i, "", List.of("t"), QosSpec.NONE, false));
            System.out.println("committed " + i);
            System.out.flush();
        }
        Thread.sleep(120_000);
    }
}
