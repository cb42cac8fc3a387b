package org.spindle.storage.shell;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.spindle.storage.api.volume.Volume;

@Command(scope = "storage", name = "volume-delete",
        description = "Deletes a volume and its SAN volume. Refused while attached.")
@Service
public class VolumeDelete extends VolumeCommand {
    @Override
    public Object execute() {
        Volume v = volumes.delete(volume);
        System.out.println("Volume " + v.name() + " deleted (" + v.state() + ")");
        return null;
    }
}
