package org.spindle.storage.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.spindle.storage.api.volume.Volume;
import org.spindle.storage.api.volume.VolumeService;
import org.spindle.storage.api.volume.VolumeSpec;
import org.spindle.storage.shell.completers.OfferingCompleter;
import org.spindle.storage.shell.internal.Format;
import org.spindle.storage.shell.internal.QosMapping;
import org.spindle.storage.shell.internal.Sizes;

@Command(scope = "storage", name = "volume-create",
        description = "Creates a volume from an offering (allocated only: the SAN volume is made at first attach). "
                + "Sizes are bytes (4096) or a number with a binary unit K, M, G, T, also written Ki/KiB ... Ti/TiB "
                + "(2^10 ... 2^40), decimals allowed (1.5G); KB/MB/GB/TB are refused as ambiguous; at least 1M. "
                + "--min-iops/--max-iops/--burst-iops need an offering with custom IOPS.")
@Service
public class VolumeCreate extends StorageQosOptions {
    static final String DEFAULT_TENANT = "admin";

    @Argument(index = 0, name = "name", description = "The new volume's name", required = true)
    String name;

    @Option(name = "--offering", description = "The disk offering", required = true)
    @Completion(OfferingCompleter.class)
    String offering;

    @Option(name = "--size", description = "Size, e.g. 10G, 512M, 1.5T, 1073741824", required = true)
    String size;

    @Option(name = "--tenant", description = "The owner (account or project id), default " + DEFAULT_TENANT)
    String tenant = DEFAULT_TENANT;

    @Reference
    VolumeService volumes;

    @Override
    public Object execute() {
        VolumeSpec spec = new VolumeSpec(name, offering, Sizes.parse("size", size), tenant,
                QosMapping.toStorageQos(storageText()));
        Volume v = volumes.create(spec);
        System.out.println("Volume " + v.name() + " created: id " + v.id() + ", " + Format.sizeExact(v.sizeBytes())
                + ", pool " + Format.text(v.pool()) + ", " + v.state());
        return null;
    }
}
