package org.spindle.storage.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.spindle.storage.api.volume.Volume;
import org.spindle.storage.shell.internal.Format;
import org.spindle.storage.shell.internal.Sizes;

@Command(scope = "storage", name = "volume-resize",
        description = "Grows a volume (on the SAN too, if it exists there, and in the hypervisor and guest if it is "
                + "attached). The size is bytes (4096) or a number with a binary unit K, M, G, T, also written "
                + "Ki/KiB ... Ti/TiB (2^10 ... 2^40), decimals allowed (1.5G); KB/MB/GB/TB are refused as ambiguous.")
@Service
public class VolumeResize extends VolumeCommand {
    @Argument(index = 1, name = "size", description = "The new size, e.g. 20G", required = true)
    String size;

    @Override
    public Object execute() {
        Volume v = volumes.resize(volume, Sizes.parse("size", size));
        System.out.println("Volume " + v.name() + " resized to " + Format.sizeExact(v.sizeBytes()));
        return null;
    }
}
