package org.spindle.hyper.xen.internal;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
 * The attach service of one XenServer / XCP-ng pool, one per factory configuration {@value #FACTORY_PID}. The hosts
 * and their initiators are read from the pool (at start and every {@code refresh.seconds}); the service registers
 * once the pool answers, and its properties follow the pool's membership. An invalid configuration, or a pool
 * that does not answer, is reported to the core's {@link RejectionReporter}.
 */
@Component(configurationPid = XenAttachService.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
@Designate(ocd = XenPoolConfig.class, factory = true)
@HypervisorType(XenAttachService.TYPE)
// a VBD has an ionice priority and nothing else: no IOPS or bandwidth cap (wire reference §2.3)
@HypervisorLimits({HypervisorLimit.WEIGHT})
public class XenAttachService implements HypervisorAttachService, StaticDisks {
    public static final String FACTORY_PID = "org.spindle.hyper.xen";
    public static final String TYPE = "xen";
    private static final Logger LOG = LoggerFactory.getLogger(XenAttachService.class);

    private final String pid;
    private final BundleContext context;
    private final RejectionReporter rejections;
    private final Map<String, Object> componentProperties;
    private final PoolSettings settings;
    private final XenPool pool;
    private final ScheduledExecutorService refresher;
    private ServiceRegistration<?> registration;
    private Dictionary<String, Object> registered;

    @Activate
    public XenAttachService(BundleContext context, XenPoolConfig config, Map<String, Object> properties,
                            @Reference(name = "rejections", cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
                            RejectionReporter rejections) {
        this.pid = String.valueOf(properties.get("service.pid"));
        this.context = context;
        this.rejections = rejections;
        this.componentProperties = Map.copyOf(properties);
        PoolSettings s;
        XenPool p;
        try {
            s = PoolSettings.of(config, properties);
            p = new XenPool(new XenSession(s, XenTls.of(s)), s.staticSrs());
        } catch (StorageException e) {
            LOG.error("Xen pool configuration {} refused: {}", pid, e.getMessage());
            reject(e.getMessage());
            this.settings = null;
            this.pool = null;
            this.refresher = null;
            return;
        }
        this.settings = s;
        this.pool = p;
        this.refresher = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "spindle-xen-" + s.pool()));
        refresher.scheduleWithFixedDelay(this::refresh, 0, s.refresh().toSeconds(), TimeUnit.SECONDS);
    }

    private void reject(String reason) {
        if (rejections != null) {
            rejections.rejected(RejectionReporter.Kind.ATTACH_SERVICE, pid, context.getBundle().getSymbolicName(), TYPE, reason);
        }
    }

    /**
     * Reads the pool's hosts and its managed SRs no disk uses ({@link SrLeftovers}, published as
     * {@value AttachProperties#DRIFT}); registers the service, or updates its properties when they changed.
     */
    synchronized void refresh() {
        if (refresher == null || refresher.isShutdown()) {
            return;
        }
        List<PoolHosts.XenHost> hosts;
        try {
            hosts = pool.hosts().hosts();
        } catch (RuntimeException e) {
            LOG.warn("Xen pool {}: cannot read its hosts: {}", settings.pool(), e.getMessage());
            if (registration == null) {
                reject("the pool does not answer: " + e.getMessage());
            }
            return;
        }
        Dictionary<String, Object> props = serviceProperties(settings, hosts, componentProperties);
        String[] drift = leftovers();
        if (drift.length > 0) {
            props.put(AttachProperties.DRIFT, drift);
        }
        if (registration == null) {
            registration = context.registerService(serviceInterfaces(settings), this, props);
            registered = props;
            if (rejections != null) {
                rejections.cleared(pid);
            }
            LOG.info("Xen attach service for pool {} registered (hosts {})", settings.pool(), props.get(AttachProperties.HOSTS));
        } else if (!same(registered, props)) {
            registration.setProperties(props);
            registered = props;
            LOG.info("Xen pool {}: hosts now {}, leftovers {}", settings.pool(), props.get(AttachProperties.HOSTS), drift.length);
        }
    }

    /** The leftover lines now; those published before when the pool's SRs cannot be read. */
    private String[] leftovers() {
        try {
            return pool.leftovers().check().toArray(String[]::new);
        } catch (RuntimeException e) {
            LOG.warn("Xen pool {}: cannot read its SRs for leftovers: {}", settings.pool(), e.getMessage());
            String[] before = registered == null ? null : (String[]) registered.get(AttachProperties.DRIFT);
            return before == null ? new String[0] : before;
        }
    }

    private static boolean same(Dictionary<String, Object> a, Dictionary<String, Object> b) {
        return java.util.Arrays.equals((String[]) a.get(AttachProperties.HOSTS), (String[]) b.get(AttachProperties.HOSTS))
                && java.util.Arrays.equals((String[]) a.get(AttachProperties.INITIATORS), (String[]) b.get(AttachProperties.INITIATORS))
                && java.util.Arrays.equals((String[]) a.get(AttachProperties.DRIFT), (String[]) b.get(AttachProperties.DRIFT));
    }

    /** The attach service, and static disks too when static SRs are configured (the same object under both). */
    static String[] serviceInterfaces(PoolSettings s) {
        return s.staticSrs().isEmpty() ? new String[] {HypervisorAttachService.class.getName()}
                : new String[] {HypervisorAttachService.class.getName(), StaticDisks.class.getName()};
    }

    static Dictionary<String, Object> serviceProperties(PoolSettings s, List<PoolHosts.XenHost> hosts, Map<String, Object> component) {
        Hashtable<String, Object> p = new Hashtable<>();
        p.put(AttachProperties.HYPERVISOR_TYPE, component.getOrDefault(AttachProperties.HYPERVISOR_TYPE, TYPE));
        p.put(AttachProperties.LIMITS, component.getOrDefault(AttachProperties.LIMITS, new String[] {HypervisorLimit.WEIGHT.name()}));
        p.put(AttachProperties.SERVICE, s.pool());
        p.put(AttachProperties.CLUSTER, s.pool());
        List<String> names = new ArrayList<>();
        List<String> iqns = new ArrayList<>();
        for (PoolHosts.XenHost h : hosts) {
            names.add(h.name());
            if (h.iqn() != null && !h.iqn().isBlank()) {
                iqns.add(h.iqn());
            }
        }
        p.put(AttachProperties.HOSTS, names.toArray(String[]::new));
        p.put(AttachProperties.INITIATORS, iqns.toArray(String[]::new));
        if (!s.zone().isEmpty()) {
            p.put(AttachProperties.ZONE, s.zone());
        }
        if (s.staticSrs().isEmpty()) {
            p.put(AttachProperties.PROTOCOLS, new String[] {Protocols.ISCSI});
        } else {
            p.put(AttachProperties.PROTOCOLS, new String[] {Protocols.ISCSI, Protocols.FILE});
            p.put(AttachProperties.STRUCTURES, s.staticSrs().toArray(String[]::new));
        }
        p.put("xen.url", s.url().toString());
        return p;
    }

    @Deactivate
    synchronized void deactivate() {
        if (refresher != null) {
            refresher.shutdownNow();
        }
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException e) {
                // gone with the bundle
            }
            registration = null;
        }
        if (pool != null) {
            pool.close();
        }
        if (rejections != null) {
            rejections.cleared(pid);
        }
    }

    private XenPool pool() {
        if (pool == null) {
            throw new StorageException(StorageException.Reason.UNAVAILABLE, "Xen pool configuration " + pid + " was refused");
        }
        return pool;
    }

    @Override
    public Optional<VmInfo> findVm(String vm) {
        return pool().findVm(vm);
    }

    @Override
    public Attachment attach(AttachRequest request) {
        Objects.requireNonNull(request, "request");
        return pool().attach(request);
    }

    @Override
    public void detach(Attachment attachment, Target target) {
        pool().detach(attachment);
        if (AttachProperties.NO_VM.equals(attachment.vmId())) {
            // the leftover is gone: its line leaves the service properties now rather than at the next refresh
            try {
                refresher.execute(this::refresh);
            } catch (java.util.concurrent.RejectedExecutionException deactivated) {
                // no properties to update any more
            }
        }
    }

    @Override
    public void changeLimits(Attachment attachment, IoLimits limits) {
        pool().changeLimits(attachment, limits);
    }

    @Override
    public void grow(Attachment attachment, long newSizeBytes) {
        pool().grow(attachment, newSizeBytes);
    }

    @Override
    public Attachment updateHosts(Attachment attachment, Target target) {
        return pool().updateHosts(attachment);
    }

    @Override
    public IoStats diskStats(Attachment attachment) {
        return pool().diskStats(attachment);
    }

    @Override
    public List<Attachment> attachments() {
        return pool().attachments();
    }

    @Override
    public Optional<Attachment> findAttachment(java.util.UUID volumeId) {
        Objects.requireNonNull(volumeId, "volumeId");
        return pool().findAttachment(volumeId);
    }

    @Override
    public IoLimits limits(Attachment attachment) {
        return pool().limits(attachment);
    }

    @Override
    public Target createDisk(StaticDiskRequest request) {
        return pool().statics().createDisk(request);
    }

    @Override
    public void deleteDisk(Target disk) {
        pool().statics().deleteDisk(disk);
    }
}
