package org.spindle.storage.core.internal.db;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.spindle.storage.api.Portal;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.driver.HostGroup;
import org.spindle.storage.api.qos.AppliedQos;
import org.spindle.storage.api.qos.EffectiveQos;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.QosPlan;
import org.spindle.storage.api.qos.QosSpec;
import org.spindle.storage.api.qos.StorageQos;
import org.spindle.storage.api.volume.Volume;
import org.spindle.storage.api.volume.VolumeState;

/**
 * The columns of a volume row and their mapping. Portals are stored as {@link Portal#toString()} joined by
 * {@code ,} and read back with {@link Portal#parse}; the granted host group as its name and its initiators
 * joined by {@code ,}.
 */
final class VolumeColumns {
    private static final QosColumns REQUESTED = new QosColumns("q_");
    private static final QosColumns PLANNED = new QosColumns("p_");
    private static final QosColumns APPLIED = new QosColumns("a_");
    /** Every column, in the order {@link #bind} binds them. */
    static final List<String> NAMES;
    /** What a query of volume rows selects: {@link #NAMES}, then the operation's columns; {@link #read} reads it. */
    static final String SELECT;

    static {
        List<String> c = new ArrayList<>(List.of("id", "name", "live_name", "tenant", "size_bytes", "offering", "pool",
                "state", "previous_state", "version"));
        c.addAll(REQUESTED.names());
        c.addAll(PLANNED.names());
        c.addAll(List.of("e_guaranteed_iops", "e_max_iops", "e_burst_iops", "e_max_bps", "san_id", "target_protocol",
                "target_portals", "target_name", "target_lun", "target_device_id", "attach_service", "attach_vm_id",
                "attach_vm", "attach_host", "attach_device", "attach_structure", "attach_managed", "granted_group",
                "granted_initiators", "error", "created", "updated"));
        c.addAll(APPLIED.names());
        c.addAll(List.of("a_read_at", "drift"));
        NAMES = List.copyOf(c);
        SELECT = String.join(", ", NAMES) + ", op_node, op_lease_until, op_size";
    }

    private VolumeColumns() {
    }

    /** Binds every column from index 1, {@code previousState} as {@code previous_state}; returns the next free index. */
    static int bind(PreparedStatement st, VolumeRecord r, String previousState) throws SQLException {
        Volume v = r.volume();
        int i = 1;
        st.setString(i++, v.id().toString());
        st.setString(i++, v.name());
        st.setString(i++, v.state() == VolumeState.DESTROYED ? null : v.name());
        st.setString(i++, v.tenant());
        st.setLong(i++, v.sizeBytes());
        st.setString(i++, v.offering());
        st.setString(i++, v.pool());
        st.setString(i++, v.state().name());
        st.setString(i++, previousState);
        st.setLong(i++, v.version());
        i = REQUESTED.bind(st, i, v.requested().storage(), v.requested().limits());
        i = PLANNED.bind(st, i, v.plan().storage(), v.plan().hypervisor());
        EffectiveQos e = v.plan().effective();
        st.setLong(i++, e.guaranteedIops());
        st.setLong(i++, e.maxIops());
        st.setLong(i++, e.burstIops());
        st.setLong(i++, e.maxBytesPerSec());
        st.setString(i++, v.sanId());
        Target t = v.target();
        st.setString(i++, t == null ? null : t.protocol());
        st.setString(i++, t == null ? null : String.join(",", t.portals().stream().map(Portal::toString).toList()));
        st.setString(i++, t == null ? null : t.name());
        if (t == null) {
            st.setNull(i++, java.sql.Types.INTEGER);
        } else {
            st.setInt(i++, t.lun());
        }
        st.setString(i++, t == null ? null : t.deviceId());
        AttachmentRecord a = r.attachment();
        st.setString(i++, a == null ? null : a.service());
        st.setString(i++, a == null ? null : a.vmId());
        st.setString(i++, a == null ? null : a.vm());
        st.setString(i++, a == null ? null : a.host());
        st.setString(i++, a == null ? null : a.device());
        st.setString(i++, a == null ? null : a.structure());
        if (a == null) {
            st.setNull(i++, java.sql.Types.BOOLEAN);
        } else {
            st.setBoolean(i++, a.managed());
        }
        HostGroup g = r.granted();
        st.setString(i++, g == null ? null : g.name());
        st.setString(i++, g == null ? null : String.join(",", g.initiators()));
        st.setString(i++, v.error());
        st.setTimestamp(i++, Timestamp.from(v.created()));
        st.setTimestamp(i++, Timestamp.from(v.updated()));
        i = APPLIED.bind(st, i, v.applied().storage(), v.applied().hypervisor());
        st.setTimestamp(i++, v.applied().readAt() == null ? null : Timestamp.from(v.applied().readAt()));
        st.setString(i++, Drifts.format(v.drift()));
        return i;
    }

