package org.spindle.hyper.kvm.internal;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
 * The attach service of one KVM host, one per factory configuration {@value #FACTORY_PID}.
 *
 * <p>The static capabilities are declared by the property type annotations; the ones that depend on the
 * configuration (host, zone, initiator, protocols, structures) are computed, so the component registers the
 * service itself once the configuration is valid: as {@link HypervisorAttachService}, and as {@link StaticDisks}
 * too when structures are configured. An invalid configuration registers nothing and is reported
 * to the core's {@link RejectionReporter} with the offending key.
 */
@Component(configurationPid = KvmAttachService.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
@Designate(ocd = KvmHostConfig.class, factory = true)
@HypervisorType(KvmAttachService.TYPE)
// no WEIGHT: a blkio weight applies to host block devices, and QEMU reaches an iSCSI LUN through its own initiator
@HypervisorLimits({HypervisorLimit.IOPS, HypervisorLimit.BPS, HypervisorLimit.READ_WRITE, HypervisorLimit.TOTAL,
        HypervisorLimit.BURST, HypervisorLimit.BURST_LENGTH})
public class KvmAttachService implements HypervisorAttachService, StaticDisks {
    public static final String FACTORY_PID = "org.spindle.hyper.kvm";
    public static final String TYPE = "kvm";
    private static final Logger LOG = LoggerFactory.getLogger(KvmAttachService.class);

    private final String pid;
    private final RejectionReporter rejections;
    private final KvmHost host;
    private final BundleContext context;
    private final Object registering = new Object();
    private ServiceRegistration<?> registration; // guarded by registering
    private boolean deactivated; // guarded by registering
    private String[] drift = new String[0]; // guarded by registering
    private Instant awaySince; // guarded by registering: when the host stopped answering, null while it answers
    private final HostSettings settings;
    private final Map<String, Object> componentProperties;

    @Activate
    public KvmAttachService(BundleContext context, KvmHostConfig config, Map<String, Object> properties,
                            @Reference(name = "events") LibvirtEvents events,
                            @Reference(name = "rejections", cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
                            RejectionReporter rejections) {
        this.pid = String.valueOf(properties.get("service.pid"));
        this.rejections = rejections;
        this.context = context;
        this.componentProperties = Map.copyOf(properties);
        HostSettings settings;
        try {
            settings = HostSettings.of(config, properties);
        } catch (StorageException e) {
            LOG.error("KVM host configuration {} refused: {}", pid, e.getMessage());
            if (rejections != null) {
                rejections.rejected(RejectionReporter.Kind.ATTACH_SERVICE, pid, context.getBundle().getSymbolicName(), TYPE,
                        e.getMessage());
            }
            this.host = null;
            this.settings = null;
            return;
        }
        this.settings = settings;
        if (rejections != null) {
            rejections.cleared(pid);
        }
        if ("virtio".equals(settings.diskBus())) {
            LOG.warn("KVM host {}: disk.bus=virtio; a live detach only completes when the guest releases the disk",
                    settings.host());
        }
        synchronized (registering) {
            // the monitor reports through the listener, which waits for this block: registered first, then its verdict
            java.io.File data = context.getDataFile("host-" + pid.replaceAll("[^A-Za-z0-9._-]", "_"));
            this.host = new KvmHost(settings, events, data == null ? null : data.toPath(),
                    new HostMonitor.Listener() {
                        @Override
                        public void unavailable(String reason) {
                            hostUnavailable(reason);
                        }

                        @Override
                        public void available() {
                            hostAvailable();
                        }

                        @Override
                        public void drift(List<DriftWatch.Drift> now) {
                            driftChanged(now);
                        }
                    });
            register();
        }
    }

    /**
     * Publishes what changed behind Spindle's back as the service property {@value AttachProperties#DRIFT} ({@code <volume> <vm id>
     * <what>} each), so that whoever tracks the service (the core) sees a MODIFIED service event.
     */
    void driftChanged(List<DriftWatch.Drift> now) {
        synchronized (registering) {
            drift = now.stream().map(DriftWatch.Drift::line).toArray(String[]::new);
            if (registration != null) {
                try {
                    registration.setProperties(properties());
                } catch (IllegalStateException e) {
                    // unregistered meanwhile
                }
            }
        }
    }

    private Dictionary<String, Object> properties() {
        Dictionary<String, Object> p = serviceProperties(settings, componentProperties);
        if (drift.length > 0) {
            p.put(AttachProperties.DRIFT, drift.clone());
        }
        return p;
    }

    private void register() {
        synchronized (registering) {
            if (registration == null && !deactivated) {
                registration = context.registerService(serviceInterfaces(settings), this, properties());
                LOG.info("KVM attach service for host {} at {} registered (initiator {}, structures {})", settings.host(),
                        settings.libvirtUri(), settings.initiatorIqn(), settings.structures());
            }
        }
    }

    private void unregister() {
        synchronized (registering) {
            if (registration != null) {
                try {
                    registration.unregister();
                } catch (IllegalStateException e) {
                    // already gone with the bundle
                }
                registration = null;
            }
        }
    }

    /**
     * The host does not answer: the service goes away (nothing is routed to a host that cannot act) and the reason is
     * reported to the core as unavailable ({@code RejectionReporter.unavailable}: UNAVAILABLE in hypervisor-list), one
     * line saying since when and why: {@code KVM host h1 since 2026-12-01T11:40:02Z: libvirt at qemu+tls://h1/system did
     * not answer within 30 s}. It comes back by itself, and the report is cleared.
     */
    void hostUnavailable(String reason) {
        synchronized (registering) {
            unregister();
            if (awaySince == null) {
                awaySince = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            }
            if (rejections != null && !deactivated) {
                rejections.unavailable(RejectionReporter.Kind.ATTACH_SERVICE, pid, context.getBundle().getSymbolicName(), TYPE,
                        "KVM host " + settings.host() + " since " + awaySince + ": " + reason);
            }
        }
    }

    void hostAvailable() {
        synchronized (registering) {
            awaySince = null;
            if (rejections != null && !deactivated) {
                rejections.cleared(pid);
            }
            register();
        }
    }

    /** The attach service, and static disks too when the host offers structures (the same object under both). */
    static String[] serviceInterfaces(HostSettings s) {
        return s.structures().isEmpty() ? new String[] {HypervisorAttachService.class.getName()}
                : new String[] {HypervisorAttachService.class.getName(), StaticDisks.class.getName()};
    }

    /** The registered properties: the annotated ones, and those computed from the settings. */
    static Dictionary<String, Object> serviceProperties(HostSettings s, Map<String, Object> componentProperties) {
        Hashtable<String, Object> p = new Hashtable<>();
        p.put(AttachProperties.HYPERVISOR_TYPE, componentProperties.getOrDefault(AttachProperties.HYPERVISOR_TYPE, TYPE));
        p.put(AttachProperties.LIMITS, componentProperties.get(AttachProperties.LIMITS));
        // one host: the service is named after it, and a VM never leaves it
        p.put(AttachProperties.SERVICE, s.host());
        p.put(AttachProperties.HOSTS, new String[] {s.host()});
        if (!s.zone().isEmpty()) {
            p.put(AttachProperties.ZONE, s.zone());
        }
        p.put(AttachProperties.INITIATORS, new String[] {s.initiatorIqn()});
        List<String> protocols = new ArrayList<>(List.of(Protocols.ISCSI));
        if (!s.structures().isEmpty()) {
            protocols.add(Protocols.FILE);
            p.put(AttachProperties.STRUCTURES, s.structures().toArray(String[]::new));
        }
        p.put(AttachProperties.PROTOCOLS, protocols.toArray(String[]::new));
        p.put("libvirt.uri", s.libvirtUri());
        return p;
    }

    @Deactivate
    void deactivate() {
        synchronized (registering) {
            deactivated = true;
            unregister();
        }
        if (host != null) {
            host.close();
        }
        if (rejections != null) {
            rejections.cleared(pid);
        }
    }

    @Override
    public Optional<VmInfo> findVm(String vm) {
        return host().findVm(vm);
    }

    @Override
    public Attachment attach(AttachRequest request) {
        return host().attach(request);
    }

    @Override
    public void detach(Attachment attachment, Target target) {
        host().detach(attachment, target);
    }

    @Override
    public void changeLimits(Attachment attachment, IoLimits limits) {
        host().changeLimits(attachment, limits);
    }

    @Override
    public void grow(Attachment attachment, long newSizeBytes) {
        host().grow(attachment, newSizeBytes);
    }

    @Override
    public Attachment updateHosts(Attachment attachment, Target target) {
        return host().updateHosts(attachment, target);
    }

    @Override
    public IoStats diskStats(Attachment attachment) {
        return host().diskStats(attachment);
    }

    /** Every disk of a Spindle volume on this host now, whoever attached it. */
    @Override
    public List<Attachment> attachments() {
        return host().attachments();
    }

    /** Where the disk of {@code volumeId} is attached on this host now, if anywhere. */
    @Override
    public Optional<Attachment> findAttachment(java.util.UUID volumeId) {
        return host().findAttachment(volumeId);
    }

    /** The limits in force on the disk now, read from libvirt (an operator's {@code virsh blkdeviotune} shows). */
    @Override
    public IoLimits limits(Attachment attachment) {
        return host().limits(attachment);
    }

    @Override
    public Target createDisk(StaticDiskRequest request) {
        return host().createDisk(request);
    }

    @Override
    public void deleteDisk(Target disk) {
        host().deleteDisk(disk);
    }

    private KvmHost host() {
        if (host == null) {
            throw new StorageException(StorageException.Reason.UNAVAILABLE, "KVM host configuration " + pid + " was refused");
        }
        return host;
    }
}
