package org.spindle.storage.shell.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.karaf.shell.support.table.ShellTable;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.Limit;
import org.spindle.storage.api.qos.QosDrift;
import org.spindle.storage.api.qos.QosSide;
import org.spindle.storage.api.qos.StorageQos;
import org.spindle.storage.api.volume.Volume;

/**
 * A volume's QoS side by side, one row per value named as the options and {@link QosDrift#field()} name it
 * ({@code min-iops}, {@code read-iops-max}, {@code total-bps-max-length}, {@code weight}): what was requested,
 * what the plan holds, what the side reported it applies at the last read-back. Storage rows are always shown, a
 * hypervisor row when any of the three has it.
 */
public final class QosView {
    private static final String[] LIMITS = {"read-iops", "write-iops", "total-iops", "read-bps", "write-bps", "total-bps"};

    private QosView() {
    }

    public static ShellTable table(Volume v) {
        ShellTable table = Tables.of("none", "SIDE", "FIELD", "REQUESTED", "PLANNED", "APPLIED");
        Map<String, Long> requested = storage(v.requested().storage());
        Map<String, Long> planned = storage(v.plan().storage());
        Map<String, Long> applied = storage(v.applied().storage());
        for (String field : requested.keySet()) {
            row(table, QosSide.STORAGE, field, requested, planned, applied, true);
        }
        requested = hypervisor(v.requested().limits());
        planned = hypervisor(v.plan().hypervisor());
        applied = hypervisor(v.applied().hypervisor());
        for (String field : requested.keySet()) {
            row(table, QosSide.HYPERVISOR, field, requested, planned, applied, false);
        }
        return table;
    }

    /** {@code storage max-iops: expected 1000, found 2000}; sizes per second for {@code *-bps}, {@code none} for 0. */
    public static String drift(QosDrift d) {
        return d.side().token() + " " + d.field() + ": expected " + value(d.field(), d.expected(), "none") + ", found "
                + value(d.field(), d.found(), "none");
    }

    /** The values of the storage side by field. */
    public static Map<String, Long> storage(StorageQos q) {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("min-iops", q.minIops());
        m.put("max-iops", q.maxIops());
        m.put("burst-iops", q.burstIops());
        return m;
    }

    /** The values of the hypervisor side by field. */
    public static Map<String, Long> hypervisor(IoLimits l) {
        Map<String, Long> m = new LinkedHashMap<>();
        Limit[] limits = {l.readIops(), l.writeIops(), l.totalIops(), l.readBps(), l.writeBps(), l.totalBps()};
        for (int i = 0; i < LIMITS.length; i++) {
            m.put(LIMITS[i], limits[i].rate());
            m.put(LIMITS[i] + "-max", limits[i].burst());
            m.put(LIMITS[i] + "-max-length", limits[i].burstSeconds());
        }
        m.put("weight", (long) l.weight());
        return m;
    }

    /** A value as the field counts it: IOPS, {@code 100 MiB/s}, {@code 30 s}; {@code absent} for 0. */
    public static String value(String field, long value, String absent) {
        if (value == 0) {
            return absent;
        }
        if (field.endsWith("-max-length")) {
            return value + " s";
        }
        return field.contains("-bps") ? Sizes.format(value) + "/s" : Long.toString(value);
    }

    private static void row(ShellTable table, QosSide side, String field, Map<String, Long> requested,
                            Map<String, Long> planned, Map<String, Long> applied, boolean always) {
        List<Long> values = new ArrayList<>(List.of(requested.get(field), planned.get(field), applied.get(field)));
        if (!always && values.stream().allMatch(x -> x == 0)) {
            return;
        }
        table.addRow().addContent(side.token(), field, value(field, values.get(0), Format.ABSENT),
                value(field, values.get(1), Format.ABSENT), value(field, values.get(2), Format.ABSENT));
    }
}
