/**
 * The storage driver SPI. A vendor bundle registers one {@link org.spindle.storage.api.driver.StorageDriver}
 * service per configured SAN (one factory configuration each); the service's properties, named in
 * {@link org.spindle.storage.api.driver.DriverProperties}, say which pool it serves and what it can do.
 * The core tracks these services, creates the pool when one appears and marks it unavailable when it goes.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.spindle.storage.api.driver;
