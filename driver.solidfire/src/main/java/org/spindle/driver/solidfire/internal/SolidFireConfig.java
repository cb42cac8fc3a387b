package org.spindle.driver.solidfire.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * One SolidFire cluster = one pool. Factory PID {@value SolidFireDriverComponent#PID}; in Karaf, one file
 * {@code etc/org.spindle.driver.solidfire-<name>.cfg} per cluster. Keys with a leading dot are private:
 * they never become service properties.
 */
@ObjectClassDefinition(id = SolidFireDriverComponent.PID, name = "Spindle SolidFire cluster",
        description = "One SolidFire (Element) cluster served as one Spindle storage pool.")
public @interface SolidFireConfig {
    @AttributeDefinition(name = "MVIP", description = "Management address: host or host:port (default port 443).")
    String mvip();

    @AttributeDefinition(name = "SVIP", required = false,
            description = "Storage (iSCSI) address, host or host:port (default port 3260). Empty: GetClusterInfo's svip.")
    String svip() default "";

    @AttributeDefinition(name = "Cluster admin user")
    String username();

    @AttributeDefinition(name = "Cluster admin password", type = AttributeType.PASSWORD)
    String _password();

    @AttributeDefinition(name = "Element API version", required = false,
            description = "Pinned API version (e.g. 8.0, 12.3). Empty: GetAPI's currentVersion.")
    String api_version() default "";

    @AttributeDefinition(name = "Pinned certificate", required = false,
            description = "SHA-256 of the cluster's TLS certificate (64 hex digits, ':' allowed). "
                    + "Either this or tls.truststore is required.")
    String tls_fingerprint_sha256() default "";

    @AttributeDefinition(name = "Trust store", required = false,
            description = "Path of a PKCS12/JKS trust store holding the cluster's CA or certificate; the host name is verified.")
    String tls_truststore() default "";

    @AttributeDefinition(name = "Trust store password", type = AttributeType.PASSWORD, required = false)
    String _tls_truststore_password() default "";

    @AttributeDefinition(name = "Pool", description = "The Spindle pool this cluster serves (storage.pool).")
    String storage_pool();

    @AttributeDefinition(name = "Zone", description = "The zone the pool belongs to (storage.zone).")
    String storage_zone();

    @AttributeDefinition(name = "Storage tags", required = false, description = "Tags offerings select the pool by; "
            + "a list, or one comma-separated string.")
    String[] storage_tags() default {};

    @AttributeDefinition(name = "Capacity IOPS", description = "IOPS the pool offers; 0: GetClusterCapacity's maxIOPS.")
    long capacity_iops() default 0;

    @AttributeDefinition(name = "Default min IOPS", description = "When a volume asks none; 0: the cluster's GetDefaultQoS.")
    long qos_default_min_iops() default 0;

    @AttributeDefinition(name = "Default max IOPS", description = "When a volume asks none; 0: the cluster's GetDefaultQoS.")
    long qos_default_max_iops() default 0;

    @AttributeDefinition(name = "Default burst IOPS", description = "When a volume asks neither burst nor max; "
            + "0: max IOPS × burst factor.")
    long qos_default_burst_iops() default 0;

    @AttributeDefinition(name = "Burst factor", description = "burst IOPS = max IOPS × this, when no burst is given (≥ 1).")
    double burst_factor() default 1.5;

    @AttributeDefinition(name = "Max IOPS ceiling", description = "Largest max/burst IOPS volumes of this pool get; "
            + "0: the cluster's own (GetLimits volumeMaxIOPSMax: 100000, 200000 from Element 11). A larger value "
            + "than the cluster's has no effect.")
    long qos_max_iops_ceiling() default 0;

    @AttributeDefinition(name = "Account prefix", description = "Tenant t gets the SolidFire account <prefix>_<t>.")
    String account_prefix() default "spindle";

    @AttributeDefinition(name = "512e", description = "Create volumes with 512-byte sector emulation.")
    boolean enable512e() default true;

    @AttributeDefinition(name = "Target LUN", description = "LUN of a volume in its target. SolidFire serves LUN 0; "
            + "set 1 only for tgt-based test targets (the Spindle simulator).")
    int target_lun() default 0;

    @AttributeDefinition(name = "Connect timeout (ms)")
    long timeout_connect_ms() default 5_000;

    @AttributeDefinition(name = "Request timeout (ms)")
    long timeout_request_ms() default 30_000;

    @AttributeDefinition(name = "Retries", description = "Extra attempts after a transient failure.")
    int retry_count() default 5;

    @AttributeDefinition(name = "Retry backoff (ms)", description = "First wait before a retry; doubles, at most 10 s.")
    long retry_backoff_ms() default 500;

    @AttributeDefinition(name = "Largest reply (bytes)", description = "The longest JSON-RPC answer read from the "
            + "cluster (1 MiB to 1 GiB); a longer one is cut off and the call fails. The default, 64 MiB, holds the "
            + "driver's pages of 1,000 volumes 50 times over and unpaged listings of some 56,000 volumes.")
    long reply_max_bytes() default 64L << 20;
}
