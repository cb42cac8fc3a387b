package org.spindle.storage.core.internal.registry;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.Constants;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spindle.storage.api.Protocols;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.attach.AttachProperties;
import org.spindle.storage.api.attach.HypervisorAttachService;
import org.spindle.storage.api.runtime.AttachServiceInfo;
import org.spindle.storage.api.runtime.RejectionReporter;
import org.spindle.storage.api.runtime.ServiceStatus;
import org.spindle.storage.core.internal.qos.LimitCapabilities;

/**
 * Tracks hypervisor attach services, keyed by their identity: {@code hypervisor.service}, else
 * {@code hypervisor.cluster}, else the first of {@code hypervisor.hosts}. A service must advertise
 * {@code hypervisor.type} and {@code storage.protocols}, and its identity must be free; others are kept as
 * rejected with the reason (a duplicate binds once the holder of its identity goes). Selection is by LDAP
 * filter over the service properties, never by hypervisor type in code. When the hosts or initiators of a
 * bound service change, the {@link HostsListener}s are told.
 */
@Component(service = AttachRegistry.class, immediate = true)
public class AttachRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(AttachRegistry.class);

    private record Candidate(long id, String bundle, HypervisorAttachService service, Map<String, Object> props) {
    }

    private final Rejections rejections;
    private final Map<Long, Candidate> candidates = new HashMap<>();
    private final Map<Long, BoundAttach> bound = new LinkedHashMap<>();
    private final Map<Long, AttachServiceInfo> infos = new HashMap<>();
    private final List<HostsListener> listeners = new CopyOnWriteArrayList<>();

    @Activate
    public AttachRegistry(@Reference Rejections rejections) {
        this.rejections = rejections;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addAttachService(HypervisorAttachService service, ServiceReference<HypervisorAttachService> ref) {
        add((Long) ref.getProperty(Constants.SERVICE_ID), Props.bundle(ref), service, Props.of(ref));
    }

    void updatedAttachService(HypervisorAttachService service, ServiceReference<HypervisorAttachService> ref) {
        addAttachService(service, ref);
    }

    void removeAttachService(HypervisorAttachService service, ServiceReference<HypervisorAttachService> ref) {
        remove((Long) ref.getProperty(Constants.SERVICE_ID));
    }

    /** Tells {@code listener} about host changes from now on. */
    public void listen(HostsListener listener) {
        listeners.add(listener);
    }

    public void unlisten(HostsListener listener) {
        listeners.remove(listener);
    }

    /** Removes a service; a service rejected only because it had the same identity may bind now. */
    public void remove(long id) {
        List<Candidate> retry;
        synchronized (this) {
            candidates.remove(id);
            bound.remove(id);
            infos.remove(id);
            retry = candidates.values().stream().filter(c -> !bound.containsKey(c.id())).toList();
        }
        retry.forEach(c -> add(c.id(), c.bundle(), c.service(), c.props()));
    }

    /**
     * Adds a service with the given properties, or takes its new properties (also the entry point for tests).
     * When a bound service's hosts or initiators changed, the listeners are told after the change is in place.
     */
    public void add(long id, String bundle, HypervisorAttachService service, Map<String, Object> props) {
        BoundAttach before;
        BoundAttach after = null;
        synchronized (this) {
            candidates.put(id, new Candidate(id, bundle, service, Map.copyOf(props)));
            before = bound.remove(id);
            try {
                after = describe(id, service, props);
                bound.put(id, after);
                infos.put(id, info(id, bundle, after.identity(), props, after.limits(), ServiceStatus.BOUND, null));
            } catch (RuntimeException e) {
                LOG.warn("Rejected attach service {} of {}: {}", id, bundle, e.getMessage());
                infos.put(id, info(id, bundle, identity(props), props, lenientLimits(props), ServiceStatus.REJECTED, e.getMessage()));
            }
        }
        if (before != null && after != null && before.identity().equals(after.identity())
                && (!Set.copyOf(before.initiators()).equals(Set.copyOf(after.initiators()))
                || !Set.copyOf(before.hosts()).equals(Set.copyOf(after.hosts())))) {
            LOG.info("Attach service {}: hosts {} -> {}, initiators {} -> {}", after.identity(), before.hosts(), after.hosts(),
                    before.initiators(), after.initiators());
            for (HostsListener l : listeners) {
                try {
                    l.hostsChanged(before, after);
                } catch (RuntimeException e) {
                    LOG.error("Attach service {}: a listener failed on its host change: {}", after.identity(), e.toString());
                }
            }
        }
    }

    private BoundAttach describe(long id, HypervisorAttachService service, Map<String, Object> props) {
        if (Props.string(props, AttachProperties.HYPERVISOR_TYPE) == null) {
            throw StorageException.invalid(AttachProperties.HYPERVISOR_TYPE, "is missing (e.g. kvm, xen, vmware)");
        }
        List<String> protocols = Props.strings(props, AttachProperties.PROTOCOLS);
        if (protocols.isEmpty()) {
            throw StorageException.invalid(AttachProperties.PROTOCOLS, "is missing: which protocols can it attach?");
        }
        protocols.forEach(p -> Protocols.check(AttachProperties.PROTOCOLS, p));
        String identity = identity(props);
        if (identity == null) {
            throw StorageException.invalid(AttachProperties.SERVICE, "is missing, and there is no " + AttachProperties.CLUSTER
                    + " or " + AttachProperties.HOSTS + " to name the service by");
        }
        for (BoundAttach other : bound.values()) {
            if (other.identity().equals(identity)) {
                throw StorageException.invalid(AttachProperties.SERVICE, "'" + identity + "' is already the identity of attach service "
                        + other.serviceId() + "; each host or cluster configuration must have its own");
            }
        }
        LimitCapabilities limits;
        try {
            limits = LimitCapabilities.fromServiceProperties(props,
                    unknown -> LOG.warn("Attach service {} ({}): {}", identity, id, unknown));
        } catch (IllegalArgumentException e) {
            throw new StorageException(StorageException.Reason.INVALID_ARGUMENT, AttachProperties.LIMITS, e.getMessage(), e);
        }
        Map<String, Object> effective = new HashMap<>(props);
        effective.put(AttachProperties.SERVICE, identity);
        return new BoundAttach(id, identity, service, effective, limits);
    }

    /** {@code hypervisor.service}, else {@code hypervisor.cluster}, else the first of {@code hypervisor.hosts}, else {@code null}. */
    static String identity(Map<String, Object> props) {
        String service = Props.string(props, AttachProperties.SERVICE);
        if (service != null) {
            return service;
        }
        String cluster = Props.string(props, AttachProperties.CLUSTER);
        return cluster != null ? cluster : Props.string(props, AttachProperties.HOSTS);
    }

    private static LimitCapabilities lenientLimits(Map<String, Object> props) {
        try {
            return LimitCapabilities.fromServiceProperties(props, unknown -> { });
        } catch (IllegalArgumentException e) {
            return LimitCapabilities.NONE;
        }
    }

    private static AttachServiceInfo info(long id, String bundle, String identity, Map<String, Object> p, LimitCapabilities limits,
                                          ServiceStatus status, String reason) {
        return new AttachServiceInfo(String.valueOf(id), bundle, identity, Props.string(p, AttachProperties.HYPERVISOR_TYPE),
                Props.strings(p, AttachProperties.HOSTS), Props.string(p, AttachProperties.CLUSTER), Props.string(p, AttachProperties.ZONE),
                Props.strings(p, AttachProperties.PROTOCOLS), Props.strings(p, AttachProperties.INITIATORS), limits.tokens(),
                Props.strings(p, AttachProperties.STRUCTURES), status, reason, Props.strings(p, AttachProperties.DRIFT));
    }

    /** The bound service whose identity is {@code identity}: where every call for an attachment made through it goes. */
    public synchronized Optional<BoundAttach> byIdentity(String identity) {
        return bound.values().stream().filter(b -> b.identity().equals(identity)).findFirst();
    }

    /** Every bound service, in service id order. */
    public synchronized List<BoundAttach> all() {
        List<BoundAttach> out = new ArrayList<>(bound.values());
        out.sort(Comparator.comparingLong(BoundAttach::serviceId));
        return out;
    }

    /** Bound services whose properties match {@code ldapFilter}, in service id order. */
    public List<BoundAttach> matching(String ldapFilter) {
        Filter filter;
        try {
            filter = FrameworkUtil.createFilter(ldapFilter);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("bad filter " + ldapFilter, e);
        }
        List<BoundAttach> out = new ArrayList<>();
        synchronized (this) {
            for (BoundAttach b : bound.values()) {
                if (filter.matches(b.properties())) {
                    out.add(b);
                }
            }
        }
        out.sort(Comparator.comparingLong(BoundAttach::serviceId));
        return out;
    }

    public List<AttachServiceInfo> infos() {
        List<AttachServiceInfo> all;
        synchronized (this) {
            all = new ArrayList<>(infos.values());
        }
        all.sort(Comparator.comparing(i -> Long.parseLong(i.source())));
        for (Rejections.Report r : rejections.reports(RejectionReporter.Kind.ATTACH_SERVICE)) {
            all.add(new AttachServiceInfo(r.pid(), r.bundle(), null, r.type(), List.of(), null, null, List.of(), List.of(),
                    List.of(), List.of(), r.status(), r.reason()));
        }
        return all;
    }
}
