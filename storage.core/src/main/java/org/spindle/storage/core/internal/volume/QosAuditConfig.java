package org.spindle.storage.core.internal.volume;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(pid = QosAuditConfig.PID, name = "Spindle QoS audit and usage",
        description = "How the core keeps every volume's QoS true to its plan on the SAN and the hypervisor, and how often it "
                + "records usage for billing.")
public @interface QosAuditConfig {
    String PID = "org.spindle.storage.qos";

    @AttributeDefinition(name = "Audit interval (seconds)", description = "Time between two QoS audit passes over every ready "
            + "or attached volume; 0 audits only on demand (storage:qos-audit).")
    int audit_interval_seconds() default 300;

    @AttributeDefinition(name = "Audit mode", description = "report: drift is marked, logged and posted; heal: also the plan "
            + "is applied again and read back.", options = {@Option(label = "report", value = "report"), @Option(label = "heal", value = "heal")})
    String audit_mode() default "report";

    @AttributeDefinition(name = "Hypervisor reads per second", description = "At most this many disk limit reads per second in "
            + "a periodic pass (SANs are read once per pool and pass); 0 for no limit.")
    int audit_reads_per_second() default 20;

    @AttributeDefinition(name = "Usage period (seconds)", description = "The length of one usage record (3600: hourly); every "
            + "live volume is read once per period and at every change of size, QoS or attachment. At least 60.")
    int usage_period_seconds() default 3600;
}
