package org.spindle.storage.api.runtime;

import java.util.List;

/**
 * A hypervisor attach service as the core sees it.
 *
 * @param source     the service id, or the configuration PID for one rejected before it registered
 * @param bundle     the bundle's symbolic name
 * @param service    {@code hypervisor.service}, its identity
 * @param type       {@code hypervisor.type}
 * @param hosts      {@code hypervisor.hosts}
 * @param cluster    {@code hypervisor.cluster}
 * @param zone       {@code storage.zone}
 * @param protocols  {@code storage.protocols}
 * @param initiators {@code hypervisor.initiators}
 * @param limits     {@code hypervisor.limits}, as tokens ({@code read-write}), the unknown ones left out
 * @param structures {@code hypervisor.structures}
 * @param status     bound or rejected
 * @param reason     why it was rejected or is unavailable, else {@code null}
 * @param drift      what the service found changed outside Spindle ({@code hypervisor.drift}), one line each,
 *                   those about a volume starting with its id; empty when nothing (since 1.1)
 */
public record AttachServiceInfo(String source, String bundle, String service, String type, List<String> hosts, String cluster,
                                String zone, List<String> protocols, List<String> initiators, List<String> limits,
                                List<String> structures, ServiceStatus status, String reason, List<String> drift) {
    public AttachServiceInfo {
        drift = drift == null ? List.of() : List.copyOf(drift);
        hosts = List.copyOf(hosts);
        protocols = List.copyOf(protocols);
        initiators = List.copyOf(initiators);
        limits = List.copyOf(limits);
        structures = List.copyOf(structures);
    }

    /** An attach service without drift. */
    public AttachServiceInfo(String source, String bundle, String service, String type, List<String> hosts, String cluster,
                             String zone, List<String> protocols, List<String> initiators, List<String> limits,
                             List<String> structures, ServiceStatus status, String reason) {
        this(source, bundle, service, type, hosts, cluster, zone, protocols, initiators, limits, structures, status, reason, List.of());
    }
}
