package org.spindle.storage.shell.internal;

import java.io.PrintStream;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.spindle.storage.api.usage.UsageRecord;

/**
 * CSV as RFC 4180 writes it: a header row, comma-separated fields, CRLF line ends, a field quoted (its quotes
 * doubled) when it holds a comma, a quote, a CR or an LF. Written by hand: the quoting rule is the whole of it,
 * and a CSV library would be one more bundle in the feature for one method.
 */
public final class Csv {
    /** The usage columns: raw numbers (bytes, IOPS, operations), ISO-8601 UTC instants. */
    public static final List<String> USAGE_HEADER = List.of("volume_id", "volume", "tenant", "pool", "start", "end",
            "seconds", "allocated_bytes", "guaranteed_iops", "max_iops", "burst_iops", "read_ops", "write_ops",
            "read_bytes", "write_bytes");

    private Csv() {
    }

    public static void usage(List<UsageRecord> records, PrintStream out) {
        line(out, USAGE_HEADER.stream());
        for (UsageRecord r : records) {
            line(out, Stream.of(r.volumeId(), r.volume(), r.tenant(), r.pool(), r.start(), r.end(), r.seconds(),
                    r.allocatedBytes(), r.guaranteedIops(), r.maxIops(), r.burstIops(), r.readOps(), r.writeOps(),
                    r.readBytes(), r.writeBytes()));
        }
        out.flush();
    }

    /** One field; {@code null} is the empty field. */
    public static String field(Object value) {
        String text = value == null ? "" : value.toString();
        if (text.indexOf(',') < 0 && text.indexOf('"') < 0 && text.indexOf('\r') < 0 && text.indexOf('\n') < 0) {
            return text;
        }
        return '"' + text.replace("\"", "\"\"") + '"';
    }

    private static void line(PrintStream out, Stream<?> fields) {
        out.print(fields.map(Csv::field).collect(Collectors.joining(",")) + "\r\n");
    }
}
