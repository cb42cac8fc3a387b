package org.spindle.storage.core.internal.audit;

import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.spindle.storage.api.audit.AuditEvent;
import org.spindle.storage.api.audit.AuditLog;
import org.spindle.storage.api.audit.AuditQuery;
import org.spindle.storage.core.internal.db.JdbcStore;

/** The audit trail as {@link AuditLog}: reads what {@link Auditor} recorded. */
@Component(service = AuditLog.class)
public class AuditService implements AuditLog {
    private final JdbcStore store;

    @Activate
    public AuditService(@Reference JdbcStore store) {
        this.store = store;
    }

    @Override
    public List<AuditEvent> events(AuditQuery query) {
        return store.audit().events(query);
    }
}
