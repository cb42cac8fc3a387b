package org.spindle.storage.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.qos.QosSpec;
import org.spindle.storage.api.volume.Volume;
import org.spindle.storage.api.volume.VolumeService;
import org.spindle.storage.shell.completers.VolumeCompleter;
import org.spindle.storage.shell.internal.Details;
import org.spindle.storage.shell.internal.Format;
import org.spindle.storage.shell.internal.QosMapping;
import org.spindle.storage.shell.internal.QosText;

@Command(scope = "storage", name = "volume-qos",
        description = "Changes a volume's QoS at runtime, on the SAN and, if attached, in the hypervisor. Options "
                + "not given keep their current values (a value cannot be cleared, 0 is refused). The options are "
                + "offering-create's; *-bps values take binary units (100M = 100 MiB/s), --weight is 1 to 1000.")
@Service
public class VolumeQos extends QosOptions {
    @Argument(index = 0, name = "volume", description = "The volume's name or id", required = true)
    @Completion(VolumeCompleter.class)
    String volume;

    @Reference
    VolumeService volumes;

    @Override
    public Object execute() {
        QosText text = qosText();
        if (text.isEmpty()) {
            throw StorageException.invalid("qos", "give at least one QoS option, e.g. --max-iops 2000, --total-bps 200M or --weight 500");
        }
        QosMapping.Parsed qos = QosMapping.parse(text);
        QosSpec current = volumes.get(volume).map(Volume::requested).orElse(QosSpec.NONE);
        Volume v = volumes.changeQos(volume, qos.over(current));
        new Details()
                .add("Volume", v.name())
                .add("Storage QoS", Format.storageQos(v.plan().storage()))
                .add("Hypervisor QoS", Format.limits(v.plan().hypervisor()))
                .add("Effective QoS", Format.effective(v.plan().effective()))
                .print(System.out);
        return null;
    }
}
