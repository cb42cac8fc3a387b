package org.spindle.storage.core.internal.registry;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.spindle.storage.api.attach.AttachProperties;
import org.spindle.storage.api.attach.HypervisorAttachService;
import org.spindle.storage.api.attach.StaticDisks;
import org.spindle.storage.api.driver.HostGroup;
import org.spindle.storage.core.internal.qos.LimitCapabilities;

/**
 * An attach service the core uses, with its service properties (matched by LDAP filters; they always carry
 * {@value AttachProperties#SERVICE}, the identity the core computed when the service did not declare it).
 *
 * @param serviceId  the OSGi service id
 * @param identity   its {@value AttachProperties#SERVICE}, unique among bound services
 * @param service    the service
 * @param properties its properties
 * @param limits     the limits it enforces
 */
public record BoundAttach(long serviceId, String identity, HypervisorAttachService service, Map<String, Object> properties,
                          LimitCapabilities limits) {
    public BoundAttach {
        properties = Map.copyOf(properties);
    }

    public String type() {
        return Props.string(properties, AttachProperties.HYPERVISOR_TYPE);
    }

    /** The hosts it manages now. */
    public List<String> hosts() {
        return Props.strings(properties, AttachProperties.HOSTS);
    }

    /** The name shown in messages: its identity. */
    public String label() {
        return identity;
    }

    /** The initiators of all its hosts now. */
    public List<String> initiators() {
        return Props.strings(properties, AttachProperties.INITIATORS);
    }

    /** Its hosts as the one group a SAN grants access to, named by its identity; empty when it advertises no initiator. */
    public Optional<HostGroup> hostGroup() {
        List<String> initiators = initiators();
        return initiators.isEmpty() ? Optional.empty() : Optional.of(new HostGroup(identity, initiators));
    }

    /** What the service found changed outside Spindle ({@value AttachProperties#DRIFT}), one line each. */
    public List<String> drift() {
        return Props.strings(properties, AttachProperties.DRIFT);
    }

    public List<String> structures() {
        return Props.strings(properties, AttachProperties.STRUCTURES);
    }

    /** Its static disk capability, when the service object has it (and declares structures). */
    public Optional<StaticDisks> staticDisks() {
        return service instanceof StaticDisks s && !structures().isEmpty() ? Optional.of(s) : Optional.empty();
    }
}
