package org.spindle.hyper.vmware.internal.vim;

import static org.spindle.hyper.vmware.internal.vim.Xml.children;
import static org.spindle.hyper.vmware.internal.vim.Xml.el;
import static org.spindle.hyper.vmware.internal.vim.Xml.ref;
import static org.spindle.hyper.vmware.internal.vim.Xml.text;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.spindle.hyper.vmware.internal.VSphere.DiskIo;
import org.w3c.dom.Element;

/**
 * The real-time virtualDisk counters of vCenter's PerformanceManager for one VM disk: the counter keys are looked up
 * once by name in {@code perfCounter} (they differ between vCenters), then {@code QueryPerf} asks for one instance
 * ({@code scsi0:1}) at the real-time interval after a start time, in the CSV format (every value present, -1
 * where vCenter has none).
 */
final class PerfQueries {
    /** group.name.rollup of the four counters, in {@link DiskIo}'s order. */
    static final List<String> COUNTERS = List.of("virtualDisk.numberReadAveraged.average",
            "virtualDisk.numberWriteAveraged.average", "virtualDisk.read.average", "virtualDisk.write.average");

    private final VimConnection vim;
    private final Properties props;
    private volatile Map<String, Integer> keys;

    PerfQueries(VimConnection vim, Properties props) {
        this.vim = vim;
        this.props = props;
    }

    /** QueryPerfProviderSummary's refresh rate for the VM: seconds per real-time sample. */
    int realtimeSeconds(MoRef vm) {
        Element summary = vim.callForValue("QueryPerfProviderSummary", vim.content().perfManager(), ref("entity", vm))
                .orElseThrow(() -> new VimFault("InvalidResponse", "QueryPerfProviderSummary returned nothing", null));
        if (!"true".equals(text(summary, "currentSupported"))) {
            throw new VimFault("NotSupported", "vCenter keeps no real-time statistics for " + vm.value(), null);
        }
        return (int) Xml.longText(summary, "refreshRate", 20);
    }

    private Map<String, Integer> keys() {
        Map<String, Integer> k = keys;
        if (k == null) {
            Map<String, Integer> found = new HashMap<>();
            props.read(vim.content().perfManager(), "perfCounter").flatMap(o -> o.get("perfCounter")).ifPresent(list -> {
                for (Element c : children(list)) {
                    String name = text(c, "groupInfo/key") + "." + text(c, "nameInfo/key") + "." + text(c, "rollupType");
                    if (COUNTERS.contains(name)) {
                        found.put(name, (int) Xml.longText(c, "key", -1));
                    }
                }
            });
            for (String name : COUNTERS) {
                if (!found.containsKey(name)) {
                    throw new VimFault("NotFound", "vCenter has no performance counter " + name, null);
                }
            }
            keys = k = Map.copyOf(found);
        }
        return k;
    }

    List<DiskIo> query(MoRef vm, String instance, Instant after, int seconds) {
        Map<String, Integer> k = keys();
        Xml.El spec = el("querySpec").add(ref("entity", vm));
        if (after != null) {
            spec.add("startTime", DateTimeFormatter.ISO_INSTANT.format(after.truncatedTo(ChronoUnit.SECONDS)));
        }
        for (String name : COUNTERS) {
            spec.add(el("metricId").add("counterId", k.get(name)).add("instance", instance));
        }
        spec.add("intervalId", seconds).add("format", "csv");
        Element response = vim.call("QueryPerf", vim.content().perfManager(), spec);
        List<DiskIo> out = new ArrayList<>();
        for (Element metric : children(response, "returnval")) {
            // CSV: "interval,timestamp,interval,timestamp,…" and per counter "v1,v2,…" (every value, -1 where none)
            String[] info = csv(text(metric, "sampleInfoCSV"));
            Map<Integer, String[]> byCounter = new HashMap<>();
            for (Element series : children(metric, "value")) {
                if (instance.equals(text(series, "id/instance"))) {
                    byCounter.put((int) Xml.longText(series, "id/counterId", -1), csv(text(series, "value")));
                }
            }
            try {
                for (int i = 0; i + 1 < info.length; i += 2) {
                    Instant end = OffsetDateTime.parse(info[i + 1]).toInstant();
                    int interval = Integer.parseInt(info[i]);
                    int n = i / 2;
                    out.add(new DiskIo(end, interval, at(byCounter, k.get(COUNTERS.get(0)), n), at(byCounter, k.get(COUNTERS.get(1)), n),
                            at(byCounter, k.get(COUNTERS.get(2)), n), at(byCounter, k.get(COUNTERS.get(3)), n)));
                }
            } catch (NumberFormatException | java.time.format.DateTimeParseException e) {
                throw Xml.wrong(metric, "sampleInfoCSV/value", "holding '" + ReplyLimit.clip(e.getMessage()) + "', not numbers and times");
            }
        }
        out.sort((a, b) -> a.end().compareTo(b.end()));
        return out;
    }

    private static String[] csv(String s) {
        return s.isBlank() ? new String[0] : s.trim().split(",");
    }

    private static long at(Map<Integer, String[]> byCounter, int counter, int i) {
        String[] v = byCounter.get(counter);
        return v == null || i >= v.length || v[i].isBlank() ? -1 : Long.parseLong(v[i].trim());
    }
}
