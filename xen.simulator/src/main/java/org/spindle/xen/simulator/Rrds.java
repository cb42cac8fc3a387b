package org.spindle.xen.simulator;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The VMs' RRDs as xcp-rrdd keeps them for VBDs, fed only by I/O the simulator really served ({@link GuestIo}): per VM
 * and device, the data sources {@code vbd_<dev>_read} and {@code _write} (bytes/s, DERIVE in rrdd) and
 * {@code vbd_<dev>_iops_read} and {@code _iops_write} (requests/s), in 5-second steps. {@code /rrd_updates} answers
 * with rrdtool's {@code xport} XML as xapi writes it (rrd_updates.ml): newest row first, the row at {@code t} holding
 * the average over the step that ends at {@code t}, legend entries {@code AVERAGE:vm:<uuid>:<name>}, values printed
 * with {@code %0.5g} (five significant digits), {@code NaN} where the VM was not running (no sample), {@code 0.0}
 * for zero.
 *
 * <p>Two archives, as xapi's first two: 5-second rows for 10 minutes and 1-minute rows for 2 hours (each a sum of
 * twelve 5-second steps, consolidated as rrdd does with xff 0.5: unknown when more than half its steps are, else the
 * average of the known ones, so a partly unknown row is extrapolated). A request gets the 5-second archive when {@code start} lies within its reach and
 * {@code interval} is at most 5, else the 1-minute one. Only completed steps are shown.
 */
final class Rrds {
    static final long STEP = 5;
    static final long COARSE = 60;
    static final int ROWS = 120;
    private static final String[] NAMES = {"read", "write", "iops_read", "iops_write"};

    private final Clock clock;
    /** VM uuid → device → end of the 5 s step → {read bytes, write bytes, read ops, write ops}. */
    private final Map<String, Map<String, TreeMap<Long, long[]>>> io = new HashMap<>();
    /** VM uuid → its running intervals {from, to} in epoch seconds ({@code to} = MAX while it runs). */
    private final Map<String, List<long[]>> running = new HashMap<>();

    Rrds(Clock clock) {
        this.clock = clock;
    }

    long now() {
        return clock.instant().getEpochSecond();
    }

    /** The VM starts or stops running now. */
    void running(String vm, boolean on) {
        List<long[]> spans = running.computeIfAbsent(vm, k -> new ArrayList<>());
        long t = now();
        if (on && (spans.isEmpty() || spans.get(spans.size() - 1)[1] != Long.MAX_VALUE)) {
            spans.add(new long[] {t, Long.MAX_VALUE});
        } else if (!on && !spans.isEmpty() && spans.get(spans.size() - 1)[1] == Long.MAX_VALUE) {
            spans.get(spans.size() - 1)[1] = t;
        }
    }

    /** One request the VM's device completed now: {@code bytes} read or written. */
    void count(String vm, String device, boolean write, long bytes) {
        long end = (Math.floorDiv(clock.millis(), STEP * 1000) + 1) * STEP;
        long[] b = io.computeIfAbsent(vm, k -> new HashMap<>()).computeIfAbsent(device, k -> new TreeMap<>())
                .computeIfAbsent(end, k -> new long[4]);
        b[write ? 1 : 0] += bytes;
        b[write ? 3 : 2] += 1;
    }

    private boolean ran(String vm, long at) {
        for (long[] s : running.getOrDefault(vm, List.of())) {
            if (at >= s[0] && at < s[1]) {
                return true;
            }
        }
        return false;
    }

    /**
     * The {@code xport} of the VMs in {@code devices} (VM uuid → its devices) from {@code start} (epoch seconds),
     * as the host they reside on serves it.
     */
    String updates(Map<String, List<String>> devices, long start, long interval) {
        long now = now();
        long fineReach = Math.floorDiv(now, STEP) * STEP - (ROWS - 1) * STEP;
        long step = interval <= STEP && start >= fineReach ? STEP : COARSE;
        long last = Math.floorDiv(now, step) * step;
        List<String> legend = new ArrayList<>();
        List<double[]> columns = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            long t = last - i * step;
            if (t < start) {
                break;
            }
            times.add(t);
        }
        for (Map.Entry<String, List<String>> vm : devices.entrySet()) {
            for (String dev : vm.getValue()) {
                NavigableMap<Long, long[]> buckets = io.getOrDefault(vm.getKey(), Map.of()).getOrDefault(dev, new TreeMap<>());
                for (int k = 0; k < NAMES.length; k++) {
                    legend.add("AVERAGE:vm:" + vm.getKey() + ":vbd_" + dev + "_" + NAMES[k]);
                    double[] col = new double[times.size()];
                    for (int r = 0; r < times.size(); r++) {
                        long t = times.get(r);
                        int known = 0;
                        for (long sub = t - step + STEP; sub <= t; sub += STEP) {
                            known += ran(vm.getKey(), sub - 1) ? 1 : 0;
                        }
                        // RRD consolidation with xff 0.5: unknown if more than half the steps are, else the known steps' average
                        if (known * 2 < step / STEP) {
                            col[r] = Double.NaN;
                            continue;
                        }
                        long sum = 0;
                        for (long[] b : buckets.subMap(t - step, false, t, true).values()) {
                            sum += b[k];
                        }
                        col[r] = (double) sum / (known * STEP);
                    }
                    columns.add(col);
                }
            }
        }
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><xport><meta>");
        x.append("<start>").append(Math.floorDiv(start, step) * step + step).append("</start>");
        x.append("<step>").append(step).append("</step><end>").append(last).append("</end>");
        x.append("<rows>").append(times.size()).append("</rows><columns>").append(legend.size()).append("</columns><legend>");
        legend.forEach(e -> x.append("<entry>").append(e).append("</entry>"));
        x.append("</legend></meta><data>");
        for (int r = 0; r < times.size(); r++) {
            x.append("<row><t>").append(times.get(r)).append("</t>");
            for (double[] col : columns) {
                x.append("<v>").append(g5(col[r])).append("</v>");
            }
            x.append("</row>");
        }
        return x.append("</data></xport>").toString();
    }

    /** C's {@code %0.5g}, as xapi prints RRD values (trailing zeros dropped), {@code NaN}, and {@code 0.0} for zero. */
    static String g5(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "Infinity" : "-Infinity";
        }
        if (v == 0) {
            return "0.0";
        }
        BigDecimal d = new BigDecimal(v).round(new MathContext(5));
        int exp = d.precision() - d.scale() - 1;
        if (exp < -4 || exp >= 5) {
            String mantissa = d.movePointLeft(exp).stripTrailingZeros().toPlainString();
            return mantissa + "e" + (exp < 0 ? "-" : "+") + String.format("%02d", Math.abs(exp));
        }
        return d.stripTrailingZeros().toPlainString();
    }
}
