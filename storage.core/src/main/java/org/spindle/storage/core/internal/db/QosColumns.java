package org.spindle.storage.core.internal.db;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.Limit;
import org.spindle.storage.api.qos.QosSpec;
import org.spindle.storage.api.qos.StorageQos;

/**
 * Maps a storage QoS plus hypervisor limits onto 22 columns with a common prefix
 * ({@code q_} for requested, {@code p_} for planned): {@code min_iops, max_iops, burst_iops}, for each of
 * the six limits {@code <limit>, <limit>_max, <limit>_len}, and {@code weight}.
 */
final class QosColumns {
    private static final String[] LIMITS = {"read_iops", "write_iops", "total_iops", "read_bps", "write_bps", "total_bps"};

    private final String prefix;

    QosColumns(String prefix) {
        this.prefix = prefix;
    }

    List<String> names() {
        List<String> names = new ArrayList<>(List.of(prefix + "min_iops", prefix + "max_iops", prefix + "burst_iops"));
        for (String l : LIMITS) {
            names.add(prefix + l);
            names.add(prefix + l + "_max");
            names.add(prefix + l + "_len");
        }
        names.add(prefix + "weight");
        return names;
    }

    /** Binds the 22 values from {@code index}; returns the next free index. */
    int bind(PreparedStatement st, int index, StorageQos storage, IoLimits limits) throws SQLException {
        st.setLong(index++, storage.minIops());
        st.setLong(index++, storage.maxIops());
        st.setLong(index++, storage.burstIops());
        for (Limit l : List.of(limits.readIops(), limits.writeIops(), limits.totalIops(),
                limits.readBps(), limits.writeBps(), limits.totalBps())) {
            st.setLong(index++, l.rate());
            st.setLong(index++, l.burst());
            st.setLong(index++, l.burstSeconds());
        }
        st.setInt(index++, limits.weight());
        return index;
    }

    StorageQos storage(ResultSet rs) throws SQLException {
        return new StorageQos(rs.getLong(prefix + "min_iops"), rs.getLong(prefix + "max_iops"), rs.getLong(prefix + "burst_iops"));
    }

    IoLimits limits(ResultSet rs) throws SQLException {
        Limit[] l = new Limit[LIMITS.length];
        for (int i = 0; i < LIMITS.length; i++) {
            String c = prefix + LIMITS[i];
            l[i] = new Limit(rs.getLong(c), rs.getLong(c + "_max"), rs.getLong(c + "_len"));
        }
        return new IoLimits(l[0], l[1], l[2], l[3], l[4], l[5], rs.getInt(prefix + "weight"));
    }

    QosSpec spec(ResultSet rs) throws SQLException {
        return new QosSpec(storage(rs), limits(rs));
    }
}
