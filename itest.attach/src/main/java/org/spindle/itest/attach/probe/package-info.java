/**
 * What integration tests see of a test hypervisor: {@link org.spindle.itest.attach.probe.TestHypervisor},
 * registered beside each test {@code HypervisorAttachService} with the same properties
 * ({@code hypervisor.host}, {@code storage.zone}, …).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.spindle.itest.attach.probe;
