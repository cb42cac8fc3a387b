package org.spindle.storage.shell;

import java.util.Arrays;
import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.spindle.storage.api.qos.QosSpec;
import org.spindle.storage.api.volume.Offering;
import org.spindle.storage.api.volume.OfferingService;
import org.spindle.storage.shell.internal.QosMapping;

@Command(scope = "storage", name = "offering-create",
        description = "Creates a disk offering: the storage tags a pool must carry and the QoS of its volumes. "
                + "IOPS and burst lengths (seconds) are positive whole numbers; *-bps values are bytes per second "
                + "with binary units K, M, G, T (100M = 100 MiB/s); --weight is a priority from 1 to 1000, not a cap. "
                + "With --custom-iops users choose min/max/burst "
                + "IOPS at volume creation, within the offering's min (lowest) and max/burst (highest).")
@Service
public class OfferingCreate extends QosOptions {
    @Argument(index = 0, name = "name", description = "The offering's name", required = true)
    String name;

    @Option(name = "--description", description = "Free text")
    String description;

    @Option(name = "--tags", description = "Storage tags a pool must all carry, comma-separated (none: any pool)")
    String tags;

    @Option(name = "--custom-iops", description = "Let users choose min/max/burst IOPS at volume creation")
    boolean customIops;

    @Reference
    OfferingService offerings;

    @Override
    public Object execute() {
        Offering offering = new Offering(name, description, tags(), QosMapping.toSpec(qosText(), QosSpec.NONE),
                customIops);
        System.out.println("Offering " + offerings.create(offering).name() + " created");
        return null;
    }

    private List<String> tags() {
        return tags == null ? List.of() : Arrays.stream(tags.split(",", -1)).map(String::strip).toList();
    }
}
