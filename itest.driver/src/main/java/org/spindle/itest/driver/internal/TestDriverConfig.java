package org.spindle.itest.driver.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * One fake SAN. Every key is also a service property of the driver (Config Admin → DS), so
 * {@code storage.tags}, {@code storage.protocols}, {@code storage.qos} or {@code storage.driver.type} set
 * here override the component's defaults ({@code test}, {@code iscsi}, {@code MIN_IOPS,MAX_IOPS,BURST_IOPS}), and
 * {@code storage.volume.size.min} or {@code storage.qos.*} ranges set here are advertised as they are (the SAN
 * also refuses a volume below {@code storage.volume.size.min}).
 */
@ObjectClassDefinition(name = "Spindle test storage driver", description = "An in-memory SAN for integration tests.")
@interface TestDriverConfig {
    @AttributeDefinition(description = "The pool this SAN serves (unique).")
    String storage_pool();

    @AttributeDefinition(description = "The pool's zone.", required = false)
    String storage_zone() default "";

    @AttributeDefinition(description = "Storage tags offerings select the pool by.", required = false)
    String[] storage_tags() default {};

    @AttributeDefinition(description = "Usable bytes.", required = false)
    long capacity_bytes() default 1L << 40;

    @AttributeDefinition(description = "IOPS the SAN can deliver.", required = false)
    long capacity_iops() default 100_000;

    @AttributeDefinition(description = "The portals targets are handed out with, in order: host, host:port or [ipv6]:port.",
            required = false)
    String[] target_portals() default {"127.0.0.1:3260"};

    @AttributeDefinition(description = "Milliseconds every StorageDriver call waits before it runs (outside the SAN's lock, so "
            + "concurrent calls wait together), as a real SAN's round trip; 0 (the default) answers at once.", required = false)
    long call_latency_ms() default 0;
}
