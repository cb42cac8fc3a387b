/**
 * Introspection of a running Spindle: which drivers and attach services are bound, which were rejected and
 * why (failures are data), and the pools. Provided by the core.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.spindle.storage.api.runtime;
