package org.spindle.itest.attach.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** One fake hypervisor host or cluster. */
@ObjectClassDefinition(name = "Spindle test hypervisor",
        description = "A hypervisor host or cluster for integration tests that records every call.")
@interface TestAttachConfig {
    @AttributeDefinition(description = "hypervisor.type of the service.", required = false)
    String hypervisor_type() default "test";

    @AttributeDefinition(description = "Its identity; default hypervisor.cluster if set, else the first host.", required = false)
    String hypervisor_service() default "";

    @AttributeDefinition(description = "The hosts it manages now (one for a host, every member for a cluster).", required = false)
    String[] hypervisor_hosts() default {};

    @AttributeDefinition(description = "The one host it manages, read when hypervisor.hosts is not set (the older key).", required = false)
    String hypervisor_host() default "";

    @AttributeDefinition(description = "The cluster it manages, if any.", required = false)
    String hypervisor_cluster() default "";

    @AttributeDefinition(description = "The zone.")
    String storage_zone();

    @AttributeDefinition(description = "Protocols it attaches; it refuses targets of any other.", required = false)
    String[] storage_protocols() default {"iscsi"};

    @AttributeDefinition(description = "Limits it enforces (iops, bps, read-write, total, burst, burst-length, weight, or "
            + "the constant names); it refuses limits of any other kind. Unknown tokens are advertised as given and enforce nothing.",
            required = false)
    String[] hypervisor_limits() default {};

    @AttributeDefinition(description = "Initiator addresses of its hosts; default iqn.2026-11.org.spindle.test:host.<host> for every host.",
            required = false)
    String[] hypervisor_initiators() default {};

    @AttributeDefinition(description = "The VMs it runs: name (on the first host) or name@host.", required = false)
    String[] vms() default {};

    @AttributeDefinition(description = "Structures (static pools) it can create disks in; registered as hypervisor.structures, "
            + "and the service then also registers as StaticDisks.", required = false)
    String[] structures() default {};

    @AttributeDefinition(description = "A directory where the test hypervisor keeps its disks across restarts of the runtime and "
            + "where tests arm crash points (see StateDir); empty: in memory only.", required = false)
    String state_dir() default "";

    @AttributeDefinition(description = "Milliseconds every call of the service waits before it runs (outside the hypervisor's "
            + "lock, so concurrent calls wait together), as a real hypervisor's round trip; 0 (the default) answers at once.",
            required = false)
    long call_latency_ms() default 0;
}
