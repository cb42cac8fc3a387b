package org.spindle.storage.core.internal.volume;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.EventAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spindle.storage.api.IoStats;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.qos.QosSpec;
import org.spindle.storage.api.runtime.Orphan;
import org.spindle.storage.api.runtime.QosAudit;
import org.spindle.storage.api.runtime.QosAuditReport;
import org.spindle.storage.api.runtime.ReconcileReport;
import org.spindle.storage.api.runtime.Reconciliation;
import org.spindle.storage.api.usage.UsageQuery;
import org.spindle.storage.api.usage.UsageRecord;
import org.spindle.storage.api.usage.UsageService;
import org.spindle.storage.api.volume.Volume;
import org.spindle.storage.api.volume.VolumeQuery;
import org.spindle.storage.api.volume.VolumeService;
import org.spindle.storage.api.volume.VolumeSpec;
import org.spindle.storage.core.internal.audit.Auditor;
import org.spindle.storage.core.internal.db.JdbcStore;
import org.spindle.storage.core.internal.db.VolumeRecord;
import org.spindle.storage.core.internal.qos.QosPlanner;
import org.spindle.storage.core.internal.registry.AttachRegistry;
import org.spindle.storage.core.internal.registry.BoundAttach;
import org.spindle.storage.core.internal.registry.DriverRegistry;
import org.spindle.storage.core.internal.registry.HostsListener;
import org.spindle.storage.core.internal.registry.LimitDefaults;

/**
 * The volume lifecycle, as the {@link VolumeService}, and its {@link Reconciliation}. Each operation family has
 * its own class ({@link Provisioning}, {@link Attaching}, {@link Changes}) around the one transition rule of
 * {@link Transitions}; host changes of attach services are reconciled ({@link HostMembershipReconciler}) on
 * this component's own single thread, shut down with it. A second thread renews the leases of the operations
 * this node runs and runs the reconciliation passes ({@link Reconciler}): one at activation, then every
 * {@code interval.seconds}; and the QoS audit ({@link QosAuditor}) and usage readings ({@link UsageMeter}) as
 * {@code org.spindle.storage.qos} says. A refused operation changes nothing.
 */
@Component(service = {VolumeService.class, Reconciliation.class, QosAudit.class, UsageService.class},
        configurationPid = {ReconcileConfig.PID, QosAuditConfig.PID})
public class VolumeManager implements VolumeService, Reconciliation, QosAudit, UsageService {
    private static final Logger LOG = LoggerFactory.getLogger(VolumeManager.class);

    private final Events events = new Events();
    private final Core core;
    private final Provisioning provisioning;
    private final Attaching attaching;
    private final Changes changes;
    private final HostMembershipReconciler reconciler;
    private final Reconciler passes;
    private final QosAuditor auditor;
    private final Auditor trail;
    private final UsageMeter usage;
    private final QosSettings qos;
    private final AttachRegistry attachers;
    private final Executor executor;
    /** Renews leases and runs reconciliation passes; {@code null} in tests, which run passes by hand. */
    private final ScheduledExecutorService scheduler;
    private final HostsListener listener = this::hostsChanged;

    @Activate
    public VolumeManager(@Reference JdbcStore store, @Reference DriverRegistry pools, @Reference AttachRegistry attachers,
                         @Reference LimitDefaults defaults, ReconcileConfig config, QosAuditConfig qos) {
        this(store, pools, attachers, defaults, Executors.newSingleThreadExecutor(daemon("spindle-host-membership")), settings(config),
                QosSettings.of(qos), Clock.systemUTC(), Executors.newScheduledThreadPool(2, daemon("spindle-reconcile")));
    }

    /**
     * With the executor host changes are reconciled on ({@code Runnable::run} in tests, to run them
     * synchronously); no passes or lease renewals run by themselves.
     */
    VolumeManager(JdbcStore store, DriverRegistry pools, AttachRegistry attachers, LimitDefaults defaults, Executor executor) {
        this(store, pools, attachers, defaults, executor, Reconciler.ReconcileSettings.DEFAULT, null);
    }

    VolumeManager(JdbcStore store, DriverRegistry pools, AttachRegistry attachers, LimitDefaults defaults, Executor executor,
                  Reconciler.ReconcileSettings settings, ScheduledExecutorService scheduler) {
        this(store, pools, attachers, defaults, executor, settings, QosSettings.DEFAULT, Clock.systemUTC(), scheduler);
    }

