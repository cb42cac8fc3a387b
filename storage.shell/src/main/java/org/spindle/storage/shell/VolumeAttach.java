package org.spindle.storage.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.spindle.storage.api.attach.Attachment;
import org.spindle.storage.api.volume.Volume;
import org.spindle.storage.api.volume.VolumeService;
import org.spindle.storage.shell.completers.HostCompleter;
import org.spindle.storage.shell.completers.VolumeCompleter;
import org.spindle.storage.shell.internal.Format;

@Command(scope = "storage", name = "volume-attach",
        description = "Attaches a volume to a VM, creating it on the SAN first if it is only allocated. "
                + "Without --host every attach service in the pool's zone is asked for the VM.")
@Service
public class VolumeAttach implements Action {
    @Argument(index = 0, name = "volume", description = "The volume's name or id", required = true)
    @Completion(VolumeCompleter.class)
    String volume;

    @Argument(index = 1, name = "vm", description = "The VM", required = true)
    String vm;

    @Option(name = "--host", description = "The VM's host")
    @Completion(HostCompleter.class)
    String host;

    @Reference
    VolumeService volumes;

    @Override
    public Object execute() {
        Volume v = volumes.attach(volume, vm, host);
        Attachment a = v.attachment();
        System.out.println("Volume " + v.name() + " attached to " + (a == null ? vm
                : a.vm() + " on host " + Format.text(a.host()) + " as " + a.device()));
        return null;
    }
}
