package org.spindle.storage.api.runtime;

import java.util.List;

/**
 * A storage driver as the core sees it.
 *
 * @param source   the service id, or the configuration PID for a driver rejected before it registered
 * @param bundle   the bundle's symbolic name
 * @param type     {@code storage.driver.type}
 * @param pool     {@code storage.pool}
 * @param zone     {@code storage.zone}
 * @param tags     {@code storage.tags}
 * @param protocols {@code storage.protocols}
 * @param qos      {@code storage.qos}
 * @param managed  {@code storage.managed}
 * @param status   bound or rejected
 * @param reason   why it was rejected, else {@code null}
 */
public record DriverInfo(String source, String bundle, String type, String pool, String zone, List<String> tags,
                         List<String> protocols, List<String> qos, boolean managed, ServiceStatus status, String reason) {
    public DriverInfo {
        tags = List.copyOf(tags);
        protocols = List.copyOf(protocols);
        qos = List.copyOf(qos);
    }
}
