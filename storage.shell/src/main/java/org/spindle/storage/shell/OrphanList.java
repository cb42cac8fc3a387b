package org.spindle.storage.shell;

import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.spindle.storage.api.runtime.Orphan;
import org.spindle.storage.api.runtime.Reconciliation;
import org.spindle.storage.shell.internal.Tables;

@Command(scope = "storage", name = "orphan-list",
        description = "Lists what the last reconciliation passes (of any node) found on SANs and hypervisors that no volume accounts "
                + "for, with when it was first seen.")
@Service
public class OrphanList extends ReadCommand {
    @Reference
    Reconciliation reconciliation;

    @Override
    public Object execute() {
        List<Orphan> orphans = reconciliation.orphans();
        print(orphans, out -> Reconcile.orphans(orphans).print(out));
        return null;
    }
}
