package org.spindle.hyper.kvm.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** One KVM host: a factory configuration {@value KvmAttachService#FACTORY_PID}{@code ~<name>} each. */
@ObjectClassDefinition(name = "Spindle KVM host",
        description = "A KVM host reached through libvirt; registers one attach service for it.")
public @interface KvmHostConfig {

    @AttributeDefinition(name = "libvirt URI",
            description = "qemu:///system locally, qemu+ssh://user@host/system or qemu+tls://host/system remotely")
    String libvirt_uri() default "qemu:///system";

    @AttributeDefinition(name = "Host name", description = "The host as Spindle names it (service properties hypervisor.service and hypervisor.hosts)")
    String hypervisor_host();

    @AttributeDefinition(name = "Zone", description = "Zone of the host (service property storage.zone); empty for none", required = false)
    String storage_zone() default "";

    @AttributeDefinition(name = "Initiator IQN",
            description = "The iSCSI initiator name QEMU logs in with; the core grants it access (service property hypervisor.initiators)")
    String initiator_iqn();

    @AttributeDefinition(name = "Disk bus",
            description = "scsi (a virtio-scsi controller is added to the domain when it has no SCSI controller) or virtio "
                    + "(virtio-blk: live detach needs a guest that releases the disk)",
            options = {@org.osgi.service.metatype.annotations.Option(value = "scsi"),
                    @org.osgi.service.metatype.annotations.Option(value = "virtio")})
    String disk_bus() default "scsi";

    @AttributeDefinition(name = "Static structures", required = false,
            description = "Names of libvirt storage pools the operator made, offered as static Spindle pools (service property hypervisor.structures)")
    String[] structures() default {};

    @AttributeDefinition(name = "Connect timeout (s)", description = "How long opening the libvirt connection may take")
    int connect_timeout_seconds() default 15;

    @AttributeDefinition(name = "Detach timeout (s)", description = "How long to wait for a detached disk to leave the running domain")
    int detach_timeout_seconds() default 10;
}
