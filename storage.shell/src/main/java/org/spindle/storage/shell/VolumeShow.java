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
import org.spindle.storage.shell.internal.QosView;

@Command(scope = "storage", name = "volume-show",
        description = "Shows a volume: size, state, target, attachment, and its QoS side by side: per value what was requested, "
                + "what the plan holds, what the SAN (storage rows) and the hypervisor (hypervisor rows) reported they apply "
                + "when last read back, the effective QoS (what the VM can get) and each value the last QoS audit found off "
                + "the plan (storage:qos-audit).")
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
        print(v, out -> {
            Describe.volume(v).print(out);
            out.println();
            QosView.table(v).print(out);
        });
        return null;
    }
}
