package org.spindle.storage.core.internal.volume;

import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

import org.spindle.storage.core.internal.db.JdbcStore;
import org.spindle.storage.core.internal.registry.AttachRegistry;
import org.spindle.storage.core.internal.registry.DriverRegistry;
import org.spindle.storage.core.internal.registry.LimitDefaults;

/**
 * The core's volume lifecycle for the benchmarks, made as the core's own tests make it. A class of the core's private
 * package, on the benchmarks' plain class path only.
 */
public final class BenchCores {
    private BenchCores() {
    }

    /** The lifecycle with host changes reconciled synchronously and no background passes (as in the core's tests). */
    public static VolumeManager manager(JdbcStore store, DriverRegistry pools, AttachRegistry attachers, LimitDefaults defaults) {
        return new VolumeManager(store, pools, attachers, defaults, Runnable::run);
    }

    /**
     * The lifecycle as its activation makes it: its own threads, one reconciliation pass at start in the
     * background (interval.seconds 0), orphans only reported. {@link #deactivate} stops it.
     */
    public static VolumeManager activated(JdbcStore store, DriverRegistry pools, AttachRegistry attachers, LimitDefaults defaults) {
        return new VolumeManager(store, pools, attachers, defaults, Executors.newSingleThreadExecutor(daemon("bench-host-membership")),
                new Reconciler.ReconcileSettings(0, 3600, false), Executors.newSingleThreadScheduledExecutor(daemon("bench-reconcile")));
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    public static void deactivate(VolumeManager manager) {
        manager.deactivate();
    }
}
