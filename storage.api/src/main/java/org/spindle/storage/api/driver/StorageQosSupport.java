package org.spindle.storage.api.driver;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;
import org.spindle.storage.api.RequireSpindleStorage;

/**
 * Sets {@value DriverProperties#QOS} on a driver component: which storage QoS it enforces, e.g.
 * {@code @StorageQosSupport({"min-iops","max-iops","burst-iops"})}. Ranges the SAN accepts go in the
 * {@code storage.qos.*} properties, usually from configuration.
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(java.lang.annotation.ElementType.TYPE)
@RequireSpindleStorage
public @interface StorageQosSupport {
    String PREFIX_ = "storage.";

    /** Values of {@value DriverProperties#QOS}. */
    String[] qos();
}
