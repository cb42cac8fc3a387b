package org.spindle.storage.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.spindle.storage.api.volume.VolumeService;
import org.spindle.storage.shell.completers.VolumeCompleter;

@Command(scope = "storage", name = "volume-detach",
        description = "Detaches a volume from its VM and revokes the host's access.")
@Service
public class VolumeDetach implements Action {
    @Argument(index = 0, name = "volume", description = "The volume's name or id", required = true)
    @Completion(VolumeCompleter.class)
    String volume;

    @Reference
    VolumeService volumes;

    @Override
    public Object execute() {
        System.out.println("Volume " + volumes.detach(volume).name() + " detached");
        return null;
    }
}
