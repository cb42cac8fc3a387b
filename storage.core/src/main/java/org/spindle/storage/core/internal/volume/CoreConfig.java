package org.spindle.storage.core.internal.volume;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Spindle core",
        description = "Hypervisor limits applied to volumes whose offering sets none (0 = no limit).")
public @interface CoreConfig {
    String PID = "org.spindle.storage.core";

    @AttributeDefinition(name = "Default read IOPS", min = "0")
    long default_read_iops() default 0;

    @AttributeDefinition(name = "Default write IOPS", min = "0")
    long default_write_iops() default 0;

    @AttributeDefinition(name = "Default total IOPS", min = "0")
    long default_total_iops() default 0;

    @AttributeDefinition(name = "Default read bytes/s", min = "0")
    long default_read_bps() default 0;

    @AttributeDefinition(name = "Default write bytes/s", min = "0")
    long default_write_bps() default 0;

    @AttributeDefinition(name = "Default total bytes/s", min = "0")
    long default_total_bps() default 0;
}
