package org.spindle.storage.core.internal.db;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.spindle.storage.api.usage.UsageRecord;
import org.spindle.storage.core.internal.usage.Counters;
import org.spindle.storage.core.internal.usage.PeriodDelta;
import org.spindle.storage.core.internal.usage.Sample;
import org.spindle.storage.core.internal.usage.UsageAccrual;

/**
 * The usage tables: each live volume's last reading ({@code usage_cursor}) and what each period holds
 * ({@code usage_period}). A reading moves the cursor with a compare-and-set on its time and adds to the periods
 * in the same transaction, so two nodes reading the same volume at once never count an interval twice.
 */
public final class UsageRows {
    private final Jdbc jdbc;

    UsageRows(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Sample> cursor(UUID volume) {
        return jdbc.query("SELECT * FROM usage_cursor WHERE volume_id=?", st -> st.setString(1, volume.toString()), UsageRows::sample)
                .stream().findFirst();
    }

    /**
     * Adds the interval from the volume's last reading to {@code now} to its periods and makes {@code now} its
     * last reading (at the same instant: only the new baseline). Returns false, changing nothing, when another
     * reading moved the cursor first or is newer.
     */
    public boolean record(UUID volume, Sample now, Duration period) {
        try {
            return jdbc.transaction(c -> record(c, volume, now, period, () -> {
                throw new Overtaken();
            }));
        } catch (Overtaken e) {
            return false;
        }
    }

    /** Thrown to roll a reading's transaction back: another reading moved the cursor first. */
    private static final class Overtaken extends RuntimeException {
        Overtaken() {
            super(null, null, false, false);
        }
    }

    /**
     * {@link #record(UUID, Sample, Duration)} as a write in the transaction of a volume's save (the reading before an
     * operation, stored with its first save): under a savepoint, so that a reading another one overtook, or one the
     * database refuses, is left out without taking the save with it. Usage never fails an operation.
     */
    public InSave recording(UUID volume, Sample now, Duration period) {
        return c -> {
            java.sql.Savepoint before = c.setSavepoint();
            try {
                record(c, volume, now, period, () -> c.rollback(before));
            } catch (SQLException e) {
                c.rollback(before);
            }
        };
    }

    /** Puts the transaction back as it was before the reading. */
    @FunctionalInterface
    private interface Undo {
        void run() throws SQLException;
    }

    private boolean record(Connection c, UUID volume, Sample now, Duration period, Undo undo) throws SQLException {
        Optional<Sample> last = jdbc.query(c, "SELECT * FROM usage_cursor WHERE volume_id=?", st -> st.setString(1, volume.toString()),
                UsageRows::sample).stream().findFirst();
        if (last.isEmpty()) {
            try {
                jdbc.update(c, INSERT_CURSOR, st -> {
                            st.setString(1, volume.toString());
                            bindSample(st, 2, now);
                        });
                return true;
            } catch (SQLException e) {
                if (Jdbc.isDuplicate(e)) {
                    undo.run();
                    return false;
                }
                throw e;
            }
        }
        if (now.at().isBefore(last.get().at())) {
            return false;
        }
        int moved = jdbc.update(c, "UPDATE usage_cursor SET sampled_at=?, source=?, read_ops=?, write_ops=?, read_bytes=?, write_bytes=?, "
                + "size_bytes=?, guaranteed_iops=?, max_iops=?, burst_iops=? WHERE volume_id=? AND sampled_at=?", st -> {
                    int i = bindSample(st, 1, now);
                    st.setString(i++, volume.toString());
                    st.setTimestamp(i, Timestamp.from(last.get().at()));
                });
        if (moved != 1) {
            undo.run();
            return false;
        }
        for (PeriodDelta d : UsageAccrual.accrue(last.get(), now, period)) {
            add(c, volume, d);
        }
        return true;
    }

    /** Forgets a destroyed volume's last reading (its periods stay). */
    public void forget(UUID volume) {
        jdbc.write(c -> {
            forget(c, volume);
            return null;
        });
    }

    /** {@link #forget(UUID)} in the transaction of {@code c}. */
    void forget(Connection c, UUID volume) throws SQLException {
        jdbc.update(c, "DELETE FROM usage_cursor WHERE volume_id=?", st -> st.setString(1, volume.toString()));
    }

    /** The first reading of a new volume (it has none yet), written with its insert. */
    public InSave first(UUID volume, Sample now) {
        return c -> jdbc.update(c, INSERT_CURSOR, st -> {
            st.setString(1, volume.toString());
            bindSample(st, 2, now);
        });
    }

    private static final String INSERT_CURSOR = "INSERT INTO usage_cursor (volume_id, sampled_at, source, read_ops, write_ops, "
            + "read_bytes, write_bytes, size_bytes, guaranteed_iops, max_iops, burst_iops) VALUES (?,?,?,?,?,?,?,?,?,?,?)";

    private void add(Connection c, UUID volume, PeriodDelta d) throws SQLException {
        int updated = jdbc.update(c, "UPDATE usage_period SET millis=millis+?, byte_millis=byte_millis+?, "
                + "guaranteed_iops_millis=guaranteed_iops_millis+?, max_iops_millis=max_iops_millis+?, burst_iops_millis=burst_iops_millis+?, "
                + "read_ops=read_ops+?, write_ops=write_ops+?, read_bytes=read_bytes+?, write_bytes=write_bytes+? "
                + "WHERE volume_id=? AND period_start=?", st -> {
                    int i = bindDelta(st, 1, d);
                    st.setString(i++, volume.toString());
                    st.setTimestamp(i, Timestamp.from(d.start()));
                });
        if (updated == 0) {
            jdbc.update(c, "INSERT INTO usage_period (millis, byte_millis, guaranteed_iops_millis, max_iops_millis, burst_iops_millis, "
                    + "read_ops, write_ops, read_bytes, write_bytes, volume_id, period_start, period_end) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", st -> {
                        int i = bindDelta(st, 1, d);
                        st.setString(i++, volume.toString());
                        st.setTimestamp(i++, Timestamp.from(d.start()));
                        st.setTimestamp(i, Timestamp.from(d.end()));
                    });
        }
    }

    /** Every period overlapping {@code [from, to)}, of one volume or one tenant or all, by volume then period. */
    public List<UsageRecord> usage(UUID volume, String tenant, Instant from, Instant to) {
        StringBuilder sql = new StringBuilder("SELECT u.*, v.name, v.tenant, v.pool FROM usage_period u JOIN volume v ON v.id = u.volume_id "
                + "WHERE u.period_start < ? AND u.period_end > ?");
        List<Object> args = new ArrayList<>(List.of(Timestamp.from(to), Timestamp.from(from)));
        if (volume != null) {
            sql.append(" AND u.volume_id=?");
            args.add(volume.toString());
        }
        if (tenant != null) {
            sql.append(" AND v.tenant=?");
            args.add(tenant);
        }
        sql.append(" ORDER BY v.created, u.volume_id, u.period_start");
        return jdbc.query(sql.toString(), st -> {
            for (int i = 0; i < args.size(); i++) {
                st.setObject(i + 1, args.get(i));
            }
        }, UsageRows::record);
    }

    private static UsageRecord record(ResultSet rs) throws SQLException {
        long millis = rs.getLong("millis");
        BigDecimal byteMillis = rs.getBigDecimal("byte_millis");
        return new UsageRecord(UUID.fromString(rs.getString("volume_id")), rs.getString("name"), rs.getString("tenant"),
                rs.getString("pool"), rs.getTimestamp("period_start").toInstant(), rs.getTimestamp("period_end").toInstant(),
                Math.round(millis / 1000.0), average(byteMillis, millis), average(rs.getLong("guaranteed_iops_millis"), millis),
                average(rs.getLong("max_iops_millis"), millis), average(rs.getLong("burst_iops_millis"), millis),
                rs.getLong("read_ops"), rs.getLong("write_ops"), rs.getLong("read_bytes"), rs.getLong("write_bytes"));
    }

    private static long average(long integral, long millis) {
        return millis == 0 ? 0 : Math.round((double) integral / millis);
    }

    private static long average(BigDecimal integral, long millis) {
        return millis == 0 ? 0 : integral.divide(BigDecimal.valueOf(millis), 0, RoundingMode.HALF_UP).longValueExact();
    }

    private static int bindSample(java.sql.PreparedStatement st, int i, Sample s) throws SQLException {
        st.setTimestamp(i++, Timestamp.from(s.at()));
        st.setString(i++, s.source());
        st.setLong(i++, s.counters().readOps());
        st.setLong(i++, s.counters().writeOps());
        st.setLong(i++, s.counters().readBytes());
        st.setLong(i++, s.counters().writeBytes());
        st.setLong(i++, s.sizeBytes());
        st.setLong(i++, s.guaranteedIops());
        st.setLong(i++, s.maxIops());
        st.setLong(i++, s.burstIops());
        return i;
    }

    private static int bindDelta(java.sql.PreparedStatement st, int i, PeriodDelta d) throws SQLException {
        st.setLong(i++, d.millis());
        st.setBigDecimal(i++, new BigDecimal(d.byteMillis()));
        st.setLong(i++, d.guaranteedIopsMillis());
        st.setLong(i++, d.maxIopsMillis());
        st.setLong(i++, d.burstIopsMillis());
        st.setLong(i++, d.io().readOps());
        st.setLong(i++, d.io().writeOps());
        st.setLong(i++, d.io().readBytes());
        st.setLong(i++, d.io().writeBytes());
        return i;
    }

    private static Sample sample(ResultSet rs) throws SQLException {
        return new Sample(rs.getTimestamp("sampled_at").toInstant(), rs.getString("source"), new Counters(rs.getLong("read_ops"),
                rs.getLong("write_ops"), rs.getLong("read_bytes"), rs.getLong("write_bytes")), rs.getLong("size_bytes"),
                rs.getLong("guaranteed_iops"), rs.getLong("max_iops"), rs.getLong("burst_iops"));
    }
}
