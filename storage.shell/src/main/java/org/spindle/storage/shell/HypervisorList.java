package org.spindle.storage.shell;

import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.spindle.storage.api.runtime.AttachServiceInfo;
import org.spindle.storage.api.runtime.StorageRuntime;
import org.spindle.storage.shell.internal.Format;
import org.spindle.storage.shell.internal.Tables;

@Command(scope = "storage", name = "hypervisor-list",
        description = "Lists the hypervisor attach services the core is bound to, and those it rejected with the reason: "
                + "each one's identity (SERVICE, what --host of volume-attach also accepts), its hosts and cluster, "
                + "and the initiators the core grants access to volumes attached through it. DRIFT counts what the service "
                + "found changed outside Spindle (a VM undefined, a secret without its disk); each finding is listed below "
                + "the table.")
@Service
public class HypervisorList extends ReadCommand {
    @Reference
    StorageRuntime runtime;

    @Override
    public Object execute() {
        List<AttachServiceInfo> services = runtime.attachServices();
        print(services, out -> {
            table(services).print(out);
            for (AttachServiceInfo s : services) {
                s.drift().forEach(d -> out.println("Drift at " + s.service() + ": " + d));
            }
        });
        return null;
    }

    private static ShellTable table(List<AttachServiceInfo> services) {
        ShellTable table = Tables.of("No attach services", "SOURCE", "SERVICE", "TYPE", "HOSTS", "CLUSTER", "ZONE",
                "PROTOCOLS", "INITIATORS", "LIMITS", "STRUCTURES", "BUNDLE", "DRIFT", "STATUS", "REASON");
        for (AttachServiceInfo s : services) {
            table.addRow().addContent(Format.text(s.source()), Format.text(s.service()), Format.text(s.type()),
                    Format.list(s.hosts()), Format.text(s.cluster()), Format.text(s.zone()), Format.list(s.protocols()),
                    Format.list(s.initiators()), Format.list(s.limits()), Format.list(s.structures()),
                    Format.text(s.bundle()), Format.count(s.drift().size()), Format.text(s.status()), Format.text(s.reason()));
        }
        return table;
    }
}
