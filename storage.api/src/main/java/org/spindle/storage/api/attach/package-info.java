/**
 * The hypervisor attach SPI. A hypervisor bundle registers one
 * {@link org.spindle.storage.api.attach.HypervisorAttachService} per configured host or cluster, with the
 * properties of {@link org.spindle.storage.api.attach.AttachProperties}: its identity, hosts and initiators,
 * which hypervisor, where, which protocols it can attach and which limits it enforces. The core picks one
 * by LDAP filter over them. Optional capabilities are optional interfaces registered by the same object
 * ({@link org.spindle.storage.api.attach.StaticDisks}).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.spindle.storage.api.attach;
