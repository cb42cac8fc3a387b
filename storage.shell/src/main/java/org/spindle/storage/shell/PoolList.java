package org.spindle.storage.shell;

import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.spindle.storage.api.PoolCapacity;
import org.spindle.storage.api.runtime.PoolInfo;
import org.spindle.storage.api.runtime.StorageRuntime;
import org.spindle.storage.shell.internal.Format;
import org.spindle.storage.shell.internal.Tables;

@Command(scope = "storage", name = "pool-list",
        description = "Lists the pools. CAPACITY and IOPS are provisioned / total, '-' when the storage has not told.")
@Service
public class PoolList extends ReadCommand {
    @Reference
    StorageRuntime runtime;

    @Override
    public Object execute() {
        List<PoolInfo> pools = runtime.pools();
        print(pools, out -> table(pools).print(out));
        return null;
    }

    private static ShellTable table(List<PoolInfo> pools) {
        ShellTable table = Tables.of("No pools", "NAME", "ZONE", "PROTOCOL", "TAGS", "MANAGED", "DRIVER", "AVAILABLE",
                "CAPACITY", "IOPS", "VOLUMES");
        for (PoolInfo p : pools) {
            PoolCapacity c = p.capacity();
            table.addRow().addContent(p.name(), Format.text(p.zone()), Format.text(p.protocol()), Format.list(p.tags()),
                    Format.yesNo(p.managed()), Format.text(p.driverType()), Format.yesNo(p.available()),
                    Format.usage(Format.size(c.provisionedBytes()), Format.size(c.totalBytes()), c.totalBytes()),
                    Format.usage(Long.toString(c.provisionedIops()), Long.toString(c.totalIops()), c.totalIops()),
                    p.volumes());
        }
        return table;
    }
}
