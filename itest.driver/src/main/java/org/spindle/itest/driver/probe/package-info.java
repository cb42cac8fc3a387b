/**
 * What integration tests see of the test driver's in-memory SAN: {@link org.spindle.itest.driver.probe.TestSan},
 * registered beside each test {@code StorageDriver} with the same {@code storage.pool} property.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.spindle.itest.driver.probe;
