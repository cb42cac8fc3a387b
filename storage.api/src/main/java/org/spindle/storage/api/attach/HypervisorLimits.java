package org.spindle.storage.api.attach;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;
import org.spindle.storage.api.RequireSpindleStorage;

/**
 * Sets {@value AttachProperties#LIMITS}, e.g. {@code @HypervisorLimits({"iops","bps","read-write","total"})}.
 * An empty array declares that the service enforces no limit.
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(java.lang.annotation.ElementType.TYPE)
@RequireSpindleStorage
public @interface HypervisorLimits {
    String PREFIX_ = "hypervisor.";

    String[] limits();
}
