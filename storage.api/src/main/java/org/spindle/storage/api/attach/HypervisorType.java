package org.spindle.storage.api.attach;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;
import org.spindle.storage.api.RequireSpindleStorage;

/** Sets {@value AttachProperties#HYPERVISOR_TYPE}, e.g. {@code @HypervisorType("kvm")}. */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(java.lang.annotation.ElementType.TYPE)
@RequireSpindleStorage
public @interface HypervisorType {
    String PREFIX_ = "hypervisor.";

    String type();
}
