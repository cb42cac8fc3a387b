package org.spindle.storage.api.attach;

/**
 * Names of the service properties a {@link HypervisorAttachService} registers with. The core selects
 * attach services by LDAP filters over them and never by hypervisor type in code.
 */
public final class AttachProperties {
    /** {@code kvm}, {@code xen}, {@code vmware}, … (String; an open vocabulary). */
    public static final String HYPERVISOR_TYPE = "hypervisor.type";
    /**
     * The service's stable identity (String), unique among attach services: the name of the host or cluster
     * configuration it was made from. The core records it with every attachment and routes every later call
     * for that attachment by it (a VM may move between the hosts of one service). When absent, the core uses
     * {@link #CLUSTER}, else the first of {@link #HOSTS}.
     */
    public static final String SERVICE = "hypervisor.service";
    /** The hosts the service manages now (String[]): one for a single host, every member for a cluster. */
    public static final String HOSTS = "hypervisor.hosts";
    /** The cluster (Xen pool, vSphere cluster) the service manages, if it manages one (String). */
    public static final String CLUSTER = "hypervisor.cluster";
    /** The zone (String). */
    public static final String ZONE = "storage.zone";
    /** Protocols it can attach (String[]), see {@link org.spindle.storage.api.Protocols}. */
    public static final String PROTOCOLS = "storage.protocols";
    /**
     * The initiator addresses (iSCSI IQNs, FC WWPNs) of every host of the service now (String[]). The core
     * grants them access to a volume, as one group named after {@link #SERVICE}, before it attaches the volume
     * here; when they change (a host joins or leaves) the core grants the new set for every volume attached
     * through the service and calls {@link HypervisorAttachService#updateHosts}.
     */
    public static final String INITIATORS = "hypervisor.initiators";
    /**
     * Names of operator-made structures (a libvirt pool, an SR, a datastore) it can create disks in (String[]);
     * a service that declares any also registers as {@link StaticDisks}.
     */
    public static final String STRUCTURES = "hypervisor.structures";
    /** Limits it enforces (String[]): {@link HypervisorLimit} tokens; none means it enforces no limit. */
    public static final String LIMITS = "hypervisor.limits";
    /**
     * What the service found changed outside Spindle (String[], empty: nothing): one line per finding, each
     * starting with the volume's UUID when it concerns a Spindle disk, e.g.
     * {@code "<uuid> disk detached outside Spindle from vm web1"}. The core shows it on the volume.
     * <p>A line {@code "<volume uuid> <vm id> leftover: <what>"} reports something an interrupted attach left that no
     * disk uses (a CHAP secret, an SR, a datastore): the core clears it with a {@link HypervisorAttachService#detach}
     * of an attachment with an empty device, once the volume is this installation's, not attached to that VM and has
     * no operation in flight.
     * <p>A leftover that belongs to no VM (an SR or a datastore made for a volume, with no disk on it: an attach whose
     * call acted after the attach had been given up) has {@value #NO_VM} for the vm id. The core clears it only while
     * the volume has no attachment and no operation in flight ({@code READY}, {@code ALLOCATED} or {@code DESTROYED}) as
     * read right before the call, with a detach of an attachment whose vm id is {@value #NO_VM}; the service then removes
     * the structure only, and only if still no disk uses it (never a disk, whatever its VM).
     *
     * @since 1.1
     */
    public static final String DRIFT = "hypervisor.drift";
    /**
     * The vm id of a {@link #DRIFT} leftover that belongs to no VM, and of the {@link Attachment} the core clears it
     * with.
     *
     * @since 1.1
     */
    public static final String NO_VM = "-";

    private AttachProperties() {
    }
}
