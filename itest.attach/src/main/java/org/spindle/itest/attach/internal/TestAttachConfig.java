package org.spindle.itest.attach.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** One fake hypervisor host. */
@ObjectClassDefinition(name = "Spindle test hypervisor", description = "A hypervisor host for integration tests that records every call.")
@interface TestAttachConfig {
    @AttributeDefinition(description = "hypervisor.type of the service.", required = false)
    String hypervisor_type() default "test";

    @AttributeDefinition(description = "The host it plays.")
    String hypervisor_host();

    @AttributeDefinition(description = "The cluster of the host, if any.", required = false)
    String hypervisor_cluster() default "";

    @AttributeDefinition(description = "The zone.")
    String storage_zone();

    @AttributeDefinition(description = "Protocols it attaches; it refuses targets of any other.", required = false)
    String[] storage_protocols() default {"iscsi"};

    @AttributeDefinition(description = "Limits it enforces (iops, bps, read-write, total, burst, burst-length); it refuses limits of any other kind.", required = false)
    String[] hypervisor_limits() default {};

    @AttributeDefinition(description = "Initiator addresses of the host; default iqn.2026-11.org.spindle.test:host.<host>.", required = false)
    String[] hypervisor_initiators() default {};

    @AttributeDefinition(description = "Names of the VMs it runs.", required = false)
    String[] vms() default {};

    @AttributeDefinition(description = "Structures (static pools) it can create disks in; registered as hypervisor.structures.", required = false)
    String[] structures() default {};
}
