package org.spindle.storage.shell;

import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.spindle.storage.api.qos.StorageQos;
import org.spindle.storage.api.volume.Offering;
import org.spindle.storage.api.volume.OfferingService;
import org.spindle.storage.shell.internal.Format;
import org.spindle.storage.shell.internal.Tables;

@Command(scope = "storage", name = "offering-list", description = "Lists the disk offerings.")
@Service
public class OfferingList extends ReadCommand {
    @Reference
    OfferingService offerings;

    @Override
    public Object execute() {
        List<Offering> all = offerings.list();
        print(all, out -> table(all).print(out));
        return null;
    }

    private static ShellTable table(List<Offering> offerings) {
        ShellTable table = Tables.of("No offerings", "NAME", "TAGS", "MIN IOPS", "MAX IOPS", "BURST IOPS",
                "CUSTOM IOPS", "HYPERVISOR LIMITS", "DESCRIPTION");
        for (Offering o : offerings) {
            StorageQos s = o.qos().storage();
            table.addRow().addContent(o.name(), Format.list(o.tags()), Format.count(s.minIops()),
                    Format.count(s.maxIops()), Format.count(s.burstIops()), Format.yesNo(o.customIops()),
                    Format.limits(o.qos().limits()), Format.text(o.description()));
        }
        return table;
    }
}
