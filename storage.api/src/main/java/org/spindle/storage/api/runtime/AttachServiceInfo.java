package org.spindle.storage.api.runtime;

import java.util.List;

/**
 * A hypervisor attach service as the core sees it.
 *
 * @param source     the service id, or the configuration PID for one rejected before it registered
 * @param bundle     the bundle's symbolic name
 * @param type       {@code hypervisor.type}
 * @param host       {@code hypervisor.host}
 * @param cluster    {@code hypervisor.cluster}
 * @param zone       {@code storage.zone}
 * @param protocols  {@code storage.protocols}
 * @param limits     {@code hypervisor.limits}
 * @param structures {@code hypervisor.structures}
 * @param status     bound or rejected
 * @param reason     why it was rejected, else {@code null}
 */
public record AttachServiceInfo(String source, String bundle, String type, String host, String cluster, String zone,
                                List<String> protocols, List<String> limits, List<String> structures,
                                ServiceStatus status, String reason) {
    public AttachServiceInfo {
        protocols = List.copyOf(protocols);
        limits = List.copyOf(limits);
        structures = List.copyOf(structures);
    }
}