    /** For tests: with QoS and usage settings and the clock usage readings take their time from. */
    VolumeManager(JdbcStore store, DriverRegistry pools, AttachRegistry attachers, LimitDefaults defaults, Executor executor,
                  Reconciler.ReconcileSettings settings, QosSettings qos, Clock clock, ScheduledExecutorService scheduler) {
        this.trail = new Auditor(store, events::eventAdmin);
        Transitions tx = new Transitions(store, events, trail::ticket);
        this.core = new Core(store, pools, attachers, defaults, new QosPlanner(), new VolumeRouter(), tx);
        this.provisioning = new Provisioning(core);
        this.attaching = new Attaching(core, provisioning);
        this.changes = new Changes(core);
        this.reconciler = new HostMembershipReconciler(core);
        this.passes = new Reconciler(core, events, settings);
        this.auditor = new QosAuditor(core, events);
        this.usage = new UsageMeter(core, Duration.ofSeconds(qos.usagePeriodSeconds()), clock, executor);
        this.qos = qos;
        this.attachers = attachers;
        this.executor = executor;
        this.scheduler = scheduler;
        attachers.listen(listener);
        if (scheduler != null) {
            long renew = Math.max(1, store.leaseSeconds() / 3);
            scheduler.scheduleWithFixedDelay(this::renewLeases, renew, renew, TimeUnit.SECONDS);
            if (settings.intervalSeconds() > 0) {
                scheduler.scheduleWithFixedDelay(this::scheduledPass, 0, settings.intervalSeconds(), TimeUnit.SECONDS);
            } else {
                scheduler.execute(this::scheduledPass);
            }
            if (qos.auditIntervalSeconds() > 0) {
                scheduler.scheduleWithFixedDelay(this::scheduledAudit, qos.auditIntervalSeconds(), qos.auditIntervalSeconds(), TimeUnit.SECONDS);
            }
            // not at start: a restart never costs a stats call per volume; the first readings after it cover the gap
            scheduler.scheduleAtFixedRate(this::scheduledUsage, qos.usagePeriodSeconds(), qos.usagePeriodSeconds(), TimeUnit.SECONDS);
        }
    }

    /** How the QoS audit and the usage readings run. */
    record QosSettings(int auditIntervalSeconds, boolean heal, int readsPerSecond, int usagePeriodSeconds) {
        static final QosSettings DEFAULT = new QosSettings(300, false, 20, 3600);

        static QosSettings of(QosAuditConfig c) {
            if (c.audit_interval_seconds() < 0) {
                throw StorageException.invalid("audit.interval.seconds", "must be 0 (on demand only) or more (was "
                        + c.audit_interval_seconds() + ")");
            }
            if (!"report".equals(c.audit_mode()) && !"heal".equals(c.audit_mode())) {
                throw StorageException.invalid("audit.mode", "must be report or heal (was " + c.audit_mode() + ")");
            }
            if (c.audit_reads_per_second() < 0) {
                throw StorageException.invalid("audit.reads.per.second", "must be 0 (no limit) or more (was "
                        + c.audit_reads_per_second() + ")");
            }
            if (c.usage_period_seconds() < 60) {
                throw StorageException.invalid("usage.period.seconds", "must be at least 60 (was " + c.usage_period_seconds() + ")");
            }
            return new QosSettings(c.audit_interval_seconds(), "heal".equals(c.audit_mode()), c.audit_reads_per_second(),
                    c.usage_period_seconds());
        }
    }

    private void scheduledAudit() {
        try {
            auditor.audit(null, qos.heal(), qos.readsPerSecond() == 0 ? 0 : 1000L / qos.readsPerSecond());
        } catch (RuntimeException e) {
            LOG.warn("QoS audit pass failed; the next one tries again: {}", e.getMessage());
        }
    }

    private void scheduledUsage() {
        try {
            usage.sampleAll();
        } catch (RuntimeException e) {
            LOG.warn("Usage readings failed; the next ones cover the interval: {}", e.getMessage());
        }
    }

    @Override
    public QosAuditReport audit(String volume) {
        return auditor.audit(volume, qos.heal(), 0);
    }

    @Override
    public QosAuditReport heal(String volume) {
        return trail.record("qos.heal", volume, null, () -> auditor.audit(volume, true, 0));
    }

    @Override
    public List<UsageRecord> usage(UsageQuery query) {
        return usage.usage(query);
    }

