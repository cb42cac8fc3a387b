package org.spindle.storage.shell;

import java.io.PrintStream;
import java.util.List;
import java.util.function.Consumer;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.spindle.storage.api.qos.EffectiveQos;
import org.spindle.storage.api.volume.Volume;
import org.spindle.storage.api.volume.VolumeQuery;
import org.spindle.storage.api.volume.VolumeService;
import org.spindle.storage.api.volume.VolumeState;
import org.spindle.storage.shell.completers.PoolCompleter;
import org.spindle.storage.shell.completers.VolumeCompleter;
import org.spindle.storage.shell.internal.Format;
import org.spindle.storage.shell.internal.JsonArray;
import org.spindle.storage.shell.internal.PagedTable;
import org.spindle.storage.shell.internal.Values;

@Command(scope = "storage", name = "volume-list",
        description = "Lists the volumes, oldest first, filtered by --state, --pool and --tenant. Without --limit it lists "
                + "them all, fetching and printing " + VolumeQuery.DEFAULT_LIMIT + " at a time; with --limit N it prints one "
                + "page of N and, when the page is full, the --after value of the next. The IOPS columns are the effective "
                + "QoS (what the VM can get). --json writes one JSON array, one compact volume per line, page by page.")
@Service
public class VolumeList extends ReadCommand {
    @Option(name = "--all", aliases = "-a", description = "Include destroyed volumes")
    boolean all;

    @Option(name = "--limit", description = "Print one page of at most this many volumes (1 to " + VolumeQuery.MAX_LIMIT + ")")
    String limit;

    @Option(name = "--after", description = "Start after this volume (name or id): the last one of the previous page")
    @Completion(VolumeCompleter.class)
    String after;

    @Option(name = "--state", description = "Only volumes in this state (DESTROYED implies --all)")
    @Completion(value = StringsCompleter.class, values = {"ALLOCATED", "CREATING", "READY", "ATTACHING", "ATTACHED",
            "DETACHING", "RESIZING", "CHANGING_QOS", "DESTROYING", "DESTROYED", "ERROR"})
    String state;

    @Option(name = "--pool", description = "Only volumes in this pool")
    @Completion(PoolCompleter.class)
    String pool;

    @Option(name = "--tenant", description = "Only this tenant's volumes")
    String tenant;

    @Reference
    VolumeService volumes;

    @Override
    public Object execute() {
        Integer pageSize = limit == null ? null : Values.limit("limit", limit);
        VolumeState only = state == null ? null : Values.state("state", state);
        VolumeQuery query = new VolumeQuery(pageSize == null ? VolumeQuery.DEFAULT_LIMIT : pageSize, after, only, pool,
                tenant, all || only == VolumeState.DESTROYED);
        PrintStream out = System.out;
        if (json) {
            JsonArray array = new JsonArray(out);
            pages(query, pageSize == null, page -> {
                page.forEach(array::add);
                array.flush();
            });
            array.end();
            return null;
        }
        PagedTable table = new PagedTable("No volumes", "NAME", "ID", "TENANT", "STATE", "SIZE", "OFFERING", "POOL",
                "VM", "MIN IOPS", "MAX IOPS", "BURST IOPS");
        int[] rows = {0};
        Volume last = pages(query, pageSize == null, page -> {
            table.page(page.stream().map(VolumeList::row).toList(), out);
            rows[0] += page.size();
        });
        if (pageSize != null && rows[0] == pageSize) {
            out.println("Next page: --after " + last.id());
        }
        return null;
    }

    /**
     * Hands each page to {@code sink}, the next page starting after the last volume of the one before; only the first
     * page unless {@code every}. Returns the last volume listed, or {@code null}.
     */
    private Volume pages(VolumeQuery first, boolean every, Consumer<List<Volume>> sink) {
        VolumeQuery query = first;
        Volume last = null;
        while (true) {
            List<Volume> page = volumes.list(query);
            sink.accept(page);
            if (page.isEmpty()) {
                return last;
            }
            Volume end = page.get(page.size() - 1);
            if (!every || page.size() < query.limit() || (last != null && last.id().equals(end.id()))) {
                return end;
            }
            last = end;
            query = query.after(end);
        }
    }

    private static List<String> row(Volume v) {
        EffectiveQos q = v.effectiveQos();
        return List.of(v.name(), Format.shortId(v.id()), Format.text(v.tenant()), v.state().name(),
                Format.size(v.sizeBytes()), Format.text(v.offering()), Format.text(v.pool()),
                v.attachment() == null ? Format.ABSENT : v.attachment().vm(), Format.count(q.guaranteedIops()),
                Format.count(q.maxIops()), Format.count(q.burstIops()));
    }
}
