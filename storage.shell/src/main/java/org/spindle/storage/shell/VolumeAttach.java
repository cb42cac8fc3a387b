package org.spindle.storage.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.spindle.storage.api.volume.Volume;
import org.spindle.storage.api.volume.VolumeAttachment;
import org.spindle.storage.shell.completers.HostCompleter;
import org.spindle.storage.shell.internal.Format;

@Command(scope = "storage", name = "volume-attach",
        description = "Attaches a volume to a VM, creating it on the SAN first if it is only allocated. The VM is "
                + "its name or id as the hypervisor knows it. Without --host every attach service in the pool's "
                + "zone is asked for the VM.")
@Service
public class VolumeAttach extends VolumeCommand {
    @Argument(index = 1, name = "vm", description = "The VM's name or id", required = true)
    String vm;

    @Option(name = "--host", description = "A host, or an attach service (hypervisor.service, e.g. a cluster), to look for the VM in")
    @Completion(HostCompleter.class)
    String host;

    @Override
    public Object execute() {
        Volume v = volumes.attach(volume, vm, host);
        System.out.println("Volume " + v.name() + " attached to " + where(v.attachment()));
        return null;
    }

    private String where(VolumeAttachment a) {
        if (a == null) {
            return vm;
        }
        String text = a.vm() + " on host " + Format.text(a.host()) + " as " + Format.text(a.device());
        return a.service().equals(a.host()) ? text : text + " (attach service " + a.service() + ")";
    }
}
