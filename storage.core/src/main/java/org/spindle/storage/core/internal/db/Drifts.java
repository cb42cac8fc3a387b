package org.spindle.storage.core.internal.db;

import java.util.ArrayList;
import java.util.List;

import org.spindle.storage.api.qos.QosDrift;
import org.spindle.storage.api.qos.QosSide;

/** A volume's drift in one column: a line per value, {@code side|field|expected|found}. */
final class Drifts {
    private Drifts() {
    }

    static String format(List<QosDrift> drift) {
        if (drift.isEmpty()) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        for (QosDrift d : drift) {
            if (out.length() > 0) {
                out.append('\n');
            }
            out.append(d.side().name()).append('|').append(d.field()).append('|').append(d.expected()).append('|').append(d.found());
        }
        return out.toString();
    }

    static List<QosDrift> parse(String column) {
        if (column == null || column.isEmpty()) {
            return List.of();
        }
        List<QosDrift> out = new ArrayList<>();
        for (String line : column.split("\n")) {
            String[] f = line.split("\\|");
            out.add(new QosDrift(QosSide.valueOf(f[0]), f[1], Long.parseLong(f[2]), Long.parseLong(f[3])));
        }
        return List.copyOf(out);
    }
}
