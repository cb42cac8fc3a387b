package org.spindle.storage.core.internal.registry;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Spindle hypervisor default limits",
        description = "Hypervisor limits given at attach to volumes whose offering sets none, for the attach services of one "
                + "hypervisor type. One factory configuration per type; without one, volumes of that type get no default. "
                + "0 = not set.")
public @interface TypeLimitsConfig {
    String PID = "org.spindle.storage.limits";

    @AttributeDefinition(name = "Hypervisor type", description = "The hypervisor.type of the attach services, e.g. kvm")
    String hypervisor_type();

    @AttributeDefinition(name = "Read IOPS", min = "0", required = false)
    long read_iops() default 0;

    @AttributeDefinition(name = "Write IOPS", min = "0", required = false)
    long write_iops() default 0;

    @AttributeDefinition(name = "Total IOPS", min = "0", required = false, description = "Not together with read/write IOPS")
    long total_iops() default 0;

    @AttributeDefinition(name = "Read bytes/s", min = "0", required = false)
    long read_bps() default 0;

    @AttributeDefinition(name = "Write bytes/s", min = "0", required = false)
    long write_bps() default 0;

    @AttributeDefinition(name = "Total bytes/s", min = "0", required = false, description = "Not together with read/write bytes/s")
    long total_bps() default 0;

    @AttributeDefinition(name = "Weight", min = "0", max = "1000", required = false,
            description = "The disk's priority, 1 (lowest) to 1000; 0 = the hypervisor's default. Only hypervisors that declare "
                    + "'weight' can take it: a default weight makes attaches through others fail")
    int weight() default 0;
}
