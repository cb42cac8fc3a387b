package org.spindle.storage.core.internal.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.spindle.storage.api.PoolCapacity;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;
import org.spindle.storage.api.volume.VolumeState;

/**
 * The pool table, and the capacity a pool has promised: volumes not on the SAN yet (ALLOCATED, CREATING)
 * count against it as well as what the SAN reports provisioned. The pool row keeps that promise and its live
 * volumes' number ({@link #count}, in the transaction of each volume write), so that neither a create nor a
 * listing reads every volume of the pool. Several nodes write pools at once: rows are written race-free, and a
 * reservation is checked and taken under the pool row's lock.
 */
final class PoolRows {
    private final Jdbc jdbc;

    PoolRows(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Inserts the pool, or updates its description (zone, tags, protocol, driver type) if it exists. When two
     * nodes insert the same pool at once, the one whose insert loses updates instead.
     */
    void upsert(PoolRecord pool) {
        jdbc.write(c -> {
            for (int attempt = 0; ; attempt++) {
                if (updateDescription(c, pool) == 1) {
                    return null;
                }
                try {
                    insert(c, pool);
                    return null;
                } catch (SQLException e) {
                    if (!Jdbc.isDuplicate(e) || attempt > 0) {
                        throw e;
                    }
                    // another node inserted it between our update and insert: update it now
                }
            }
        });
    }

    private int updateDescription(Connection c, PoolRecord pool) throws SQLException {
        return jdbc.update(c, "UPDATE pool SET zone=?, tags=?, protocol=?, managed=?, driver_type=?, updated=? WHERE name=?", st -> {
            st.setString(1, pool.zone());
            st.setString(2, String.join(",", pool.tags()));
            st.setString(3, pool.protocol());
            st.setBoolean(4, pool.managed());
            st.setString(5, pool.driverType());
            st.setTimestamp(6, Timestamp.from(Instant.now()));
            st.setString(7, pool.name());
        });
    }

    private void insert(Connection c, PoolRecord pool) throws SQLException {
        Instant now = Instant.now();
        jdbc.update(c, "INSERT INTO pool (name, zone, tags, protocol, managed, driver_type, capacity_bytes, provisioned_bytes, "
                + "capacity_iops, provisioned_iops, created, updated) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", st -> {
            st.setString(1, pool.name());
            st.setString(2, pool.zone());
            st.setString(3, String.join(",", pool.tags()));
            st.setString(4, pool.protocol());
            st.setBoolean(5, pool.managed());
            st.setString(6, pool.driverType());
            st.setLong(7, pool.capacity().totalBytes());
            st.setLong(8, pool.capacity().provisionedBytes());
            st.setLong(9, pool.capacity().totalIops());
            st.setLong(10, pool.capacity().provisionedIops());
            st.setTimestamp(11, Timestamp.from(now));
            st.setTimestamp(12, Timestamp.from(now));
        });
        for (int stripe = 0; stripe < STRIPES; stripe++) {
            int n = stripe;
            try {
                jdbc.update(c, "INSERT INTO pool_release (pool, stripe) VALUES (?,?)", st -> {
                    st.setString(1, pool.name());
                    st.setInt(2, n);
                });
            } catch (SQLException e) {
                if (!Jdbc.isDuplicate(e)) {
                    throw e;
                }
            }
        }
    }

    /** Stripe rows per pool that releases are spread over ({@code pool_release}). */
    static final int STRIPES = 8;

    void updateCapacity(String pool, PoolCapacity capacity) {
        jdbc.write(c -> {
            updateCapacity(c, pool, capacity);
            return null;
        });
    }

    private void updateCapacity(Connection c, String pool, PoolCapacity capacity) throws SQLException {
        jdbc.update(c, "UPDATE pool SET capacity_bytes=?, provisioned_bytes=?, capacity_iops=?, provisioned_iops=?, updated=? WHERE name=?", st -> {
            st.setLong(1, capacity.totalBytes());
            st.setLong(2, capacity.provisionedBytes());
            st.setLong(3, capacity.totalIops());
            st.setLong(4, capacity.provisionedIops());
            st.setTimestamp(5, Timestamp.from(Instant.now()));
            st.setString(6, pool);
        });
    }

    List<PoolRecord> all() {
        return jdbc.run(c -> {
            List<PoolRecord> rows = jdbc.query(c, "SELECT * FROM pool ORDER BY name", st -> { }, PoolRows::read);
            java.util.Map<String, long[]> released = new java.util.HashMap<>();
            jdbc.query(c, "SELECT pool, SUM(pending_bytes), SUM(pending_iops), SUM(live_volumes) FROM pool_release GROUP BY pool", st -> { },
                    rs -> released.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4)}));
            return rows.stream().map(p -> withReleased(p, released.get(p.name()))).toList();
        });
    }

    Optional<PoolRecord> byName(String name) {
        return jdbc.run(c -> one(c, name, false));
    }

    /** Pool {@code name} with its releases, its row locked when {@code lock}. */
    private Optional<PoolRecord> one(Connection c, String name, boolean lock) throws SQLException {
        Optional<PoolRecord> row = jdbc.query(c, "SELECT * FROM pool WHERE name=?" + (lock ? " FOR UPDATE" : ""), st -> st.setString(1, name),
                PoolRows::read).stream().findFirst();
        if (row.isEmpty()) {
            return row;
        }
        long[] released = jdbc.query(c, "SELECT SUM(pending_bytes), SUM(pending_iops), SUM(live_volumes) FROM pool_release WHERE pool=?",
                st -> st.setString(1, name), rs -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)}).stream().findFirst().orElse(null);
        return Optional.of(withReleased(row.get(), released));
    }

    private static PoolRecord withReleased(PoolRecord p, long[] released) {
        if (released == null) {
            return p;
        }
        return new PoolRecord(p.name(), p.zone(), p.tags(), p.protocol(), p.managed(), p.driverType(), p.capacity(),
                new PoolCapacity(0, p.pending().provisionedBytes() + released[0], 0, p.pending().provisionedIops() + released[1]),
                p.liveVolumes() + released[2]);
    }

    long liveVolumes(String pool) {
        return byName(pool).map(PoolRecord::liveVolumes).orElse(0L);
    }

    /** Bytes and guaranteed IOPS of the pool's volumes that are not on the SAN yet. */
    PoolCapacity pending(String pool) {
        return byName(pool).map(PoolRecord::pending).orElse(PoolCapacity.UNKNOWN);
    }

    /**
     * Checks, under the pool row's lock, that the volume fits beside what the SAN reports ({@code san}) and the
     * volumes not on the SAN yet, and inserts it with {@code insert} in the same transaction (which must
     * {@link #count} it).
     *
     * @throws StorageException {@link Reason#CAPACITY} when it no longer fits
     */
    void reserve(String pool, long sizeBytes, long minIops, PoolCapacity san, Jdbc.Work<Void> insert) {
        reserve(pool, sizeBytes, minIops, san, false, insert);
    }

    /** {@link #reserve}; {@code storeSan}: {@code san} was just read from the SAN and is stored as the pool's capacity with the insert. */
    void reserve(String pool, long sizeBytes, long minIops, PoolCapacity san, boolean storeSan, Jdbc.Work<Void> insert) {
        jdbc.transaction(c -> {
            PoolCapacity pending = one(c, pool, true).map(PoolRecord::pending).orElse(PoolCapacity.UNKNOWN);
            long bytes = san.provisionedBytes() + pending.provisionedBytes() + sizeBytes;
            long iops = san.provisionedIops() + pending.provisionedIops() + minIops;
            if (san.totalBytes() > 0 && bytes > san.totalBytes() || san.totalIops() > 0 && minIops > 0 && iops > san.totalIops()) {
                throw new StorageException(Reason.CAPACITY, "size", "pool " + pool + " has no room left for " + sizeBytes + " bytes"
                        + (minIops > 0 ? " and " + minIops + " guaranteed IOPS" : "") + ": " + san.provisionedBytes() + " bytes on the SAN and "
                        + pending.provisionedBytes() + " promised to volumes not created yet, of " + san.totalBytes(), null);
            }
            if (storeSan) {
                updateCapacity(c, pool, san);
            }
            return insert.apply(c);
        });
    }

    /**
     * Checks, under the pool row's lock and in the transaction {@code c} that then writes the row, that a volume not on
     * the SAN yet can grow by {@code bytes} and {@code iops} beside the pool's stored SAN capacity and the other volumes
     * not on the SAN yet: the promise of a resize or QoS change made before the SAN volume exists.
     *
     * @throws StorageException {@link Reason#CAPACITY} when it no longer fits
     */
    void checkGrowth(Connection c, String pool, long bytes, long iops) throws SQLException {
        PoolRecord row = one(c, pool, true).orElse(null);
        if (row == null) {
            return;
        }
        PoolCapacity san = row.capacity();
        PoolCapacity pending = row.pending();
        if (bytes > 0 && san.totalBytes() > 0 && san.provisionedBytes() + pending.provisionedBytes() + bytes > san.totalBytes()) {
            throw new StorageException(Reason.CAPACITY, "size", "pool " + pool + " has no room left for " + bytes + " more bytes: "
                    + san.provisionedBytes() + " bytes on the SAN and " + pending.provisionedBytes()
                    + " promised to volumes not created yet, of " + san.totalBytes(), null);
        }
        if (iops > 0 && san.totalIops() > 0 && san.provisionedIops() + pending.provisionedIops() + iops > san.totalIops()) {
            throw new StorageException(Reason.CAPACITY, "minIops", "pool " + pool + " has no room left for " + iops
                    + " more guaranteed IOPS: " + san.provisionedIops() + " on the SAN and " + pending.provisionedIops()
                    + " promised to volumes not created yet, of " + san.totalIops(), null);
        }
    }

    /**
     * What a volume row adds to its pool's counts: its bytes and guaranteed IOPS while it is not on the SAN yet
     * (ALLOCATED, CREATING), and one live volume until it is destroyed.
     */
    record Counted(String pool, long pendingBytes, long pendingIops, long live) {
        static final Counted NONE = new Counted(null, 0, 0, 0);

        static Counted of(VolumeRecord r) {
            VolumeState s = r.state();
            boolean pending = s == VolumeState.ALLOCATED || s == VolumeState.CREATING;
            return new Counted(r.volume().pool(), pending ? r.volume().sizeBytes() : 0, pending ? r.volume().plan().storage().minIops() : 0,
                    s == VolumeState.DESTROYED ? 0 : 1);
        }

        boolean sameAs(Counted o) {
            return java.util.Objects.equals(pool, o.pool) && pendingBytes == o.pendingBytes && pendingIops == o.pendingIops && live == o.live;
        }
    }

    /**
     * Moves the pool counts from what the row counted ({@code before}, {@link Counted#NONE} for a new row) to what it
     * counts now, on the connection of the transaction that wrote the row. Each is an increment under the pool row's
     * write lock, so nodes writing at once never lose one.
     */
    void count(Connection c, Counted before, Counted after) throws SQLException {
        count(c, before, after, 0);
    }

    /**
     * {@link #count(Connection, Counted, Counted)} for volume row {@code volume}: a change that only lowers the counts (a
     * release) goes to the volume's stripe row, without the pool row's lock; one that raises any goes to the pool row.
     */
    void count(Connection c, Counted before, Counted after, int volume) throws SQLException {
        if (before.sameAs(after)) {
            return;
        }
        if (before.pool() != null && !before.pool().equals(after.pool())) {
            add(c, before.pool(), -before.pendingBytes(), -before.pendingIops(), -before.live(), volume);
            before = Counted.NONE;
        }
        add(c, after.pool(), after.pendingBytes() - before.pendingBytes(), after.pendingIops() - before.pendingIops(),
                after.live() - before.live(), volume);
    }

    private void add(Connection c, String pool, long bytes, long iops, long live, int volume) throws SQLException {
        if (bytes == 0 && iops == 0 && live == 0) {
            return;
        }
        if (bytes <= 0 && iops <= 0 && live <= 0) {
            int stripe = Math.floorMod(volume, STRIPES);
            int released = jdbc.update(c, "UPDATE pool_release SET pending_bytes=pending_bytes+?, pending_iops=pending_iops+?, "
                    + "live_volumes=live_volumes+? WHERE pool=? AND stripe=?", st -> {
                        st.setLong(1, bytes);
                        st.setLong(2, iops);
                        st.setLong(3, live);
                        st.setString(4, pool);
                        st.setInt(5, stripe);
                    });
            if (released == 1) {
                return;
            }
            // no stripe rows (a pool row written by other means): on the pool row, as a raise is
        }
        jdbc.update(c, "UPDATE pool SET pending_bytes=pending_bytes+?, pending_iops=pending_iops+?, live_volumes=live_volumes+? WHERE name=?",
                st -> {
                    st.setLong(1, bytes);
                    st.setLong(2, iops);
                    st.setLong(3, live);
                    st.setString(4, pool);
                });
    }

    private static PoolRecord read(ResultSet rs) throws SQLException {
        return new PoolRecord(rs.getString("name"), rs.getString("zone"), VolumeColumns.split(rs.getString("tags")), rs.getString("protocol"),
                rs.getBoolean("managed"), rs.getString("driver_type"), new PoolCapacity(rs.getLong("capacity_bytes"),
                rs.getLong("provisioned_bytes"), rs.getLong("capacity_iops"), rs.getLong("provisioned_iops")),
                new PoolCapacity(0, rs.getLong("pending_bytes"), 0, rs.getLong("pending_iops")), rs.getLong("live_volumes"));
    }
}
