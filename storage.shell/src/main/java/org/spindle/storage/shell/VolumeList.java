package org.spindle.storage.shell;

import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.spindle.storage.api.qos.EffectiveQos;
import org.spindle.storage.api.volume.Volume;
import org.spindle.storage.api.volume.VolumeService;
import org.spindle.storage.shell.internal.Format;
import org.spindle.storage.shell.internal.Tables;

@Command(scope = "storage", name = "volume-list",
        description = "Lists the volumes, oldest first. The IOPS columns are the effective QoS (what the VM can get).")
@Service
public class VolumeList extends ReadCommand {
    @Option(name = "--all", aliases = "-a", description = "Include destroyed volumes")
    boolean all;

    @Reference
    VolumeService volumes;

    @Override
    public Object execute() {
        List<Volume> list = volumes.list(all);
        print(list, out -> table(list).print(out));
        return null;
    }

    private static ShellTable table(List<Volume> volumes) {
        ShellTable table = Tables.of("No volumes", "NAME", "ID", "TENANT", "STATE", "SIZE", "OFFERING", "POOL", "VM",
                "MIN IOPS", "MAX IOPS", "BURST IOPS");
        for (Volume v : volumes) {
            EffectiveQos q = v.effectiveQos();
            table.addRow().addContent(v.name(), Format.shortId(v.id()), Format.text(v.tenant()), v.state(),
                    Format.size(v.sizeBytes()), Format.text(v.offering()), Format.text(v.pool()),
                    v.attachment() == null ? Format.ABSENT : v.attachment().vm(), Format.count(q.guaranteedIops()),
                    Format.count(q.maxIops()), Format.count(q.burstIops()));
        }
        return table;
    }
}
