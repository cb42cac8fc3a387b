package org.spindle.storage.core.internal.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

import javax.sql.DataSource;

/**
 * Fills a database with volume rows for the scale figures, in batches, through the core's own column binding (so the
 * rows are exactly what the store writes). A class of the core's private package, on the benchmarks' class path only.
 */
public final class BenchRows {
    private static final int BATCH = 1_000;

    private BenchRows() {
    }

    /** The URL the core makes of an embedded H2 file database at {@code path} (durable commits, as in production). */
    public static String h2FileUrl(java.io.File path) {
        return DataSources.durable("jdbc:h2:file:" + path.getAbsolutePath());
    }

    /** Inserts {@code rows} (new volumes) in batches of {@value #BATCH}, one transaction per batch. */
    public static void insert(DataSource db, List<VolumeRecord> rows) throws SQLException {
        String sql = "INSERT INTO volume (" + String.join(", ", VolumeColumns.NAMES) + ") VALUES ("
                + "?,".repeat(VolumeColumns.NAMES.size() - 1) + "?)";
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement st = c.prepareStatement(sql)) {
                int n = 0;
                for (VolumeRecord r : rows) {
                    VolumeColumns.bind(st, r, null);
                    st.addBatch();
                    if (++n % BATCH == 0) {
                        st.executeBatch();
                        c.commit();
                    }
                }
                st.executeBatch();
                c.commit();
            } finally {
                c.setAutoCommit(true);
            }
        }
    }
}
