package org.spindle.storage.api;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Sets {@code storage.protocols} on a driver or attach service component, e.g.
 * {@code @StorageProtocols({Protocols.ISCSI})}.
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(java.lang.annotation.ElementType.TYPE)
@RequireSpindleStorage
public @interface StorageProtocols {
    String PREFIX_ = "storage.";

    /** The protocols, see {@link Protocols}. */
    String[] protocols();
}
