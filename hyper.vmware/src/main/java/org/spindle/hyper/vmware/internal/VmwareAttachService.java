package org.spindle.hyper.vmware.internal;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spindle.hyper.vmware.internal.vim.SoapVSphere;
import org.spindle.hyper.vmware.internal.vim.VimConnection;
import org.spindle.storage.api.IoStats;
import org.spindle.storage.api.Protocols;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.attach.AttachProperties;
import org.spindle.storage.api.attach.AttachRequest;
import org.spindle.storage.api.attach.Attachment;
import org.spindle.storage.api.attach.HypervisorAttachService;
import org.spindle.storage.api.attach.HypervisorLimit;
import org.spindle.storage.api.attach.HypervisorLimits;
import org.spindle.storage.api.attach.HypervisorType;
import org.spindle.storage.api.attach.StaticDiskRequest;
import org.spindle.storage.api.attach.StaticDisks;
import org.spindle.storage.api.attach.VmInfo;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.runtime.RejectionReporter;

/**
 * The attach service of one vSphere cluster, one per factory configuration {@value #FACTORY_PID}.
 *
 * <p>Its hosts and their initiator IQNs come from vCenter, so the service registers itself (as
 * {@link HypervisorAttachService}) once it has read them, and reads them again every {@code refresh.seconds},
 * updating {@value AttachProperties#HOSTS} and {@value AttachProperties#INITIATORS} when they change. Until vCenter
 * has answered once, nothing is registered. One vCenter session is kept and reused; deactivation logs out. An
 * invalid configuration registers nothing and is reported to the core's {@link RejectionReporter} with its key.
 *
 * <p>Limits: vSphere enforces one IOPS limit per disk over reads and writes ({@code storageIOAllocation.limit}) and
 * relative shares; no bandwidth cap and no burst.
 */
