package org.spindle.storage.api.driver;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;
import org.spindle.storage.api.RequireSpindleStorage;

/** Sets {@value DriverProperties#TYPE} on a driver component, e.g. {@code @StorageDriverType("solidfire")}. */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(java.lang.annotation.ElementType.TYPE)
@RequireSpindleStorage
public @interface StorageDriverType {
    String PREFIX_ = "storage.driver.";

    /** The driver type. */
    String type();
}
