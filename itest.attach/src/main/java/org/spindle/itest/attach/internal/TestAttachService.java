package org.spindle.itest.attach.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.ComponentException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.spindle.itest.attach.probe.LimitChange;
import org.spindle.itest.attach.probe.TestHypervisor;
import org.spindle.storage.api.IoStats;
import org.spindle.storage.api.Protocols;
import org.spindle.storage.api.RequireSpindleStorage;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.attach.AttachProperties;
import org.spindle.storage.api.attach.AttachRequest;
import org.spindle.storage.api.attach.Attachment;
import org.spindle.storage.api.attach.HypervisorAttachService;
import org.spindle.storage.api.attach.StaticDiskRequest;
import org.spindle.storage.api.attach.VmInfo;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.runtime.RejectionReporter;
import org.spindle.storage.api.volume.Names;

/**
 * A {@link HypervisorAttachService} for one fake host, per factory configuration of {@value #PID}. It registers
 * itself (and {@link TestHypervisor}) by hand rather than as a DS service so that the configuration key
 * {@code structures} becomes {@value AttachProperties#STRUCTURES} and the initiators get a default.
 *
 * <p>It fails loudly on routing mistakes: a target whose protocol it does not declare, a VM it does not run,
 * or limits of a kind its {@value AttachProperties#LIMITS} does not declare are refused with a
 * {@link StorageException}.
 */
@Component(name = TestAttachService.PID, configurationPid = TestAttachService.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true, service = {},
        reference = @Reference(name = TestAttachService.REPORTER, service = RejectionReporter.class,
                cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC))
@Designate(ocd = TestAttachConfig.class, factory = true)
@RequireSpindleStorage
public class TestAttachService implements HypervisorAttachService, TestHypervisor {
    static final String PID = "org.spindle.itest.attach";
    static final String REPORTER = "reporter";
    static final String INITIATOR_PREFIX = "iqn.2026-11.org.spindle.test:host.";
    private static final Set<String> KNOWN_LIMITS = Set.of(AttachProperties.LIMIT_IOPS, AttachProperties.LIMIT_BPS,
            AttachProperties.LIMIT_READ_WRITE, AttachProperties.LIMIT_TOTAL, AttachProperties.LIMIT_BURST,
            AttachProperties.LIMIT_BURST_LENGTH);

    private final String host;
    private final Set<String> protocols;
    private final Set<String> limitKinds;
    private final Set<String> vms;
    private final Set<String> structures;
    private final ServiceRegistration<?> registration;

    private final List<AttachRequest> requests = new ArrayList<>();
    private final Map<UUID, Attachment> attached = new LinkedHashMap<>();
    private final Map<UUID, IoLimits> limits = new LinkedHashMap<>();
    private final List<Attachment> detached = new ArrayList<>();
    private final List<LimitChange> limitChanges = new ArrayList<>();
    private final List<StaticDiskRequest> disks = new ArrayList<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Map<String, String> failures = new ConcurrentHashMap<>();