    /**
     * Reads a row selected with {@link #SELECT}, column by column in that order (the order {@link #bind} binds them):
     * by position, as the drivers read fastest (a label costs H2 an upper-cased copy and a hash look-up, ~100 of them
     * a row).
     */
    static VolumeRecord read(ResultSet rs) throws SQLException {
        int i = 1;
        UUID id = UUID.fromString(rs.getString(i++));
        String name = rs.getString(i++);
        i++; // live_name: the name while not destroyed
        String tenant = rs.getString(i++);
        long size = rs.getLong(i++);
        String offering = rs.getString(i++);
        String pool = rs.getString(i++);
        VolumeState state = VolumeState.valueOf(rs.getString(i++));
        String previous = rs.getString(i++);
        long version = rs.getLong(i++);
        QosSpec requested = new QosSpec(REQUESTED.storage(rs, i), REQUESTED.limits(rs, i));
        i += QosColumns.COUNT;
        StorageQos plannedStorage = PLANNED.storage(rs, i);
        IoLimits plannedLimits = PLANNED.limits(rs, i);
        i += QosColumns.COUNT;
        EffectiveQos effective = new EffectiveQos(rs.getLong(i++), rs.getLong(i++), rs.getLong(i++), rs.getLong(i++));
        QosPlan plan = new QosPlan(plannedStorage, plannedLimits, effective);
        String sanId = rs.getString(i++);
        String protocol = rs.getString(i++);
        String portals = rs.getString(i++);
        String targetName = rs.getString(i++);
        int lun = rs.getInt(i++);
        String deviceId = rs.getString(i++);
        Target target = targetName == null ? null : new Target(protocol,
                split(portals).stream().map(p -> Portal.parse(p, Portal.ISCSI_PORT)).toList(), targetName, lun, deviceId, null);
        String service = rs.getString(i++);
        String vmId = rs.getString(i++);
        String vm = rs.getString(i++);
        String host = rs.getString(i++);
        String device = rs.getString(i++);
        String structure = rs.getString(i++);
        boolean managed = rs.getBoolean(i++);
        AttachmentRecord attachment = service == null ? null : new AttachmentRecord(service, vmId, vm, host, device, structure, managed);
        String group = rs.getString(i++);
        List<String> initiators = split(rs.getString(i++));
        HostGroup granted = group == null || initiators.isEmpty() ? null : new HostGroup(group, initiators);
        String error = rs.getString(i++);
        Instant created = rs.getTimestamp(i++).toInstant();
        Instant updated = rs.getTimestamp(i++).toInstant();
        StorageQos appliedStorage = APPLIED.storage(rs, i);
        IoLimits appliedLimits = APPLIED.limits(rs, i);
        i += QosColumns.COUNT;
        Timestamp readAt = rs.getTimestamp(i++);
        AppliedQos applied = new AppliedQos(appliedStorage, appliedLimits, readAt == null ? null : readAt.toInstant());
        String drift = rs.getString(i++);
        Volume v = new Volume(id, name, tenant, size, offering, pool, state, version, requested, plan, sanId, target, null, error,
                created, updated, applied, Drifts.parse(drift));
        Operation op = state.isTransitional() ? new Operation(rs.getString(i), rs.getLong(i + 1),
                previous == null ? null : VolumeState.valueOf(previous), rs.getLong(i + 2)) : null;
        return new VolumeRecord(v, attachment, granted, op);
    }

    static List<String> split(String csv) {
        return csv == null || csv.isEmpty() ? List.of() : List.of(csv.split(","));
    }
}
