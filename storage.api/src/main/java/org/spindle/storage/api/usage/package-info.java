/**
 * Usage records for billing: per volume and period, the allocated bytes, the IOPS that were in effect and the
 * I/O done, as {@link org.spindle.storage.api.usage.UsageService} gives them. Provided by the Spindle core.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.spindle.storage.api.usage;
