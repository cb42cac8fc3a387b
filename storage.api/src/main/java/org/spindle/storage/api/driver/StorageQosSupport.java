package org.spindle.storage.api.driver;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;
import org.spindle.storage.api.RequireSpindleStorage;

/**
 * Sets {@value DriverProperties#QOS} on a driver component: which storage QoS it enforces.
 * <pre>{@code @StorageQosSupport(qos = {StorageQosCapability.MIN_IOPS, StorageQosCapability.MAX_IOPS})}</pre>
 * Ranges the SAN accepts go in the {@code storage.qos.*} properties, usually from configuration.
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
@RequireSpindleStorage
public @interface StorageQosSupport {
    /** Prefix of the property name: the element {@code qos} sets {@code storage.qos}. */
    String PREFIX_ = "storage.";

    /** The QoS the SAN enforces. */
    StorageQosCapability[] qos();
}
