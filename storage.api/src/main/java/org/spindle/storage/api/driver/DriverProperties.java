package org.spindle.storage.api.driver;

/**
 * Names of the service properties a {@link StorageDriver} registers with. The core selects drivers by LDAP
 * filters over them; see also the component property types in this package.
 */
public final class DriverProperties {
    /** The pool the driver serves; unique among drivers (String). */
    public static final String POOL = "storage.pool";
    /** The driver's kind, e.g. {@code solidfire} (String). */
    public static final String TYPE = "storage.driver.type";
    /** The zone the pool belongs to (String). */
    public static final String ZONE = "storage.zone";
    /** Storage tags that offerings select the pool by (String[]). */
    public static final String TAGS = "storage.tags";
    /** Protocols the targets speak, see {@link org.spindle.storage.api.Protocols} (String[]). */
    public static final String PROTOCOLS = "storage.protocols";
    /** Whether the driver creates one SAN volume per Spindle volume (Boolean, default true). */
    public static final String MANAGED = "storage.managed";
    /** Storage QoS the driver enforces: {@link StorageQosCapability} tokens (String[]). */
    public static final String QOS = "storage.qos";
    /** Smallest min IOPS the SAN accepts (Long). */
    public static final String QOS_MIN_IOPS_FLOOR = "storage.qos.min-iops.floor";
    /** Largest min IOPS the SAN accepts (Long). */
    public static final String QOS_MIN_IOPS_CEILING = "storage.qos.min-iops.ceiling";
    /** Smallest max and burst IOPS the SAN accepts (Long). */
    public static final String QOS_MAX_IOPS_FLOOR = "storage.qos.max-iops.floor";
    /** Largest max and burst IOPS the SAN accepts (Long). */
    public static final String QOS_MAX_IOPS_CEILING = "storage.qos.max-iops.ceiling";
    /** Smallest volume the SAN creates, in bytes (Long); the core refuses smaller volumes for the pool. */
    public static final String VOLUME_SIZE_MIN = "storage.volume.size.min";

    private DriverProperties() {
    }
}
