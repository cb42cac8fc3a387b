package org.spindle.storage.api.runtime;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Keeps both sides of every volume's QoS true to its plan over time. A pass reads back each attached or ready
 * volume's QoS from its SAN (one listing per pool) and its hypervisor (one read per attached disk), compares
 * them with the plan, marks and reports each difference as a {@link org.spindle.storage.api.qos.QosDrift}
 * (event {@value org.spindle.storage.api.qos.QosEvents#DRIFT}), and, when healing, applies the plan again and
 * reads it back. The core runs a pass periodically (configuration {@code org.spindle.storage.qos}); the mode,
 * report-only or heal, is set there. Provided by the Spindle core.
 *
 * @since 1.1
 */
@ProviderType
public interface QosAudit {
    /**
     * Audits one volume (name or id), or every volume when {@code volume} is {@code null}, healing if the
     * configured mode says so.
     */
    QosAuditReport audit(String volume);

    /** As {@link #audit(String)}, but heals what drifted whatever the configured mode. */
    QosAuditReport heal(String volume);
}
