package org.spindle.storage.core.internal.volume;

import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;
import org.spindle.storage.api.driver.SanVolumeRef;
import org.spindle.storage.core.internal.db.JdbcStore;
import org.spindle.storage.core.internal.db.VolumeRecord;
import org.spindle.storage.core.internal.qos.HypervisorSide;
import org.spindle.storage.core.internal.qos.QosPlanner;
import org.spindle.storage.core.internal.registry.AttachRegistry;
import org.spindle.storage.core.internal.registry.BoundAttach;
import org.spindle.storage.core.internal.registry.BoundPool;
import org.spindle.storage.core.internal.registry.DriverRegistry;
import org.spindle.storage.core.internal.registry.LimitDefaults;

/** What every operation family of the lifecycle works with, and the lookups they share. */
record Core(JdbcStore store, DriverRegistry pools, AttachRegistry attachers, LimitDefaults defaults, QosPlanner planner,
            VolumeRouter router, Transitions tx) {

    /** The volume's pool, if its driver (or static configuration) is there. */
    BoundPool availablePool(VolumeRecord v) {
        return pools.pool(v.volume().pool()).orElseThrow(() -> new StorageException(Reason.UNAVAILABLE, "pool", "pool "
                + v.volume().pool() + " is unavailable (its driver is not running): volume " + v.name() + " cannot be changed now", null));
    }

    /** The attach service an attached volume was attached through: by its stored identity, never by host. */
    BoundAttach serviceOf(VolumeRecord v) {
        String service = v.attachment().service();
        return attachers.byIdentity(service).orElseThrow(() -> new StorageException(Reason.UNAVAILABLE, "host", "host: attach service "
                + service + " is not running; volume " + v.name() + " stays attached to " + v.attachment().vm(), null));
    }

    /** The plan's view of an attach service: what it enforces and the default limits of its type. */
    HypervisorSide side(BoundAttach service) {
        return new HypervisorSide(service.identity(), service.type(), service.limits(), defaults.forType(service.type()));
    }

    static SanVolumeRef ref(VolumeRecord v) {
        return new SanVolumeRef(v.id(), v.sanId());
    }
}