@Component(configurationPid = VmwareAttachService.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
@Designate(ocd = VmwareClusterConfig.class, factory = true)
@HypervisorType(VmwareAttachService.TYPE)
@HypervisorLimits({HypervisorLimit.IOPS, HypervisorLimit.TOTAL, HypervisorLimit.WEIGHT})
public class VmwareAttachService implements HypervisorAttachService, StaticDisks {
    public static final String FACTORY_PID = "org.spindle.hyper.vmware";
    public static final String TYPE = "vmware";
    private static final Logger LOG = LoggerFactory.getLogger(VmwareAttachService.class);

    private final String pid;
    private final RejectionReporter rejections;
    private final BundleContext context;
    private final Map<String, Object> componentProperties;
    private final ClusterSettings settings;
    private final VSphere vsphere;
    private final VmwareCluster cluster;
    private final DiskStats stats;
    private final ScheduledExecutorService refresher;
    private ServiceRegistration<?> registration;
    private List<VSphere.Host> published = List.of();
    private List<String> publishedDrift = List.of();

    @Activate
    public VmwareAttachService(BundleContext context, VmwareClusterConfig config, Map<String, Object> properties,
                               @Reference(name = "rejections", cardinality = ReferenceCardinality.OPTIONAL,
                                       policyOption = ReferencePolicyOption.GREEDY) RejectionReporter rejections) {
        this.pid = String.valueOf(properties.get("service.pid"));
        this.rejections = rejections;
        this.context = context;
        this.componentProperties = Map.copyOf(properties);
        ClusterSettings s;
        try {
            s = ClusterSettings.of(config, properties);
        } catch (StorageException e) {
            LOG.error("vSphere cluster configuration {} refused: {}", pid, e.getMessage());
            if (rejections != null) {
                rejections.rejected(RejectionReporter.Kind.ATTACH_SERVICE, pid, context.getBundle().getSymbolicName(), TYPE,
                        e.getMessage());
            }
            this.settings = null;
            this.vsphere = null;
            this.cluster = null;
            this.stats = null;
            this.refresher = null;
            return;
        }
        if (rejections != null) {
            rejections.cleared(pid);
        }
        this.settings = s;
        this.vsphere = new SoapVSphere(new VimConnection(s.url(), s.trust(), s.user(), s.password(), s.timeout()), s.datacenter(),
                s.cluster(), s.taskTimeout());
        this.cluster = new VmwareCluster(vsphere, s.cluster(), s.structures());
        java.io.File kept = context.getDataFile("disk-counters-" + s.name() + ".txt");
        this.stats = new DiskStats(vsphere, cluster, new DiskCounters(kept == null ? null : kept.toPath()));
        this.refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "spindle-vmware-" + s.name());
            t.setDaemon(true);
            return t;
        });
        refresher.scheduleWithFixedDelay(this::refresh, 0, s.refresh().toSeconds(), TimeUnit.SECONDS);
        refresher.scheduleWithFixedDelay(this::sampleStats, s.stats().toSeconds(), s.stats().toSeconds(), TimeUnit.SECONDS);
    }

    /** Over {@code cluster} alone, without OSGi, registration or refresh: what the SPI's callers see, for tests. */
    VmwareAttachService(VmwareCluster cluster) {
        this.pid = "test";
        this.rejections = null;
        this.context = null;
        this.componentProperties = Map.of();
        this.settings = null;
        this.vsphere = null;
        this.cluster = cluster;
        this.stats = null;
        this.refresher = null;
    }

    /** Adds every attached disk's new real-time samples to its counters before vCenter drops them. */
    void sampleStats() {
        if (registration == null) {
            return;
        }
        try {
            stats.sampleAll();
        } catch (RuntimeException e) {
            LOG.warn("vSphere cluster {}: reading the disks' I/O samples failed: {}", settings.name(), e.getMessage());
        }
    }

    /**
     * Reads the hosts from vCenter and registers, or updates, the service with them, and with the leftover datastores
     * found ({@link DatastoreLeftovers}, in {@value AttachProperties#DRIFT}).
     */
    void refresh() {
        List<VSphere.Host> hosts;
        try {
            hosts = vsphere.hosts();
        } catch (RuntimeException e) {
            LOG.warn("vSphere cluster {}: cannot read the hosts from {}: {}", settings.name(), settings.url().getHost(), e.getMessage());
            return;
        }
        List<String> drift;
        try {
            drift = cluster.leftovers().check(hosts);
        } catch (RuntimeException e) {
            LOG.warn("vSphere cluster {}: cannot look for leftover datastores: {}", settings.name(), e.getMessage());
            drift = cluster.leftovers().lines();
        }
        synchronized (this) {
            if (refresher.isShutdown() || hosts.equals(published) && drift.equals(publishedDrift) && registration != null) {
                return;
            }
            published = List.copyOf(hosts);
            publishedDrift = drift;
            Dictionary<String, Object> p = serviceProperties(settings, componentProperties, hosts, drift);
            if (registration == null) {
                registration = context.registerService(serviceInterfaces(settings), this, p);
                LOG.info("vSphere attach service {} for cluster {} of {} registered ({} hosts)", settings.name(), settings.cluster(),
                        settings.url().getHost(), hosts.size());
            } else {
                registration.setProperties(p);
                LOG.info("vSphere attach service {}: hosts now {}, {} leftover datastore(s)", settings.name(),
                        hosts.stream().map(VSphere.Host::name).toList(), drift.size());
            }
        }
    }

    /** The attach service, and static disks too when datastores are configured (the same object under both). */
    static String[] serviceInterfaces(ClusterSettings s) {
        return s.structures().isEmpty() ? new String[] {HypervisorAttachService.class.getName()}
                : new String[] {HypervisorAttachService.class.getName(), StaticDisks.class.getName()};
    }

    static Dictionary<String, Object> serviceProperties(ClusterSettings s, Map<String, Object> componentProperties,
                                                        List<VSphere.Host> hosts, List<String> drift) {
        Hashtable<String, Object> p = new Hashtable<>();
        p.put(AttachProperties.HYPERVISOR_TYPE, componentProperties.getOrDefault(AttachProperties.HYPERVISOR_TYPE, TYPE));
        Object limits = componentProperties.get(AttachProperties.LIMITS);
        if (limits != null) {
            p.put(AttachProperties.LIMITS, limits);
        }
        p.put(AttachProperties.SERVICE, s.name());
        p.put(AttachProperties.CLUSTER, s.cluster());
        p.put(AttachProperties.HOSTS, hosts.stream().map(VSphere.Host::name).toArray(String[]::new));
        p.put(AttachProperties.INITIATORS, hosts.stream().map(VSphere.Host::iqn).filter(i -> !i.isEmpty()).toArray(String[]::new));
        if (!s.zone().isEmpty()) {
            p.put(AttachProperties.ZONE, s.zone());
        }
        if (s.structures().isEmpty()) {
            p.put(AttachProperties.PROTOCOLS, new String[] {Protocols.ISCSI});
        } else {
            p.put(AttachProperties.PROTOCOLS, new String[] {Protocols.ISCSI, Protocols.FILE});
            p.put(AttachProperties.STRUCTURES, s.structures().toArray(String[]::new));
        }
        p.put("vcenter.url", s.url().toString());
        p.put("vcenter.datacenter", s.datacenter());
        p.put(AttachProperties.DRIFT, drift.toArray(String[]::new));
        return p;
    }

    @Deactivate
    void deactivate() {
        if (refresher != null) {
            refresher.shutdownNow();
        }
        synchronized (this) {
            if (registration != null) {
                try {
                    registration.unregister();
                } catch (IllegalStateException e) {
                    // already gone with the bundle
                }
                registration = null;
            }
        }
        if (vsphere != null) {
            vsphere.close();
        }
        if (rejections != null) {
            rejections.cleared(pid);
        }
    }

    private VmwareCluster cluster() {
        if (cluster == null) {
            throw new StorageException(StorageException.Reason.UNAVAILABLE, "vSphere cluster configuration " + pid + " was refused");
        }
        return cluster;
    }

    @Override
    public Optional<VmInfo> findVm(String vm) {
        return VimFaults.translated("finding VM " + vm, () -> cluster().findVm(vm));
    }

    @Override
    public Attachment attach(AttachRequest request) {
        return VimFaults.translated("attach of volume " + request.volumeId(), () -> cluster().attach(request));
    }

    @Override
    public void detach(Attachment attachment, Target target) {
        VimFaults.run("detach of volume " + attachment.volumeId(), () -> cluster().detach(attachment, target));
    }

    @Override
    public void changeLimits(Attachment attachment, IoLimits limits) {
        VimFaults.run("limits change of volume " + attachment.volumeId(), () -> cluster().changeLimits(attachment, limits));
    }

    @Override
    public void grow(Attachment attachment, long newSizeBytes) {
        VimFaults.run("grow of volume " + attachment.volumeId(), () -> cluster().grow(attachment, newSizeBytes));
    }

    @Override
    public Attachment updateHosts(Attachment attachment, Target target) {
        return VimFaults.translated("host update of volume " + attachment.volumeId(), () -> cluster().updateHosts(attachment, target));
    }

    @Override
    public List<Attachment> attachments() {
        return VimFaults.translated("listing the disks", () -> cluster().attachments());
    }

    @Override
    public Target createDisk(StaticDiskRequest request) {
        return VimFaults.translated("creating a static disk", () -> cluster().createDisk(request));
    }

    @Override
    public void deleteDisk(Target disk) {
        VimFaults.run("deleting a static disk", () -> cluster().deleteDisk(disk));
    }

    /**
     * Cumulative counters made from vCenter's real-time samples of the disk (see {@link DiskStats}): vSphere gives
     * per-interval averages only, so the service adds them up, and keeps the totals across restarts.
     */
    @Override
    public IoStats diskStats(Attachment attachment) {
        cluster();
        return VimFaults.translated("reading the I/O counters of volume " + attachment.volumeId(), () -> stats.read(attachment));
    }

    /** The disk's IOPS limit and shares as vCenter has them now (read back, whoever set them). */
    @Override
    public IoLimits limits(Attachment attachment) {
        return VimFaults.translated("reading the limits of volume " + attachment.volumeId(), () -> cluster().limits(attachment));
    }

    /**
     * Where the volume's disk is on a VM of the cluster. A half-made attach (datastore, no disk) is not an
     * attachment: {@link #attachments()} lists it for the core's sweep to detach.
     */
    @Override
    public Optional<Attachment> findAttachment(UUID volumeId) {
        return VimFaults.translated("finding the disk of volume " + volumeId, () -> cluster().findAttachment(volumeId));
    }
}
