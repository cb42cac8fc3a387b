/**
 * The audit trail: every state-changing call of the volume and offering services, whoever made it (a shell user,
 * an embedding platform), with what, when and the outcome, as {@link org.spindle.storage.api.audit.AuditLog}
 * gives it and as EventAdmin events under {@value org.spindle.storage.api.audit.AuditEvent#TOPIC_PREFIX}.
 * Provided by the Spindle core.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.spindle.storage.api.audit;
