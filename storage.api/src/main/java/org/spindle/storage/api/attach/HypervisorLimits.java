package org.spindle.storage.api.attach;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;
import org.spindle.storage.api.RequireSpindleStorage;

/**
 * Sets {@value AttachProperties#LIMITS} on an attach service component:
 * <pre>{@code @HypervisorLimits({HypervisorLimit.IOPS, HypervisorLimit.TOTAL})}</pre>
 * An empty array declares that the service enforces no limit.
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
@RequireSpindleStorage
public @interface HypervisorLimits {
    /** The limits the service enforces. */
    HypervisorLimit[] value();
}
