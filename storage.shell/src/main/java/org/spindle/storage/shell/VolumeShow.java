package org.spindle.storage.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.spindle.storage.api.volume.Volume;
import org.spindle.storage.api.volume.VolumeService;
import org.spindle.storage.shell.completers.VolumeCompleter;
import org.spindle.storage.shell.internal.Describe;
import org.spindle.storage.shell.internal.Errors;

@Command(scope = "storage", name = "volume-show",
        description = "Shows a volume: size, state, QoS (requested, storage side, hypervisor side, effective), target, attachment.")
@Service
public class VolumeShow extends ReadCommand {
    @Argument(index = 0, name = "volume", description = "The volume's name or id", required = true)
    @Completion(VolumeCompleter.class)
    String volume;

    @Reference
    VolumeService volumes;

    @Override
    public Object execute() {
        Volume v = volumes.get(volume).orElseThrow(() -> Errors.notFound("volume", volume));
        print(v, out -> Describe.volume(v).print(out));
        return null;
    }
}
