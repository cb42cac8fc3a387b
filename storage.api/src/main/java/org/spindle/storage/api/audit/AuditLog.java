package org.spindle.storage.api.audit;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** The audit trail, as stored in Spindle's database. Provided by the Spindle core. */
@ProviderType
public interface AuditLog {
    /** The events the query selects, newest first. */
    List<AuditEvent> events(AuditQuery query);
}
