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

    @AttributeDefinition(name = "Call timeout (s)",
            description = "How long one operation on the host (attach, detach, a limit change, a lookup…) may take before it fails "
                    + "as UNAVAILABLE; more than the detach timeout")
    int call_timeout_seconds() default 30;

    @AttributeDefinition(name = "Keepalive interval (s)",
            description = "libvirt keepalive: a probe is sent after this many seconds without traffic (0: keepalive off)")
    int keepalive_interval_seconds() default 5;

    @AttributeDefinition(name = "Keepalive count",
            description = "libvirt keepalive: the connection is closed after this many unanswered probes")
    int keepalive_count() default 3;

    @AttributeDefinition(name = "Probe interval (s)",
            description = "How often the host is checked; an unreachable host takes its attach service away, with the reason, "
                    + "until it answers again")
    int probe_interval_seconds() default 10;

    @AttributeDefinition(name = "TLS CA certificates", required = false,
            description = "qemu+tls: the PEM certificate(s) of the CA that signed the host's libvirtd certificate")
    String tls_ca() default "";

    @AttributeDefinition(name = "TLS client certificate", required = false,
            description = "qemu+tls: this runtime's PEM client certificate, which the host's libvirtd admits")
    String tls_certificate() default "";

    @AttributeDefinition(name = "TLS client key", required = false, type = org.osgi.service.metatype.annotations.AttributeType.PASSWORD,
            description = "qemu+tls: the PEM private key of the client certificate (private: key .tls.key)")
    String _tls_key() default "";

    @AttributeDefinition(name = "SSH known hosts", required = false,
            description = "qemu+ssh: known_hosts lines for the host; only these host keys are accepted")
    String ssh_known_hosts() default "";

    @AttributeDefinition(name = "SSH key", required = false, type = org.osgi.service.metatype.annotations.AttributeType.PASSWORD,
            description = "qemu+ssh: the private key (OpenSSH or PEM) to log in with (private: key .ssh.key)")
    String _ssh_key() default "";
}
