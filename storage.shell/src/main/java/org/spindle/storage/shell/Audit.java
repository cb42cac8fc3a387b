package org.spindle.storage.shell;

import java.io.PrintStream;
import java.time.Instant;
import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.audit.AuditEvent;
import org.spindle.storage.api.audit.AuditLog;
import org.spindle.storage.api.audit.AuditQuery;
import org.spindle.storage.shell.internal.Format;
import org.spindle.storage.shell.internal.JsonArray;
import org.spindle.storage.shell.internal.Tables;
import org.spindle.storage.shell.internal.Values;

@Command(scope = "storage", name = "audit",
        description = "Prints the audit trail, newest first: every state-changing call (volume and offering changes, QoS "
                + "heals, reconciliation passes) with who made it (the shell user, or system), when, what, on which volume or "
                + "offering, and the outcome (OK, or the refusal's reason with its message). --json writes a JSON array, one "
                + "compact event per line.")
@Service
public class Audit extends ReadCommand {
    @Option(name = "--from", description = "Events at or after: " + Values.TIME_ALLOWED)
    String from;

    @Option(name = "--to", description = "Events before: " + Values.TIME_ALLOWED)
    String to;

    @Option(name = "--user", description = "Only this user's calls (system: calls without a user)")
    String user;

    @Option(name = "--target", description = "Only calls about this volume or offering (its name as given)")
    String target;

    @Option(name = "--limit", description = "At most this many events, 1 to " + AuditQuery.MAX_LIMIT + " (default 100)")
    String limit;

    @Reference
    AuditLog audit;

    @Override
    public Object execute() {
        int n = 100;
        if (limit != null) {
            try {
                n = Integer.parseInt(limit.trim());
            } catch (NumberFormatException e) {
                throw StorageException.invalid("limit", "must be a whole number 1 to " + AuditQuery.MAX_LIMIT + " (was '" + limit + "')");
            }
        }
        Instant start = from == null ? null : Values.instant("from", from);
        Instant end = to == null ? null : Values.instant("to", to);
        List<AuditEvent> events = audit.events(new AuditQuery(start, end, user, target, n));
        PrintStream out = System.out;
        if (json) {
            JsonArray array = new JsonArray(out);
            events.forEach(array::add);
            array.end();
        } else {
            ShellTable table = Tables.of("No audit events", "AT", "USER", "OPERATION", "TARGET", "OUTCOME", "DETAIL");
            for (AuditEvent e : events) {
                table.addRow().addContent(e.at().toString(), Format.text(e.actor()), e.operation(), Format.text(e.target()),
                        e.outcome(), Format.text(e.detail()));
            }
            table.print(out);
        }
        return null;
    }
}
