package org.spindle.storage.core.internal.db;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.spindle.storage.api.Portal;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.driver.HostGroup;
import org.spindle.storage.api.qos.AppliedQos;
import org.spindle.storage.api.qos.EffectiveQos;
import org.spindle.storage.api.qos.QosPlan;
import org.spindle.storage.api.qos.QosSpec;
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

    static VolumeRecord read(ResultSet rs) throws SQLException {
        UUID id = UUID.fromString(rs.getString("id"));
        QosSpec requested = REQUESTED.spec(rs);
        EffectiveQos effective = new EffectiveQos(rs.getLong("e_guaranteed_iops"), rs.getLong("e_max_iops"),
                rs.getLong("e_burst_iops"), rs.getLong("e_max_bps"));
        QosPlan plan = new QosPlan(PLANNED.storage(rs), PLANNED.limits(rs), effective);
        Target target = rs.getString("target_name") == null ? null : new Target(rs.getString("target_protocol"),
                split(rs.getString("target_portals")).stream().map(p -> Portal.parse(p, Portal.ISCSI_PORT)).toList(),
                rs.getString("target_name"), rs.getInt("target_lun"), rs.getString("target_device_id"), null);
        AttachmentRecord attachment = rs.getString("attach_service") == null ? null : new AttachmentRecord(
                rs.getString("attach_service"), rs.getString("attach_vm_id"), rs.getString("attach_vm"), rs.getString("attach_host"),
                rs.getString("attach_device"), rs.getString("attach_structure"), rs.getBoolean("attach_managed"));
        List<String> initiators = split(rs.getString("granted_initiators"));
        HostGroup granted = rs.getString("granted_group") == null || initiators.isEmpty() ? null
                : new HostGroup(rs.getString("granted_group"), initiators);
        Volume v = new Volume(id, rs.getString("name"), rs.getString("tenant"), rs.getLong("size_bytes"), rs.getString("offering"),
                rs.getString("pool"), VolumeState.valueOf(rs.getString("state")), rs.getLong("version"), requested, plan,
                rs.getString("san_id"), target, null, rs.getString("error"), rs.getTimestamp("created").toInstant(),
                rs.getTimestamp("updated").toInstant(), applied(rs), Drifts.parse(rs.getString("drift")));
        String previous = rs.getString("previous_state");
        Operation op = v.state().isTransitional() ? new Operation(rs.getString("op_node"), rs.getLong("op_lease_until"),
                previous == null ? null : VolumeState.valueOf(previous), rs.getLong("op_size")) : null;
        return new VolumeRecord(v, attachment, granted, op);
    }

    private static AppliedQos applied(ResultSet rs) throws SQLException {
        Timestamp at = rs.getTimestamp("a_read_at");
        return new AppliedQos(APPLIED.storage(rs), APPLIED.limits(rs), at == null ? null : at.toInstant());
    }

    static List<String> split(String csv) {
        return csv == null || csv.isEmpty() ? List.of() : List.of(csv.split(","));
    }
}
