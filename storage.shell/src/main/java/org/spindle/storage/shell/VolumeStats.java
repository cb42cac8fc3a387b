package org.spindle.storage.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.spindle.storage.api.IoStats;
import org.spindle.storage.api.volume.VolumeService;
import org.spindle.storage.shell.completers.VolumeCompleter;
import org.spindle.storage.shell.internal.Describe;

@Command(scope = "storage", name = "volume-stats",
        description = "Shows a volume's cumulative I/O counters: from the hypervisor when attached, else from the SAN.")
@Service
public class VolumeStats extends ReadCommand {
    @Argument(index = 0, name = "volume", description = "The volume's name or id", required = true)
    @Completion(VolumeCompleter.class)
    String volume;

    @Reference
    VolumeService volumes;

    @Override
    public Object execute() {
        IoStats stats = volumes.stats(volume);
        print(stats, out -> Describe.stats(volume, stats).print(out));
        return null;
    }
}
