package org.spindle.storage.core.internal.registry;

import java.util.List;
import java.util.Map;

import org.spindle.storage.api.attach.AttachProperties;
import org.spindle.storage.api.attach.HypervisorAttachService;
import org.spindle.storage.core.internal.qos.LimitCapabilities;

/** An attach service the core uses, with its service properties (matched by LDAP filters). */
public record BoundAttach(long serviceId, HypervisorAttachService service, Map<String, Object> properties,
                          LimitCapabilities limits) {
    public String type() {
        return Props.string(properties, AttachProperties.HYPERVISOR_TYPE);
    }

    public String host() {
        return Props.string(properties, AttachProperties.HOST);
    }

    /** The name shown in messages: host, else cluster, else service id. */
    public String label() {
        String h = host();
        String c = Props.string(properties, AttachProperties.CLUSTER);
        return h != null ? h : c != null ? c : "attach service " + serviceId;
    }

    public List<String> initiators() {
        return Props.strings(properties, AttachProperties.INITIATORS);
    }

    public List<String> structures() {
        return Props.strings(properties, AttachProperties.STRUCTURES);
    }
}
