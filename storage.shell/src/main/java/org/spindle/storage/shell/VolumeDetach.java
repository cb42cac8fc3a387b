package org.spindle.storage.shell;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "storage", name = "volume-detach",
        description = "Detaches a volume from its VM and revokes the access granted to the hosts of its attach service.")
@Service
public class VolumeDetach extends VolumeCommand {
    @Override
    public Object execute() {
        System.out.println("Volume " + volumes.detach(volume).name() + " detached");
        return null;
    }
}
