package org.spindle.storage.shell;

import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.spindle.storage.api.runtime.DriverInfo;
import org.spindle.storage.api.runtime.StorageRuntime;
import org.spindle.storage.shell.internal.Format;
import org.spindle.storage.shell.internal.Tables;

@Command(scope = "storage", name = "driver-list",
        description = "Lists the storage drivers the core is bound to, and those it rejected with the reason.")
@Service
public class DriverList extends ReadCommand {
    @Reference
    StorageRuntime runtime;

    @Override
    public Object execute() {
        List<DriverInfo> drivers = runtime.drivers();
        print(drivers, out -> table(drivers).print(out));
        return null;
    }

    private static ShellTable table(List<DriverInfo> drivers) {
        ShellTable table = Tables.of("No storage drivers", "SOURCE", "TYPE", "POOL", "ZONE", "TAGS", "PROTOCOLS",
                "QOS", "MANAGED", "BUNDLE", "STATUS", "REASON");
        for (DriverInfo d : drivers) {
            table.addRow().addContent(Format.text(d.source()), Format.text(d.type()), Format.text(d.pool()),
                    Format.text(d.zone()), Format.list(d.tags()), Format.list(d.protocols()), Format.list(d.qos()),
                    Format.yesNo(d.managed()), Format.text(d.bundle()), Format.text(d.status()),
                    Format.text(d.reason()));
        }
        return table;
    }
}
