package org.spindle.storage.core.internal.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Types;
import java.util.UUID;

import org.spindle.storage.api.PoolCapacity;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;
import org.spindle.storage.api.volume.VolumeState;

/**
 * The writes of a volume's row ({@link JdbcStore} hands them here): the insert, with its pool's counts and the check that
 * it still fits, and each later save, a compare-and-set on the row version that moves the pool's counts by exactly what
 * the row did and makes this run the owner of an operation it begins.
 */
final class VolumeWrites {
    private static final String VOLUME_COLUMNS = String.join(", ", VolumeColumns.NAMES);

    private final Jdbc jdbc;
    private final PoolRows pools;
    private final String owner;
    private final int leaseSeconds;

    VolumeWrites(Jdbc jdbc, PoolRows pools, String owner, int leaseSeconds) {
        this.jdbc = jdbc;
        this.pools = pools;
        this.owner = owner;
        this.leaseSeconds = leaseSeconds;
    }

    private static final String INSERT_VOLUME = "INSERT INTO volume (" + VOLUME_COLUMNS + ") VALUES ("
            + "?,".repeat(VolumeColumns.NAMES.size() - 1) + "?)";

    /** Inserts a new volume; its name must be free among live volumes. */
    void insert(VolumeRecord v) {
        jdbc.transaction(c -> insert(c, v));
    }

    /**
     * Inserts a new volume if it still fits in its pool beside what the SAN reports ({@code san}) and the volumes
     * not on the SAN yet, checked and inserted atomically (several nodes may create in one pool at once);
     * {@code sanJustRead}: {@code san} was just read from the SAN and is stored as the pool's capacity in the same
     * transaction; {@code also} (when not {@code null}) is written there too.
     *
     * @throws StorageException {@link Reason#CAPACITY} when the pool has no room left
     */
    void insert(VolumeRecord v, PoolCapacity san, boolean sanJustRead, InSave also) {
        pools.reserve(v.volume().pool(), v.volume().sizeBytes(), v.volume().plan().storage().minIops(), san, sanJustRead, c -> {
            insert(c, v);
            if (also != null) {
                also.write(c);
            }
            return null;
        });
    }

    private Void insert(Connection c, VolumeRecord v) throws SQLException {
        try {
            jdbc.update(c, INSERT_VOLUME, st -> VolumeColumns.bind(st, v, null));
            pools.count(c, PoolRows.Counted.NONE, PoolRows.Counted.of(v));
            return null;
        } catch (SQLException e) {
            if (Jdbc.isDuplicate(e)) {
                throw new StorageException(Reason.ALREADY_EXISTS, "name", "a volume named " + v.name() + " exists already", null);
            }
            throw e;
        }
    }

