package org.spindle.storage.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Sets {@code storage.protocols} (the name comes from this type's name, as for every single-element
 * component property type) on a driver or attach service component:
 * <pre>{@code @StorageProtocols(Protocols.ISCSI)}</pre>
 * The vocabulary is open, see {@link Protocols}.
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
@RequireSpindleStorage
public @interface StorageProtocols {
    /** The protocols. */
    String[] value();
}
