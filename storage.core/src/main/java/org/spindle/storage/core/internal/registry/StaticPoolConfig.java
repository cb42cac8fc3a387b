package org.spindle.storage.core.internal.registry;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Spindle static pool",
        description = "Storage the operator prepared (a libvirt pool, an SR, a datastore): Spindle creates disks inside "
                + "it through the attach services that declare the structure. One configuration per pool.")
public @interface StaticPoolConfig {
    String PID = "org.spindle.storage.pool.static";

    @AttributeDefinition(name = "Pool name")
    String name();

    @AttributeDefinition(name = "Zone")
    String zone();

    @AttributeDefinition(name = "Storage tags", required = false)
    String[] tags() default {};

    @AttributeDefinition(name = "Structure", description = "The name of the hypervisor structure (hypervisor.structures of the attach services)")
    String structure();

    @AttributeDefinition(name = "Protocol", description = "How its disks are attached", required = false)
    String protocol() default "file";

    @AttributeDefinition(name = "Capacity (bytes)", required = false)
    long capacity_bytes() default 0;
}
