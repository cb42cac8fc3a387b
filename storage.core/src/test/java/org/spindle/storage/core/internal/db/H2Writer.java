package org.spindle.storage.core.internal.db;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.h2.jdbcx.JdbcDataSource;
import org.spindle.storage.api.qos.QosSpec;
import org.spindle.storage.api.volume.Offering;

/**
 * The process {@link H2DurabilityTest} kills: opens the store at the URL given, commits {@code n} offerings on each of
 * {@code threads} threads at once (1 unless given), printing {@code committed <name>} after each commit returned and
 * {@code committed N} once N commits returned in all, then waits to be killed.
 */
public final class H2Writer {
    private H2Writer() {
    }

    public static void main(String[] args) throws Exception {
        JdbcDataSource raw = new JdbcDataSource();
        raw.setURL(args[0]);
        int n = Integer.parseInt(args[1]);
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        JdbcStore store = new JdbcStore(DataSources.pooled(raw, threads + 2, 5), "writer", 60, 10);
        AtomicInteger done = new AtomicInteger();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            new Thread(() -> {
                for (int i = 1; i <= n; i++) {
                    String name = "t" + thread + "-" + i;
                    store.insertOffering(new Offering(name, "", List.of("t"), QosSpec.NONE, false));
                    synchronized (System.out) {
                        System.out.println("committed " + name);
                        System.out.println("committed " + done.incrementAndGet());
                        System.out.flush();
                    }
                }
            }).start();
        }
        Thread.sleep(120_000);
    }
}
