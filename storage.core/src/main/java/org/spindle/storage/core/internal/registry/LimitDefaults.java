package org.spindle.storage.core.internal.registry;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spindle.storage.api.qos.IoLimits;

/**
 * The default hypervisor limits per hypervisor type, as configured ({@link TypeLimits}). When two
 * configurations name the same type, the first one counts and the other is logged.
 */
@Component(service = LimitDefaults.class)
public class LimitDefaults {
    private static final Logger LOG = LoggerFactory.getLogger(LimitDefaults.class);

    private final List<TypeLimits> configured = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addTypeLimits(TypeLimits limits) {
        add(limits);
    }

    void removeTypeLimits(TypeLimits limits) {
        remove(limits);
    }

    /** Adds a configuration (also the entry point for tests). */
    public void add(TypeLimits limits) {
        if (configured.stream().anyMatch(t -> t.type().equals(limits.type()))) {
            LOG.warn("Hypervisor type {} has default limits already; a second configuration for it is ignored", limits.type());
        }
        configured.add(limits);
    }

    public void remove(TypeLimits limits) {
        configured.remove(limits);
    }

    /** The default limits for attach services of {@code type}; {@link IoLimits#NONE} when none are configured. */
    public IoLimits forType(String type) {
        return configured.stream().filter(t -> t.type().equals(type)).findFirst().map(TypeLimits::limits).orElse(IoLimits.NONE);
    }
}
