/**
 * What integration tests see of a test attach service: {@link org.spindle.itest.attach.probe.TestHypervisor},
 * registered by the same object and with the same properties as the {@code HypervisorAttachService} it plays
 * ({@code hypervisor.service}, {@code hypervisor.hosts}, {@code storage.zone}, …). Find the one of service
 * {@code c1} with {@code (hypervisor.service=c1)}, the one that manages host {@code h1} with
 * {@code (hypervisor.hosts=h1)}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.spindle.itest.attach.probe;