    @Activate
    public TestAttachService(TestAttachConfig config, ComponentContext component, Map<String, Object> properties) {
        BundleContext context = component.getBundleContext();
        RejectionReporter reporter = (RejectionReporter) component.locateService(REPORTER);
        String pid = String.valueOf(properties.get("service.pid"));
        String[] initiators;
        try {
            host = Names.check(AttachProperties.HOST, config.hypervisor_host());
            Names.check(AttachProperties.ZONE, config.storage_zone());
            Names.check(AttachProperties.HYPERVISOR_TYPE, config.hypervisor_type());
            for (String p : config.storage_protocols()) {
                Protocols.check(AttachProperties.PROTOCOLS, p);
            }
            for (String l : config.hypervisor_limits()) {
                if (!KNOWN_LIMITS.contains(l)) {
                    throw StorageException.invalid(AttachProperties.LIMITS, "unknown limit '" + l + "' (known: " + new java.util.TreeSet<>(KNOWN_LIMITS) + ")");
                }
            }
            initiators = config.hypervisor_initiators().length > 0
                    ? config.hypervisor_initiators() : new String[] {INITIATOR_PREFIX + host};
        } catch (StorageException e) {
            if (reporter != null) {
                reporter.rejected(RejectionReporter.Kind.ATTACH_SERVICE, pid, context.getBundle().getSymbolicName(),
                        config.hypervisor_type(), e.getMessage());
            }
            throw new ComponentException(e.getMessage(), e);
        }
        protocols = Set.of(config.storage_protocols());
        limitKinds = Set.of(config.hypervisor_limits());
        vms = Set.of(config.vms());
        structures = Set.of(config.structures());

        Dictionary<String, Object> props = new Hashtable<>();
        props.put("service.pid", pid);
        props.put(AttachProperties.HYPERVISOR_TYPE, config.hypervisor_type());
        props.put(AttachProperties.HOST, host);
        if (!config.hypervisor_cluster().isEmpty()) {
            props.put(AttachProperties.CLUSTER, config.hypervisor_cluster());
        }
        props.put(AttachProperties.ZONE, config.storage_zone());
        props.put(AttachProperties.PROTOCOLS, config.storage_protocols());
        props.put(AttachProperties.LIMITS, config.hypervisor_limits());
        props.put(AttachProperties.INITIATORS, initiators);
        props.put(AttachProperties.STRUCTURES, config.structures());
        props.put("vms", config.vms());
        registration = context.registerService(
                new String[] {HypervisorAttachService.class.getName(), TestHypervisor.class.getName()}, this, props);
        if (reporter != null) {
            reporter.cleared(pid);
        }
    }