    /**
     * Moves {@code current} to {@code next} if nobody changed it since it was read: a compare-and-set on the
     * row version, which is also the fencing token of operations (a node that lost its lease finds the version
     * moved on). {@code next.version()} must be {@code current.version() + 1}. When {@code next} is a
     * transitional state, this run becomes the operation's owner under a fresh lease, and the stable state it
     * started from is kept (or, when {@code next}'s operation names one, that one: an operation begun in the save that
     * ends another). {@code withinPool} for a change a user asked for: when it grows what a volume not on the SAN yet
     * promises its pool, the growth must fit beside the pool's stored SAN capacity and the other volumes not on the SAN
     * yet, checked under the pool row's lock in the transaction that writes the row (recovery's writes are not checked:
     * they only record what happened). {@code also} (when not {@code null}) is written in the same transaction once the
     * row is: both are committed, or neither.
     *
     * @throws StorageException {@link Reason#BUSY} if the row changed in between; {@link Reason#CAPACITY} when the pool
     *                          has no room left
     */
    VolumeRecord update(VolumeRecord current, VolumeRecord next, boolean withinPool, InSave also) {
        if (next.version() != current.version() + 1) {
            throw new IllegalArgumentException("next version must be " + (current.version() + 1));
        }
        boolean inFlight = next.state().isTransitional();
        String previous = !inFlight ? null : next.op() != null && next.op().previous() != null ? next.op().previous().name()
                : startedFrom(current);
        PoolRows.Counted before = PoolRows.Counted.of(current);
        PoolRows.Counted after = PoolRows.Counted.of(next);
        boolean grows = withinPool && java.util.Objects.equals(before.pool(), after.pool())
                && (after.pendingBytes() > before.pendingBytes() || after.pendingIops() > before.pendingIops());
        Jdbc.Work<Integer> write = c -> {
            if (grows) {
                pools.checkGrowth(c, after.pool(), after.pendingBytes() - before.pendingBytes(),
                        after.pendingIops() - before.pendingIops());
            }
            // the pool's counts first (the lock order of a create: pool row, then volume row; of a release: its stripe row,
            // then the volume row), then the row; the
            // compare-and-set also checks what the counts were taken from, so they move by exactly what the row did
            pools.count(c, before, after, current.id().hashCode());
            try {
                int n = jdbc.update(c, UPDATE_VOLUME, st -> {
                    int i = VolumeColumns.bind(st, next, previous);
                    if (inFlight) {
                        st.setString(i++, owner);
                        st.setLong(i++, leaseSeconds);
                        st.setLong(i++, next.pendingSize());
                    } else {
                        st.setNull(i++, Types.VARCHAR);
                        st.setNull(i++, Types.BIGINT);
                        st.setNull(i++, Types.BIGINT);
                    }
                    st.setString(i++, current.id().toString());
                    st.setLong(i++, current.version());
                    st.setString(i++, current.volume().pool());
                    st.setString(i++, current.state().name());
                    st.setLong(i++, current.volume().sizeBytes());
                    st.setLong(i, current.volume().plan().storage().minIops());
                });
                if (n == 1 && next.state() == VolumeState.DESTROYED) {
                    new UsageRows(jdbc).forget(c, next.id());    // its last reading goes with it (its periods stay)
                }
                if (n == 1 && also != null) {
                    also.write(c);
                }
                return n;
            } catch (SQLException e) {
                if (Jdbc.isDuplicate(e)) {
                    throw new StorageException(Reason.ALREADY_EXISTS, "name", "a volume named " + next.name() + " exists already", null);
                }
                throw e;
            }
        };
        int updated = before.sameAs(after) && also == null && next.state() != VolumeState.DESTROYED ? jdbc.write(write) : jdbc.transaction(c -> {
            int n = write.apply(c);
            if (n != 1) {
                throw busy(current);    // the counts (and what goes with the save) move only with the row
            }
            return n;
        });
        if (updated != 1) {
            throw busy(current);
        }
        return inFlight ? new VolumeRecord(next.volume(), next.attachment(), next.granted(), new Operation(owner, 0,
                VolumeState.valueOf(previous), next.pendingSize())) : next;
    }

    private static StorageException busy(VolumeRecord current) {
        return new StorageException(Reason.BUSY, "volume", "volume " + current.name() + " was changed by another operation "
                + "(expected version " + current.version() + "); nothing was done, try again", null);
    }

    private static final String UPDATE_VOLUME = "UPDATE volume SET "
            + String.join(", ", VolumeColumns.NAMES.stream().map(col -> col + "=?").toList())
            + ", op_node=?, op_lease_until=" + JdbcStore.DB_NOW + "+?, op_size=? WHERE id=? AND version=? AND pool=? AND state=? AND size_bytes=? AND p_min_iops=?";

    private String startedFrom(VolumeRecord current) {
        if (!current.state().isTransitional()) {
            return current.state().name();
        }
        if (current.op() != null && current.op().previous() != null) {
            return current.op().previous().name();
        }
        return previousState(current.id());
    }

    /** The stable state the volume's in-flight operation started from, or {@code null}. */
    String previousState(UUID id) {
        return jdbc.query("SELECT previous_state FROM volume WHERE id=?", st -> st.setString(1, id.toString()),
                rs -> rs.getString(1)).stream().findFirst().orElse(null);
    }
}
