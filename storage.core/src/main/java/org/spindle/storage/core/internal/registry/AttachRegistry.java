package org.spindle.storage.core.internal.registry;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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
 * Tracks hypervisor attach services. A service must advertise {@code hypervisor.type} and
 * {@code storage.protocols}; others are kept as rejected with the reason. Selection is by LDAP filter over
 * the service properties, never by hypervisor type in code.
 */
@Component(service = AttachRegistry.class, immediate = true)
public class AttachRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(AttachRegistry.class);

    private final Rejections rejections;
    private final Map<Long, BoundAttach> bound = new ConcurrentHashMap<>();
    private final Map<Long, AttachServiceInfo> infos = new ConcurrentHashMap<>();

    @Activate
    public AttachRegistry(@Reference Rejections rejections) {
        this.rejections = rejections;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addAttachService(HypervisorAttachService service, ServiceReference<HypervisorAttachService> ref) {
        long id = (Long) ref.getProperty(Constants.SERVICE_ID);
        Map<String, Object> props = Props.of(ref);
        add(id, Props.bundle(ref), service, props);
    }

    void updatedAttachService(HypervisorAttachService service, ServiceReference<HypervisorAttachService> ref) {
        addAttachService(service, ref);
    }

    void removeAttachService(HypervisorAttachService service, ServiceReference<HypervisorAttachService> ref) {
        remove((Long) ref.getProperty(Constants.SERVICE_ID));
    }

    public void remove(long id) {
        bound.remove(id);
        infos.remove(id);
    }

    /** Adds a service with the given properties (also the entry point for tests). */
    public void add(long id, String bundle, HypervisorAttachService service, Map<String, Object> props) {
        try {
            if (Props.string(props, AttachProperties.HYPERVISOR_TYPE) == null) {
                throw StorageException.invalid(AttachProperties.HYPERVISOR_TYPE, "is missing (e.g. kvm, xen, vmware)");
            }
            List<String> protocols = Props.strings(props, AttachProperties.PROTOCOLS);
            if (protocols.isEmpty()) {
                throw StorageException.invalid(AttachProperties.PROTOCOLS, "is missing: which protocols can it attach?");
            }
            protocols.forEach(p -> Protocols.check(AttachProperties.PROTOCOLS, p));
            LimitCapabilities limits = LimitCapabilities.fromServiceProperties(props);
            bound.put(id, new BoundAttach(id, service, props, limits));
            infos.put(id, info(id, bundle, props, ServiceStatus.BOUND, null));
        } catch (RuntimeException e) {
            LOG.warn("Rejected attach service {} of {}: {}", id, bundle, e.getMessage());
            bound.remove(id);
            infos.put(id, info(id, bundle, props, ServiceStatus.REJECTED, e.getMessage()));
        }
    }

    private static AttachServiceInfo info(long id, String bundle, Map<String, Object> p, ServiceStatus status, String reason) {
        return new AttachServiceInfo(String.valueOf(id), bundle, Props.string(p, AttachProperties.HYPERVISOR_TYPE),
                Props.string(p, AttachProperties.HOST), Props.string(p, AttachProperties.CLUSTER), Props.string(p, AttachProperties.ZONE),
                Props.strings(p, AttachProperties.PROTOCOLS), Props.strings(p, AttachProperties.LIMITS),
                Props.strings(p, AttachProperties.STRUCTURES), status, reason);
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
        for (BoundAttach b : bound.values()) {
            if (filter.matches(b.properties())) {
                out.add(b);
            }
        }
        out.sort(Comparator.comparingLong(BoundAttach::serviceId));
        return out;
    }

    public List<AttachServiceInfo> infos() {
        List<AttachServiceInfo> all = new ArrayList<>(infos.values());
        all.sort(Comparator.comparing(i -> Long.parseLong(i.source())));
        for (Rejections.Report r : rejections.reports(RejectionReporter.Kind.ATTACH_SERVICE)) {
            all.add(new AttachServiceInfo(r.pid(), r.bundle(), r.type(), null, null, null, List.of(), List.of(), List.of(),
                    ServiceStatus.REJECTED, r.reason()));
        }
        return all;
    }
}
