package org.spindle.storage.core.internal.usage;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns two readings of a volume into what they add to each usage period they span. Periods are aligned on the
 * epoch ({@code [k·p, (k+1)·p)}). The size and IOPS of the earlier reading were in force for the whole interval
 * (the core reads a volume at every change of size, QoS or attachment, so this is exact); the I/O done is spread
 * over the periods in proportion to their share of the interval, so the parts add up to the whole. Stateless.
 */
public final class UsageAccrual {
    private UsageAccrual() {
    }

    /** The start of the period holding {@code t}. */
    public static Instant periodStart(Instant t, Duration period) {
        long p = period.toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(t.toEpochMilli(), p) * p);
    }

    public static List<PeriodDelta> accrue(Sample last, Sample now, Duration period) {
        long from = last.at().toEpochMilli();
        long to = now.at().toEpochMilli();
        if (to <= from) {
            return List.of();
        }
        Counters io = now.source().equals(last.source()) ? now.counters().since(last.counters()) : Counters.ZERO;
        long total = to - from;
        long p = period.toMillis();
        List<PeriodDelta> out = new ArrayList<>();
        Counters given = Counters.ZERO;
        long start = from;
        while (start < to) {
            long periodStart = Math.floorDiv(start, p) * p;
            long end = Math.min(to, periodStart + p);
            long millis = end - start;
            Counters part = end == to ? minus(io, given) : share(io, millis, total);
            given = plus(given, part);
            out.add(new PeriodDelta(Instant.ofEpochMilli(periodStart), Instant.ofEpochMilli(periodStart + p), millis,
                    BigInteger.valueOf(last.sizeBytes()).multiply(BigInteger.valueOf(millis)), last.guaranteedIops() * millis,
                    last.maxIops() * millis, last.burstIops() * millis, part));
            start = end;
        }
        return out;
    }

    private static Counters share(Counters io, long millis, long total) {
        return new Counters(part(io.readOps(), millis, total), part(io.writeOps(), millis, total),
                part(io.readBytes(), millis, total), part(io.writeBytes(), millis, total));
    }

    private static long part(long value, long millis, long total) {
        return BigInteger.valueOf(value).multiply(BigInteger.valueOf(millis)).divide(BigInteger.valueOf(total)).longValueExact();
    }

    private static Counters plus(Counters a, Counters b) {
        return new Counters(a.readOps() + b.readOps(), a.writeOps() + b.writeOps(), a.readBytes() + b.readBytes(),
                a.writeBytes() + b.writeBytes());
    }

    private static Counters minus(Counters a, Counters b) {
        return new Counters(a.readOps() - b.readOps(), a.writeOps() - b.writeOps(), a.readBytes() - b.readBytes(),
                a.writeBytes() - b.writeBytes());
    }
}
