package org.spindle.storage.shell;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.qos.QosDrift;
import org.spindle.storage.api.runtime.QosAudit;
import org.spindle.storage.api.runtime.QosAuditReport;
import org.spindle.storage.api.runtime.QosFinding;
import org.spindle.storage.shell.completers.VolumeCompleter;
import org.spindle.storage.shell.internal.QosView;
import org.spindle.storage.shell.internal.Tables;

@Command(scope = "storage", name = "qos-audit",
        description = "Runs a QoS audit now (the core runs one periodically): reads back what the SAN and the hypervisor "
                + "apply for one volume or every attached or ready one, and prints each value that differs from the "
                + "volume's plan (volume, side, field, expected, found) and whether it was healed, then how many volumes "
                + "were compared and how many reads each side cost, and what was deferred to the next pass. Without "
                + "--heal it heals only if the core is configured to (org.spindle.storage.qos); --heal applies the plan "
                + "again and reads it back whatever the configuration (operator role).")
@Service
public class QosAuditCommand extends ReadCommand {
    @Argument(index = 0, name = "volume", description = "The volume's name or id; every volume when left out")
    @Completion(VolumeCompleter.class)
    String volume;

    @Option(name = "--heal", description = "Apply the plan again where a side drifted, and read it back")
    boolean heal;

    @Reference
    QosAudit audit;

    @Override
    public Object execute() {
        if (volume != null && volume.isBlank()) {
            throw StorageException.invalid("volume", "must be a volume's name or id, or left out for every volume");
        }
        QosAuditReport report = heal ? audit.heal(volume) : audit.audit(volume);
        print(report, out -> print(report, out));
        return null;
    }

    private static void print(QosAuditReport r, PrintStream out) {
        long drifted = r.findings().size();
        long healed = r.findings().stream().filter(QosFinding::healed).count();
        out.println("QoS audit at " + r.at() + ": " + r.volumes() + " volume" + (r.volumes() == 1 ? "" : "s")
                + " compared, " + r.storageReads() + " storage read" + (r.storageReads() == 1 ? "" : "s") + ", "
                + r.hypervisorReads() + " hypervisor read" + (r.hypervisorReads() == 1 ? "" : "s") + "; " + drifted
                + " drifted, " + healed + " healed");
        ShellTable table = Tables.of("No drift", "VOLUME", "SIDE", "FIELD", "EXPECTED", "FOUND", "HEALED");
        for (QosFinding f : r.findings()) {
            String outcome = f.healed() ? "yes" : f.error() == null ? "no" : "no: " + f.error();
            if (f.drift().isEmpty()) {
                table.addRow().addContent(name(f), "-", "-", "-", "-", outcome);
            }
            for (QosDrift d : f.drift()) {
                table.addRow().addContent(name(f), d.side().token(),
                        d.field(), QosView.value(d.field(), d.expected(), "none"),
                        QosView.value(d.field(), d.found(), "none"), outcome);
            }
        }
        table.print(out);
        if (!r.deferred().isEmpty()) {
            out.println("Deferred to the next pass:");
            r.deferred().forEach(d -> out.println("    " + d));
        }
    }

    private static String name(QosFinding f) {
        return f.volume() == null ? f.volumeId().toString() : f.volume();
    }
}