    @Deactivate
    void deactivate() {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the bundle is stopping
        }
    }

    // --- HypervisorAttachService ---

    @Override
    public Optional<VmInfo> findVm(String vm) {
        count("findVm");
        return vms.contains(vm) ? Optional.of(new VmInfo(vm, host, true)) : Optional.empty();
    }

    @Override
    public synchronized Attachment attach(AttachRequest request) {
        count("attach");
        requests.add(request);
        Target t = request.target();
        if (!protocols.contains(t.protocol())) {
            throw new StorageException(StorageException.Reason.NO_ROUTE, "target.protocol", "test hypervisor " + host
                    + " cannot attach protocol " + t.protocol() + " (it speaks " + new java.util.TreeSet<>(protocols) + ")", null);
        }
        if (!vms.contains(request.vm())) {
            throw new StorageException(StorageException.Reason.NOT_FOUND, "vm",
                    "test hypervisor " + host + " does not run VM " + request.vm(), null);
        }
        checkLimits(request.limits());
        Attachment existing = attached.get(request.volumeId());
        if (existing != null) {
            if (existing.vm().equals(request.vm())) {
                return existing;
            }
            throw new StorageException(StorageException.Reason.CONFLICT, "test hypervisor " + host + ": volume "
                    + request.volumeId() + " is attached to " + existing.vm());
        }
        long onVm = attached.values().stream().filter(a -> a.vm().equals(request.vm())).count();
        String device = "sd" + (char) ('b' + onVm);
        String structure = request.managed() ? "test-sr-" + request.volumeId() : null;
        Attachment a = new Attachment(request.volumeId(), request.vm(), host, device, structure, request.managed());
        attached.put(request.volumeId(), a);
        limits.put(request.volumeId(), request.limits());
        return a;
    }

    @Override
    public synchronized void detach(Attachment attachment) {
        count("detach");
        detached.add(attachment);
        attached.remove(attachment.volumeId());
        limits.remove(attachment.volumeId());
    }

    @Override
    public synchronized void changeLimits(Attachment attachment, IoLimits newLimits) {
        count("changeLimits");
        checkLimits(newLimits);
        if (!attached.containsKey(attachment.volumeId())) {
            throw new StorageException(StorageException.Reason.NOT_FOUND, "test hypervisor " + host + ": volume "
                    + attachment.volumeId() + " is not attached here");
        }
        limitChanges.add(new LimitChange(attachment, newLimits));
        limits.put(attachment.volumeId(), newLimits);
    }

    @Override
    public synchronized IoStats diskStats(Attachment attachment) {
        count("diskStats");
        if (!attached.containsKey(attachment.volumeId())) {
            throw new StorageException(StorageException.Reason.NOT_FOUND, "test hypervisor " + host + ": volume "
                    + attachment.volumeId() + " is not attached here");
        }
        return new IoStats(1, 1, 4096, 4096, Instant.now());
    }

    @Override
    public synchronized Target createDisk(StaticDiskRequest request) {
        count("createDisk");
        if (!structures.contains(request.structure())) {
            throw new StorageException(StorageException.Reason.NOT_FOUND, "structure", "test hypervisor " + host
                    + " has no structure " + request.structure(), null);
        }
        disks.add(request);
        return new Target(Protocols.FILE, List.of(), request.structure() + "/" + request.volumeId(), 0, null);
    }

    @Override
    public synchronized void deleteDisk(Target disk) {
        count("deleteDisk");
        disks.removeIf(d -> (d.structure() + "/" + d.volumeId()).equals(disk.name()));
    }

    // --- TestHypervisor ---

    @Override
    public String host() {
        return host;
    }

    @Override
    public synchronized List<AttachRequest> attachRequests() {
        return List.copyOf(requests);
    }

    @Override
    public synchronized List<Attachment> attachments() {
        return List.copyOf(attached.values());
    }

    @Override
    public synchronized List<Attachment> attachments(String vm) {
        return attached.values().stream().filter(a -> a.vm().equals(vm)).toList();
    }

    @Override
    public synchronized Optional<IoLimits> limits(UUID volumeId) {
        return Optional.ofNullable(limits.get(volumeId));
    }

    @Override
    public synchronized List<Attachment> detached() {
        return List.copyOf(detached);
    }

    @Override
    public synchronized List<LimitChange> limitChanges() {
        return List.copyOf(limitChanges);
    }

    @Override
    public synchronized List<StaticDiskRequest> createdDisks() {
        return List.copyOf(disks);
    }

    @Override
    public Map<String, Integer> calls() {
        Map<String, Integer> m = new TreeMap<>();
        calls.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    @Override
    public int calls(String method) {
        AtomicInteger c = calls.get(method);
        return c == null ? 0 : c.get();
    }

    @Override
    public void failNext(String method, String message) {
        failures.put(method, message);
    }

    @Override
    public synchronized void reset() {
        requests.clear();
        attached.clear();
        limits.clear();
        detached.clear();
        limitChanges.clear();
        disks.clear();
        calls.clear();
        failures.clear();
    }

    // --- helpers ---

    private void count(String method) {
        calls.computeIfAbsent(method, k -> new AtomicInteger()).incrementAndGet();
        String failure = failures.remove(method);
        if (failure != null) {
            throw new StorageException(StorageException.Reason.BACKEND_FAILURE, failure);
        }
    }

    /** Refuses limits of a kind this host did not declare: the core must plan for what it declared. */
    private void checkLimits(IoLimits l) {
        require(!l.hasSplit() || limitKinds.contains(AttachProperties.LIMIT_READ_WRITE), AttachProperties.LIMIT_READ_WRITE, l);
        require(!l.hasTotal() || limitKinds.contains(AttachProperties.LIMIT_TOTAL), AttachProperties.LIMIT_TOTAL, l);
        require(!l.hasIops() || limitKinds.contains(AttachProperties.LIMIT_IOPS), AttachProperties.LIMIT_IOPS, l);
        require(!l.hasBytes() || limitKinds.contains(AttachProperties.LIMIT_BPS), AttachProperties.LIMIT_BPS, l);
        require(!l.hasBurst() || limitKinds.contains(AttachProperties.LIMIT_BURST), AttachProperties.LIMIT_BURST, l);
        require(!l.hasBurstLength() || limitKinds.contains(AttachProperties.LIMIT_BURST_LENGTH), AttachProperties.LIMIT_BURST_LENGTH, l);
    }

    private void require(boolean ok, String kind, IoLimits l) {
        if (!ok) {
            throw new StorageException(StorageException.Reason.QOS_REFUSED, "limits", "test hypervisor " + host
                    + " does not enforce '" + kind + "' limits (declares " + new java.util.TreeSet<>(limitKinds) + ") but got " + l, null);
        }
    }

    @Override
    public String toString() {
        return "TestAttachService[" + host + "]";
    }
}
