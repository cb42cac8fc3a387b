package org.spindle.itest.driver.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.spindle.storage.api.PoolCapacity;
import org.spindle.storage.api.Portal;
import org.spindle.storage.api.Protocols;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.driver.DriverProperties;
import org.spindle.storage.api.volume.Names;

/**
 * One test SAN's configuration, validated: every refusal names its configuration key.
 *
 * @param pool     {@code storage.pool}
 * @param portals  {@code target.portals}, parsed
 * @param protocol the first of {@code storage.protocols} (the protocol of its targets)
 * @param minSize  {@code storage.volume.size.min}, 1 when not configured
 * @param capacity {@code capacity.bytes} and {@code capacity.iops} as totals
 */
record SanSettings(String pool, List<Portal> portals, String protocol, long minSize, PoolCapacity capacity) {
    SanSettings {
        Names.check(DriverProperties.POOL, pool);
        portals = List.copyOf(portals);
        if (portals.isEmpty()) {
            throw StorageException.invalid("target.portals", "must name at least one portal, host:port or [ipv6]:port");
        }
        Protocols.check(DriverProperties.PROTOCOLS, protocol);
        if (minSize <= 0) {
            throw StorageException.invalid(DriverProperties.VOLUME_SIZE_MIN, "must be a positive number of bytes (was " + minSize + ")");
        }
        if (capacity.totalBytes() <= 0) {
            throw StorageException.invalid("capacity.bytes", "must be positive (was " + capacity.totalBytes() + ")");
        }
        if (capacity.totalIops() < 0) {
            throw StorageException.invalid("capacity.iops", "must be 0 or positive (was " + capacity.totalIops() + ")");
        }
    }

    /** From the component's configuration and its properties (which carry the {@code storage.*} keys). */
    static SanSettings of(TestDriverConfig config, Map<String, Object> properties) {
        return new SanSettings(config.storage_pool(), portals(config.target_portals()),
                firstProtocol(properties.get(DriverProperties.PROTOCOLS)),
                minSize(properties.get(DriverProperties.VOLUME_SIZE_MIN)),
                new PoolCapacity(config.capacity_bytes(), 0, config.capacity_iops(), 0));
    }

    static List<Portal> portals(String... configured) {
        List<Portal> portals = new ArrayList<>();
        for (String p : configured) {
            try {
                portals.add(Portal.parse(p, Portal.ISCSI_PORT));
            } catch (StorageException e) {
                throw StorageException.invalid("target.portals", e.getMessage());
            }
        }
        return portals;
    }

    private static String firstProtocol(Object configured) {
        if (configured instanceof String[] a && a.length > 0) {
            return a[0];
        }
        if (configured instanceof Collection<?> c && !c.isEmpty()) {
            return String.valueOf(c.iterator().next());
        }
        return configured instanceof String one ? one : Protocols.ISCSI;
    }

    private static long minSize(Object configured) {
        if (configured == null) {
            return 1;
        }
        if (configured instanceof Number n) {
            return n.longValue();
        }
        try {
            return Long.parseLong(configured.toString().strip());
        } catch (NumberFormatException e) {
            throw StorageException.invalid(DriverProperties.VOLUME_SIZE_MIN, "must be a positive number of bytes (was '"
                    + configured + "')");
        }
    }
}
