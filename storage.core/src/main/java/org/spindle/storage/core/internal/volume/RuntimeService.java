package org.spindle.storage.core.internal.volume;

import java.util.List;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.spindle.storage.api.PoolCapacity;
import org.spindle.storage.api.runtime.AttachServiceInfo;
import org.spindle.storage.api.runtime.DriverInfo;
import org.spindle.storage.api.runtime.PoolInfo;
import org.spindle.storage.api.runtime.StorageRuntime;
import org.spindle.storage.core.internal.db.JdbcStore;
import org.spindle.storage.core.internal.db.PoolRecord;
import org.spindle.storage.core.internal.registry.AttachRegistry;
import org.spindle.storage.core.internal.registry.BoundPool;
import org.spindle.storage.core.internal.registry.DriverRegistry;

/** Introspection: drivers and attach services (bound and rejected) and pools (available or not). */
@Component(service = StorageRuntime.class)
public class RuntimeService implements StorageRuntime {
    private final JdbcStore store;
    private final DriverRegistry pools;
    private final AttachRegistry attachers;

    @Activate
    public RuntimeService(@Reference JdbcStore store, @Reference DriverRegistry pools, @Reference AttachRegistry attachers) {
        this.store = store;
        this.pools = pools;
        this.attachers = attachers;
    }

    @Override
    public List<DriverInfo> drivers() {
        return pools.infos();
    }

    @Override
    public List<AttachServiceInfo> attachServices() {
        return attachers.infos();
    }

    @Override
    public List<PoolInfo> pools() {
        return store.pools().stream().map(this::info).toList();
    }

    @Override
    public Optional<PoolInfo> pool(String name) {
        return store.pool(name).map(this::info);
    }

    private PoolInfo info(PoolRecord r) {
        Optional<BoundPool> bound = pools.pool(r.name());
        // the capacity as last stored: refreshed by every reconciliation pass and after each change, so that listing
        // pools costs no SAN call; asked only for a pool that never had one
        PoolCapacity capacity = r.capacity();
        if (bound.isPresent() && PoolCapacity.UNKNOWN.equals(capacity)) {
            capacity = pools.refreshCapacity(bound.get());
        }
        return new PoolInfo(r.name(), r.zone(), r.tags(), r.protocol(), r.managed(), r.driverType(), bound.isPresent(),
                capacity, r.liveVolumes());
    }
}
