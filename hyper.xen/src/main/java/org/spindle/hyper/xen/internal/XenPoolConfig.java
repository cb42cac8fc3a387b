package org.spindle.hyper.xen.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** One XenServer / XCP-ng pool: a factory configuration {@value XenAttachService#FACTORY_PID}{@code ~<name>} each. */
@ObjectClassDefinition(name = "Spindle Xen pool",
        description = "A XenServer / XCP-ng pool reached through XenAPI on its master; registers one attach service for it.")
public @interface XenPoolConfig {

    @AttributeDefinition(name = "Pool name", description = "The pool as Spindle names it (service properties hypervisor.service and hypervisor.cluster)")
    String pool_name();

    @AttributeDefinition(name = "Master URL", description = "https://<pool master>/ (XenAPI XML-RPC); a master change is followed")
    String xen_url();

    @AttributeDefinition(name = "User", description = "XenAPI user (root or a pool-admin RBAC user)")
    String xen_user() default "root";

    @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD, description = "XenAPI password (private: never logged or shown)")
    String _xen_password();

    @AttributeDefinition(name = "Pinned certificate (SHA-256)", required = false,
            description = "SHA-256 of the pool's server certificate (64 hex digits, colons allowed). Either this or tls.truststore is required.")
    String tls_fingerprint_sha256() default "";

    @AttributeDefinition(name = "Trust store", required = false,
            description = "Path of a PKCS12/JKS trust store holding the pool's CA or certificate; the host name is verified.")
    String tls_truststore() default "";

    @AttributeDefinition(name = "Trust store password", type = AttributeType.PASSWORD, required = false)
    String _tls_truststore_password() default "";

    @AttributeDefinition(name = "Zone", required = false, description = "Zone of the pool (service property storage.zone)")
    String storage_zone() default "";

    @AttributeDefinition(name = "Static SRs", required = false,
            description = "name_labels of operator-made SRs offered as static Spindle pools (service property hypervisor.structures)")
    String[] static_srs() default {};

    @AttributeDefinition(name = "Refresh (s)", description = "How often the pool's hosts and initiators are read again")
    int refresh_seconds() default 60;

    @AttributeDefinition(name = "Reply timeout (s)", description = "How long one XenAPI call may take")
    int reply_timeout_seconds() default 120;
}
