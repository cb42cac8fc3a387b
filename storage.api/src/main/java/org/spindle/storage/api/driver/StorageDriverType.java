package org.spindle.storage.api.driver;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;
import org.spindle.storage.api.RequireSpindleStorage;

/** Sets {@value DriverProperties#TYPE} on a driver component: {@code @StorageDriverType("solidfire")}. */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
@RequireSpindleStorage
public @interface StorageDriverType {
    /** The driver type. */
    String value();
}
