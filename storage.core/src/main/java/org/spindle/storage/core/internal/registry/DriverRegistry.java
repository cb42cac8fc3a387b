package org.spindle.storage.core.internal.registry;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

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
import org.spindle.storage.api.driver.DriverProperties;
import org.spindle.storage.api.PoolCapacity;
import org.spindle.storage.api.driver.StorageDriver;
import org.spindle.storage.api.runtime.DriverInfo;
import org.spindle.storage.api.runtime.RejectionReporter;
import org.spindle.storage.api.runtime.ServiceStatus;
import org.spindle.storage.api.volume.Names;
import org.spindle.storage.core.internal.db.JdbcStore;
import org.spindle.storage.core.internal.db.PoolRecord;
import org.spindle.storage.core.internal.qos.StorageCapabilities;

/**
 * Tracks storage drivers and static pools. The first valid provider of a pool name (lowest service id) binds
 * it; a pool appears (a row is written) when its provider appears and becomes unavailable, not deleted, when
 * it goes. Invalid or duplicate providers are kept as rejected, with the reason.
 */
@Component(service = DriverRegistry.class, immediate = true)
public class DriverRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(DriverRegistry.class);

    private record Candidate(long serviceId, String bundle, Map<String, Object> props, StorageDriver driver, StaticPool staticPool) {
    }

    private final JdbcStore store;
    private final Rejections rejections;
    private final Map<Long, Candidate> candidates = new ConcurrentHashMap<>();
    private volatile Map<String, BoundPool> bound = Map.of();
    private volatile List<DriverInfo> infos = List.of();

    @Activate
    public DriverRegistry(@Reference JdbcStore store, @Reference Rejections rejections) {
        this.store = store;
        this.rejections = rejections;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addDriver(StorageDriver driver, ServiceReference<StorageDriver> ref) {
        add(id(ref), Props.bundle(ref), driver, Props.of(ref));
    }

    /** Adds a driver with the given service properties (also the entry point for tests). */
    public void add(long serviceId, String bundle, StorageDriver driver, Map<String, Object> props) {
        candidates.put(serviceId, new Candidate(serviceId, bundle, Map.copyOf(props), driver, null));
        recompute();
    }

    /** Removes a driver or static pool. */
    public void remove(long serviceId) {
        candidates.remove(serviceId);
        recompute();
    }

    void updatedDriver(StorageDriver driver, ServiceReference<StorageDriver> ref) {
        addDriver(driver, ref);
    }

    void removeDriver(StorageDriver driver, ServiceReference<StorageDriver> ref) {
        remove(id(ref));
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addStaticPool(StaticPool pool, ServiceReference<StaticPool> ref) {
        addStatic(id(ref), pool);
    }

    /** Adds a static pool (also the entry point for tests). */
    public void addStatic(long serviceId, StaticPool pool) {
        candidates.put(serviceId, new Candidate(serviceId, "org.spindle.storage.core", Map.of(), null, pool));
        recompute();
    }

    void removeStaticPool(StaticPool pool, ServiceReference<StaticPool> ref) {
        remove(id(ref));
    }

    private static long id(ServiceReference<?> ref) {
        return (Long) ref.getProperty(org.osgi.framework.Constants.SERVICE_ID);
    }

    private synchronized void recompute() {
        Map<String, BoundPool> next = new LinkedHashMap<>();
        List<DriverInfo> nextInfos = new ArrayList<>();
        List<Candidate> sorted = new ArrayList<>(candidates.values());
        sorted.sort(Comparator.comparingLong(Candidate::serviceId));
        for (Candidate c : sorted) {
            BoundPool pool;
            try {
                pool = describe(c);
            } catch (RuntimeException e) {
                LOG.warn("Rejected storage driver service {} of {}: {}", c.serviceId, c.bundle, e.getMessage());
                nextInfos.add(info(c, null, ServiceStatus.REJECTED, e.getMessage()));
                continue;
            }
            BoundPool holder = next.get(pool.record().name());
            if (holder != null) {
                String reason = "pool " + pool.record().name() + " is already served by " + holder.source();
                LOG.warn("Rejected storage driver service {} of {}: {}", c.serviceId, c.bundle, reason);
                nextInfos.add(info(c, pool, ServiceStatus.REJECTED, reason));
                continue;
            }
            if (!bound.containsKey(pool.record().name()) || !bound.get(pool.record().name()).record().equals(pool.record())) {
                store(pool.record());
                LOG.info("Pool {} available ({} in zone {})", pool.record().name(), pool.record().driverType(), pool.record().zone());
            }
            next.put(pool.record().name(), pool);
            nextInfos.add(info(c, pool, ServiceStatus.BOUND, null));
        }
        for (Map.Entry<String, BoundPool> gone : bound.entrySet()) {
            if (!next.containsKey(gone.getKey())) {
                LOG.info("Pool {} unavailable: {}", gone.getKey(), gone.getValue().managed() ? "its driver went away"
                        : "its static pool configuration was removed");
            }
        }
        bound = Map.copyOf(next);
        infos = List.copyOf(nextInfos);
    }

    /** Stores the pool's row; while the database is away, once it is back (the pool serves nothing until then). */
    private void store(PoolRecord pool) {
        try {
            store.upsertPool(pool);
        } catch (StorageException e) {
            if (e.reason() != StorageException.Reason.UNAVAILABLE) {
                throw e;
            }
            LOG.warn("Pool {}: its row is stored once the database is back ({})", pool.name(), e.getMessage());
            store.whenReady(() -> store.upsertPool(pool));
        }
    }

    private static BoundPool describe(Candidate c) {
        String source = "service " + c.serviceId + " of " + c.bundle;
        if (c.staticPool != null) {
            return new BoundPool(c.staticPool.record(), null, StorageCapabilities.NONE, c.staticPool.structure(), source);
        }
        Map<String, Object> p = c.props;
        String pool = Props.string(p, DriverProperties.POOL);
        if (pool == null) {
            throw StorageException.invalid(DriverProperties.POOL, "is missing: a driver must name the pool it serves");
        }
        Names.check(DriverProperties.POOL, pool);
        String type = Props.string(p, DriverProperties.TYPE);
        if (type == null) {
            throw StorageException.invalid(DriverProperties.TYPE, "is missing (e.g. solidfire)");
        }
        String zone = Props.string(p, DriverProperties.ZONE);
        if (zone == null) {
            throw StorageException.invalid(DriverProperties.ZONE, "is missing: a pool belongs to a zone");
        }
        List<String> protocols = Props.strings(p, DriverProperties.PROTOCOLS);
        if (protocols.size() != 1) {
            throw StorageException.invalid(DriverProperties.PROTOCOLS, "must name exactly one protocol for a pool (was " + protocols + ")");
        }
        Protocols.check(DriverProperties.PROTOCOLS, protocols.get(0));
        List<String> tags = Props.strings(p, DriverProperties.TAGS);
        tags.forEach(t -> Names.check(DriverProperties.TAGS, t));
        StorageCapabilities caps;
        try {
            caps = StorageCapabilities.fromServiceProperties(p, unknown -> LOG.warn("Storage driver service {} of {}: {}",
                    c.serviceId, c.bundle, unknown));
        } catch (IllegalArgumentException e) {
            throw new StorageException(StorageException.Reason.INVALID_ARGUMENT, DriverProperties.QOS, e.getMessage(), e);
        }
        PoolRecord record = new PoolRecord(pool, zone, tags, protocols.get(0), caps.managed(), type,
                PoolCapacity.UNKNOWN);
        return new BoundPool(record, c.driver, caps, null, source);
    }

    private static DriverInfo info(Candidate c, BoundPool bound, ServiceStatus status, String reason) {
        Map<String, Object> p = c.props;
        PoolRecord r = bound == null ? null : bound.record();
        return new DriverInfo(String.valueOf(c.serviceId), c.bundle,
                r != null ? r.driverType() : Props.string(p, DriverProperties.TYPE),
                r != null ? r.name() : Props.string(p, DriverProperties.POOL),
                r != null ? r.zone() : Props.string(p, DriverProperties.ZONE),
                r != null ? r.tags() : Props.strings(p, DriverProperties.TAGS),
                r != null ? List.of(r.protocol()) : Props.strings(p, DriverProperties.PROTOCOLS),
                bound != null ? bound.capabilities().tokens() : Props.strings(p, DriverProperties.QOS), r == null || r.managed(),
                status, reason);
    }

    /** The pool's provider, if present. */
    public Optional<BoundPool> pool(String name) {
        return Optional.ofNullable(bound.get(name));
    }

    /** Every pool whose provider is present. */
    public List<BoundPool> available() {
        return List.copyOf(bound.values());
    }

    /** Bound and rejected drivers, then drivers whose configuration was refused before they registered. */
    public List<DriverInfo> infos() {
        List<DriverInfo> all = new ArrayList<>(infos);
        for (Rejections.Report r : rejections.reports(RejectionReporter.Kind.DRIVER)) {
            all.add(new DriverInfo(r.pid(), r.bundle(), r.type(), null, null, List.of(), List.of(), List.of(), true,
                    r.status(), r.reason()));
        }
        return all;
    }

    /** Asks the pool's driver for its capacity and stores it; keeps the last known value if the driver fails. */
    /**
     * What the SAN of a managed {@code pool} reports now, not stored (the caller stores it, e.g. in the transaction of
     * the volume it checked it for); {@code null} for an unmanaged pool or when the SAN did not answer (nothing was read).
     */
    public PoolCapacity readCapacity(BoundPool pool) {
        if (!pool.managed()) {
            return null;
        }
        try {
            return pool.driver().capacity();
        } catch (RuntimeException e) {
            LOG.warn("Capacity of pool {} unknown: {}", pool.record().name(), e.getMessage());
            return null;
        }
    }

    public PoolCapacity refreshCapacity(BoundPool pool) {
        if (!pool.managed()) {
            return pool.record().capacity();
        }
        try {
            PoolCapacity c = pool.driver().capacity();
            store.updateCapacity(pool.record().name(), c);
            return c;
        } catch (RuntimeException e) {
            LOG.warn("Capacity of pool {} unknown: {}", pool.record().name(), e.getMessage());
            return store.pool(pool.record().name()).map(PoolRecord::capacity).orElse(PoolCapacity.UNKNOWN);
        }
    }
}
