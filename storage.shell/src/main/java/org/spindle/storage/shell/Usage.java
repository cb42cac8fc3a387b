package org.spindle.storage.shell;

import java.io.PrintStream;
import java.time.Instant;
import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.usage.UsageQuery;
import org.spindle.storage.api.usage.UsageRecord;
import org.spindle.storage.api.usage.UsageService;
import org.spindle.storage.shell.completers.VolumeCompleter;
import org.spindle.storage.shell.internal.Csv;
import org.spindle.storage.shell.internal.Format;
import org.spindle.storage.shell.internal.JsonArray;
import org.spindle.storage.shell.internal.Tables;
import org.spindle.storage.shell.internal.Values;

@Command(scope = "storage", name = "usage",
        description = "Prints the usage records of every period overlapping [--from, --to), by volume then period: the "
                + "seconds the volume existed in the period, its time-weighted size and effective guaranteed / max / burst "
                + "IOPS, and the I/O done (from the hypervisor while attached, else from the SAN). Times are ISO-8601 UTC. "
                + "--csv writes RFC 4180 CSV with a header row; --json a JSON array, one compact record per line.")
@Service
public class Usage extends ReadCommand {
    @Option(name = "--volume", description = "Only this volume (name or id)")
    @Completion(VolumeCompleter.class)
    String volume;

    @Option(name = "--tenant", description = "Only this tenant's volumes")
    String tenant;

    @Option(name = "--from", required = true, description = "The first instant: " + Values.TIME_ALLOWED)
    String from;

    @Option(name = "--to", required = true, description = "The instant after the last: " + Values.TIME_ALLOWED)
    String to;

    @Option(name = "--csv", description = "Print CSV with a header row")
    boolean csv;

    @Reference
    UsageService usage;

    @Override
    public Object execute() {
        if (csv && json) {
            throw StorageException.invalid("csv", "--csv and --json exclude each other: give one");
        }
        Instant start = from == null ? null : Values.instant("from", from);
        Instant end = to == null ? null : Values.instant("to", to);
        List<UsageRecord> records = usage.usage(new UsageQuery(volume, tenant, start, end));
        PrintStream out = System.out;
        if (csv) {
            Csv.usage(records, out);
        } else if (json) {
            JsonArray array = new JsonArray(out);
            records.forEach(array::add);
            array.end();
        } else {
            table(records).print(out);
        }
        return null;
    }

    private static ShellTable table(List<UsageRecord> records) {
        ShellTable table = Tables.of("No usage in this span", "VOLUME", "TENANT", "POOL", "START", "END", "SECONDS",
                "SIZE", "MIN IOPS", "MAX IOPS", "BURST IOPS", "READ OPS", "WRITE OPS", "READ", "WRITTEN");
        for (UsageRecord r : records) {
            table.addRow().addContent(Format.text(r.volume()), Format.text(r.tenant()), Format.text(r.pool()),
                    r.start().toString(), r.end().toString(), Long.toString(r.seconds()), Format.size(r.allocatedBytes()),
                    Format.count(r.guaranteedIops()), Format.count(r.maxIops()), Format.count(r.burstIops()),
                    Long.toString(r.readOps()), Long.toString(r.writeOps()), Format.size(r.readBytes()),
                    Format.size(r.writeBytes()));
        }
        return table;
    }
}
