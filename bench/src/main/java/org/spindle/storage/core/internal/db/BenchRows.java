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
    private static final String PENDING = "FROM volume v WHERE v.pool = pool.name AND v.state IN ('ALLOCATED', 'CREATING')";
    private static final String RECOUNT = "UPDATE pool SET pending_bytes = (SELECT COALESCE(SUM(v.size_bytes), 0) " + PENDING + "), "
            + "pending_iops = (SELECT COALESCE(SUM(v.p_min_iops), 0) " + PENDING + "), "
            + "live_volumes = (SELECT COUNT(*) FROM volume v WHERE v.pool = pool.name AND v.live_name IS NOT NULL)";

    private static final String ZERO_STRIPES = "UPDATE pool_release SET pending_bytes = 0, pending_iops = 0, live_volumes = 0";

    private BenchRows() {
    }

    /** The URL the core makes of an embedded H2 file database at {@code path} (durable commits, as in production). */
    public static String h2FileUrl(java.io.File path) {
        return DataSources.durable("jdbc:h2:file:" + path.getAbsolutePath());
    }

    /**
     * Inserts {@code rows} (new volumes) in batches of {@value #BATCH}, one transaction per batch, then recounts what each
     * pool row keeps of its volumes (promised bytes and IOPS, live volumes).
     */
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
            }
            // the rows went in behind the store: set the counts it keeps on each pool row as a recount (as migration V8 does);
            // a pool's counts are its row plus its release stripes (V10), which the recount makes zero
            try (PreparedStatement st = c.prepareStatement(RECOUNT); PreparedStatement stripes = c.prepareStatement(ZERO_STRIPES)) {
                st.executeUpdate();
                stripes.executeUpdate();
                c.commit();
            } finally {
                c.setAutoCommit(true);
            }
        }
    }
}