    @Override
    public void sample() {
        usage.sampleAll();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    private static Reconciler.ReconcileSettings settings(ReconcileConfig config) {
        if (config.interval_seconds() < 0) {
            throw StorageException.invalid("interval.seconds", "must be 0 (passes on demand only) or more (was " + config.interval_seconds() + ")");
        }
        if (config.orphan_grace_seconds() < 0) {
            throw StorageException.invalid("orphan.grace.seconds", "must be 0 or more (was " + config.orphan_grace_seconds() + ")");
        }
        return new Reconciler.ReconcileSettings(config.interval_seconds(), config.orphan_grace_seconds(), config.orphan_remove());
    }

    private void renewLeases() {
        try {
            core.store().renewLeases(core.tx().executing());
        } catch (RuntimeException e) {
            LOG.warn("Renewing the leases of this node's operations failed (other nodes may take them over once they expire): {}",
                    e.getMessage());
        }
    }

    private void scheduledPass() {
        try {
            passes.passIfIdle();
        } catch (RuntimeException e) {
            LOG.warn("Reconciliation pass failed; the next one tries again: {}", e.getMessage());
        }
    }

    /** Stops reconciling host changes and passes; waits a little for one under way. */
    @Deactivate
    void deactivate() {
        attachers.unlisten(listener);
        stop(scheduler, "reconciliation pass");
        if (executor instanceof ExecutorService pool) {
            stop(pool, "host membership reconciliation");
        }
    }

    private static void stop(ExecutorService pool, String what) {
        if (pool == null) {
            return;
        }
        pool.shutdown();
        try {
            if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("A {} is still running; interrupting it", what);
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** The volumes whose operation this run is executing now (their leases are renewed). */
    java.util.Set<java.util.UUID> executing() {
        return core.tx().executing();
    }

    @Override
    public ReconcileReport reconcile() {
        return trail.record("reconcile", null, null, () -> passes.pass(Duration.ofSeconds(30)));
    }

    @Override
    public List<Orphan> orphans() {
        return core.store().orphans().all();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void setEventAdmin(EventAdmin ea) {
        events.setEventAdmin(ea);
    }

    void unsetEventAdmin(EventAdmin ea) {
        events.setEventAdmin(null);
    }

    private void hostsChanged(BoundAttach before, BoundAttach after) {
        try {
            executor.execute(() -> {
                try {
                    reconciler.reconcile(after);
                } catch (RuntimeException e) {
                    LOG.error("Reconciling the hosts of attach service {} failed: {}", after.identity(), e.toString());
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.warn("Hosts of attach service {} changed while the core stops; not reconciled now", after.identity());
        }
    }

    @Override
    public Volume create(VolumeSpec spec) {
        // one transaction: the row, the pool's counts and the capacity just read, the first usage reading, the audit record
        return trail.recordInLastSave("volume.create", spec.name(), "offering " + spec.offering() + ", " + spec.sizeBytes()
                + " bytes, tenant " + spec.tenant() + (spec.customIops().isEmpty() ? "" : ", custom " + describe(spec.customIops())),
                () -> provisioning.create(spec, events, usage::first));
    }

    @Override
    public Volume attach(String volume, String vm, String host) {
        VolumeRecord attached = trail.recordInLastSave("volume.attach", volume, "vm " + vm + (host != null ? ", host " + host : ""),
                () -> usage.around(volume, true, loaded -> attaching.attach(volume, loaded, vm, host)));
        catchUp(attached);
        return attached.volume();
    }

    /**
     * A host change that came while the volume was ATTACHING was skipped for it: when the service's hosts or
     * initiators differ from what the attach used, its volumes are reconciled now.
     */
    private void catchUp(VolumeRecord attached) {
        core.attachers().byIdentity(attached.attachment().service()).ifPresent(service -> {
            boolean initiators = attached.granted() != null && !Set.copyOf(service.initiators()).equals(Set.copyOf(attached.granted().initiators()));
            boolean hosts = attached.attachment().host() != null && !service.hosts().isEmpty()
                    && !service.hosts().contains(attached.attachment().host());
            if (initiators || hosts) {
                LOG.info("Volume {}: the hosts of {} changed during the attach; bringing it to them", attached.name(), service.identity());
                hostsChanged(service, service);
            }
        });
    }

    @Override
    public Volume detach(String volume) {
        return trail.recordInLastSave("volume.detach", volume, null, () -> usage.around(volume, loaded -> attaching.detach(volume, loaded))).volume();
    }

    @Override
    public Volume resize(String volume, long newSizeBytes) {
        Volume resized = trail.record("volume.resize", volume, newSizeBytes + " bytes",
                () -> usage.around(volume, loaded -> changes.resize(volume, loaded, newSizeBytes))).volume();
        refreshCapacity(resized);
        return resized;
    }

    private static String describe(org.spindle.storage.api.qos.StorageQos q) {
        return "min-iops " + q.minIops() + ", max-iops " + q.maxIops() + ", burst-iops " + q.burstIops();
    }

    /** After a change of what a pool holds: its stored capacity, which listings show, is read again. */
    private void refreshCapacity(Volume changed) {
        try {
            executor.execute(() -> core.pools().pool(changed.pool()).ifPresent(core.pools()::refreshCapacity));
        } catch (RejectedExecutionException stopping) {
            // the next reconciliation pass reads it
        }
    }

    @Override
    public Volume changeQos(String volume, QosSpec change) {
        return trail.record("volume.qos", volume, (change.storage().isEmpty() ? "" : "storage " + describe(change.storage()) + "; ")
                + (change.limits().isEmpty() ? "" : "limits " + change.limits()),
                () -> usage.around(volume, loaded -> changes.changeQos(volume, loaded, change))).volume();
    }

    @Override
    public Volume delete(String volume) {
        Volume deleted = trail.recordInLastSave("volume.delete", volume, null,
                () -> usage.around(volume, loaded -> provisioning.delete(core.tx().load(volume, loaded)))).volume();
        refreshCapacity(deleted);
        return deleted;
    }

    @Override
    public Optional<Volume> get(String volume) {
        return core.tx().find(volume).map(VolumeRecord::volume);
    }

    @Override
    public List<Volume> list(boolean includeDestroyed) {
        return core.store().volumes(includeDestroyed).stream().map(VolumeRecord::volume).toList();
    }

    @Override
    public List<Volume> list(VolumeQuery query) {
        return core.store().pages().page(query).stream().map(VolumeRecord::volume).toList();
    }

    @Override
    public IoStats stats(String volume) {
        return changes.stats(volume);
    }
}
