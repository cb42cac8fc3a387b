package org.spindle.storage.api.attach;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;
import org.spindle.storage.api.RequireSpindleStorage;

/** Sets {@value AttachProperties#HYPERVISOR_TYPE} on an attach service component: {@code @HypervisorType("kvm")}. */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
@RequireSpindleStorage
public @interface HypervisorType {
    /** The hypervisor type, e.g. {@code kvm}. */
    String value();
}
