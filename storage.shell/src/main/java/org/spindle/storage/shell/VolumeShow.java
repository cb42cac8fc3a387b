package org.spindle.storage.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import java.util.ArrayList;
import java.util.List;

import org.spindle.storage.api.runtime.AttachServiceInfo;
import org.spindle.storage.api.runtime.StorageRuntime;
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
                + "the plan (storage:qos-audit), and what its attach service found changed outside Spindle (hypervisor drift).")
@Service
public class VolumeShow extends ReadCommand {
    @Argument(index = 0, name = "volume", description = "The volume's name or id", required = true)
    @Completion(VolumeCompleter.class)
    String volume;

    @Reference
    VolumeService volumes;

    @Reference(optional = true)
    StorageRuntime runtime;

    @Override
    public Object execute() {
        Volume v = volumes.get(volume).orElseThrow(() -> Errors.notFound("volume", volume));
        print(v, out -> {
            Describe.volume(v).print(out);
            for (String line : hypervisorDrift(v)) {
                out.println("Hypervisor drift: " + line);
            }
            out.println();
            QosView.table(v).print(out);
        });
        return null;
    }

    /** What attach services found changed outside Spindle about this volume: their drift lines that name it. */
    private List<String> hypervisorDrift(Volume v) {
        if (runtime == null) {
            return List.of();
        }
        String id = v.id().toString();
        List<String> out = new ArrayList<>();
        for (AttachServiceInfo s : runtime.attachServices()) {
            for (String line : s.drift()) {
                if (line.startsWith(id + " ")) {
                    out.add(s.service() + ": " + line.substring(id.length() + 1));
                }
            }
        }
        return out;
    }
}
