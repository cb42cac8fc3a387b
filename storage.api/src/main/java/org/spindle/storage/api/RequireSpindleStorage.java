package org.spindle.storage.api;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.annotation.bundle.Requirement;

/**
 * Requires the Spindle core ({@code osgi.implementation=spindle.storage}): a bundle that registers drivers
 * or attach services resolves only where something will use them. The property type annotations of this
 * API carry it, so a driver bundle gets it by using them.
 */
@Requirement(namespace = "osgi.implementation", name = RequireSpindleStorage.IMPLEMENTATION, version = "1.0.0")
@Retention(RetentionPolicy.CLASS)
@Target({java.lang.annotation.ElementType.TYPE, java.lang.annotation.ElementType.PACKAGE})
public @interface RequireSpindleStorage {
    /** The name of the implementation capability the Spindle core provides. */
    String IMPLEMENTATION = "spindle.storage";
}
