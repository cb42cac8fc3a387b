package org.spindle.storage.api.attach;

/** Names and values of the service properties a {@link HypervisorAttachService} registers with. */
public final class AttachProperties {
    /** {@code kvm}, {@code xen}, {@code vmware}, … (String). */
    public static final String HYPERVISOR_TYPE = "hypervisor.type";
    /** The host the service manages (String); a service for a cluster sets {@link #CLUSTER} instead or too. */
    public static final String HOST = "hypervisor.host";
    /** The cluster the service manages (String). */
    public static final String CLUSTER = "hypervisor.cluster";
    /** The zone (String). */
    public static final String ZONE = "storage.zone";
    /** Protocols it can attach (String[]). */
    public static final String PROTOCOLS = "storage.protocols";
    /**
     * The initiator addresses (iSCSI IQNs, FC WWPNs) of the host or of every host of the cluster (String[]):
     * the core grants each of them access to a volume before it attaches it here.
     */
    public static final String INITIATORS = "hypervisor.initiators";
    /** Names of operator-made structures it can create static disks in (String[]). */
    public static final String STRUCTURES = "hypervisor.structures";
    /** Limits it enforces: any of the {@code LIMIT_*} values (String[]); none means it enforces no limit. */
    public static final String LIMITS = "hypervisor.limits";

    /** It limits operations per second. */
    public static final String LIMIT_IOPS = "iops";
    /** It limits bytes per second. */
    public static final String LIMIT_BPS = "bps";
    /** It limits reads and writes separately. */
    public static final String LIMIT_READ_WRITE = "read-write";
    /** It limits reads plus writes together. */
    public static final String LIMIT_TOTAL = "total";
    /** It allows bursts above a limit. */
    public static final String LIMIT_BURST = "burst";
    /** It bounds how long a burst lasts. */
    public static final String LIMIT_BURST_LENGTH = "burst-length";

    private AttachProperties() {
    }
}
