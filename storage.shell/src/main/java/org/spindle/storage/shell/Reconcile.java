package org.spindle.storage.shell;

import java.io.PrintStream;
import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.spindle.storage.api.runtime.Orphan;
import org.spindle.storage.api.runtime.ReconcileReport;
import org.spindle.storage.api.runtime.Reconciliation;
import org.spindle.storage.api.runtime.Recovery;
import org.spindle.storage.shell.internal.Format;
import org.spindle.storage.shell.internal.Tables;

@Command(scope = "storage", name = "reconcile",
        description = "Runs a reconciliation pass now (the core runs one at start and periodically): recovers operations a crash or a "
                + "lost node left in flight, asking the SAN and the hypervisor what happened, and lists what the SANs and hypervisors "
                + "hold for Spindle that no volume accounts for (removed after the grace period).")
@Service
public class Reconcile extends ReadCommand {
    @Reference
    Reconciliation reconciliation;

    @Override
    public Object execute() {
        ReconcileReport report = reconciliation.reconcile();
        print(report, out -> print(report, out));
        return null;
    }

    private static void print(ReconcileReport report, PrintStream out) {
        out.println("Recovered operations:");
        if (report.recovered().isEmpty()) {
            out.println("    none");
        }
        for (Recovery r : report.recovered()) {
            out.println("    " + r.volume() + ": " + r.interrupted() + " -> " + r.outcome() + " (" + r.how() + ")");
        }
        out.println("Orphans:");
        orphans(report.orphans()).print(out);
        if (!report.deferred().isEmpty()) {
            out.println("Deferred to the next pass:");
            report.deferred().forEach(d -> out.println("    " + d));
        }
    }

    static ShellTable orphans(List<Orphan> orphans) {
        ShellTable table = Tables.of("none", "KIND", "PLACE", "REF", "VOLUME ID", "FIRST SEEN", "REMOVED", "WHY");
        for (Orphan o : orphans) {
            table.addRow().addContent(o.kind(), o.place(), o.ref(), o.volumeId().toString(), o.firstSeen().toString(), Format.yesNo(o.removed()), o.detail());
        }
        return table;
    }
}
