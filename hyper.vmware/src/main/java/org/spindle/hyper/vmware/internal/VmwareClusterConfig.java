package org.spindle.hyper.vmware.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * One vSphere cluster (or standalone ESXi host) behind a vCenter: a factory configuration
 * {@value VmwareAttachService#FACTORY_PID}{@code ~<name>} each ({@code etc/org.spindle.hyper.vmware-<name>.cfg} in
 * Karaf). Hosts, their iSCSI initiators and VMs come from vCenter. Keys with a leading dot are private: they never
 * become service properties.
 */
@ObjectClassDefinition(id = VmwareAttachService.FACTORY_PID, name = "Spindle vSphere cluster",
        description = "A vSphere cluster (or standalone ESXi host) managed through vCenter; registers one attach service for it.")
public @interface VmwareClusterConfig {

    @AttributeDefinition(name = "Service name", description = "The service's identity in Spindle (hypervisor.service); "
            + "empty: the cluster name")
    String name() default "";

    @AttributeDefinition(name = "vCenter URL", description = "The SDK endpoint, e.g. https://vcenter.example.org/sdk")
    String vcenter_url();

    @AttributeDefinition(name = "vCenter user", description = "A vCenter user allowed to configure host storage and VMs")
    String vcenter_user();

    @AttributeDefinition(name = "vCenter password", type = AttributeType.PASSWORD)
    String _vcenter_password();

    @AttributeDefinition(name = "Pinned certificate", required = false,
            description = "SHA-256 fingerprint of vCenter's TLS certificate (32 hex pairs separated by ':'). "
                    + "Either this or tls.truststore is required.")
    String tls_fingerprint_sha256() default "";

    @AttributeDefinition(name = "Trust store", required = false,
            description = "Path of a PKCS12/JKS trust store holding vCenter's CA; the host name is verified.")
    String tls_truststore() default "";

    @AttributeDefinition(name = "Trust store password", type = AttributeType.PASSWORD, required = false)
    String _tls_truststore_password() default "";

    @AttributeDefinition(name = "Datacenter", description = "The datacenter's inventory name, e.g. DC0")
    String datacenter();

    @AttributeDefinition(name = "Cluster", description = "The cluster's name in the datacenter (or a standalone host's)")
    String cluster();

    @AttributeDefinition(name = "Zone", required = false, description = "Zone of the cluster (storage.zone); empty for none")
    String storage_zone() default "";

    @AttributeDefinition(name = "Static datastores", required = false,
            description = "Names of datastores the operator made, offered as static Spindle pools (hypervisor.structures): "
                    + "each volume is a VMDK in one of them")
    String[] structures() default {};

    @AttributeDefinition(name = "Call timeout (s)", description = "How long one vCenter call may take")
    int timeout_seconds() default 30;

    @AttributeDefinition(name = "Task timeout (s)", description = "How long a vCenter task (reconfiguring a VM) may take")
    int task_timeout_seconds() default 120;

    @AttributeDefinition(name = "Refresh (s)", description = "How often the hosts and their initiators are read "
            + "again, and datastores an attach left without its disk looked for (reported after two checks in a row)")
    int refresh_seconds() default 60;

    @AttributeDefinition(name = "Statistics (s)", description = "How often every attached disk's real-time I/O samples are "
            + "read from vCenter and added to its counters; under vCenter's hour of real-time history")
    int stats_seconds() default 600;
}
