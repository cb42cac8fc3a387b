package org.spindle.storage.shell;

import java.util.ArrayList;
import java.util.List;

import org.spindle.storage.api.runtime.QosAudit;
import org.spindle.storage.api.runtime.QosAuditReport;

/** Records every call; answers with the report a test put in. */
class FakeQosAudit implements QosAudit {
    final List<String> calls = new ArrayList<>();
    QosAuditReport report;

    @Override
    public QosAuditReport audit(String volume) {
        calls.add("audit " + volume);
        return report;
    }

    @Override
    public QosAuditReport heal(String volume) {
        calls.add("heal " + volume);
        return report;
    }
}
