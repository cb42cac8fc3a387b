package org.spindle.storage.core.internal.volume;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
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
import org.spindle.storage.api.qos.QosSpec;
import org.spindle.storage.api.volume.Volume;
import org.spindle.storage.api.volume.VolumeService;
import org.spindle.storage.api.volume.VolumeSpec;
import org.spindle.storage.api.volume.VolumeState;
import org.spindle.storage.core.internal.db.JdbcStore;
import org.spindle.storage.core.internal.db.VolumeRecord;
import org.spindle.storage.core.internal.qos.QosPlanner;
import org.spindle.storage.core.internal.registry.AttachRegistry;
import org.spindle.storage.core.internal.registry.BoundAttach;
import org.spindle.storage.core.internal.registry.DriverRegistry;
import org.spindle.storage.core.internal.registry.HostsListener;
import org.spindle.storage.core.internal.registry.LimitDefaults;

/**
 * The volume lifecycle, as the {@link VolumeService}. Each operation family has its own class
 * ({@link Provisioning}, {@link Attaching}, {@link Changes}) around the one transition rule of
 * {@link Transitions}; host changes of attach services are reconciled ({@link HostMembershipReconciler}) on
 * this component's own single thread, shut down with it. A refused operation changes nothing.
 */
@Component(service = VolumeService.class)
public class VolumeManager implements VolumeService {
    private static final Logger LOG = LoggerFactory.getLogger(VolumeManager.class);

    private final Events events = new Events();
    private final Core core;
    private final Provisioning provisioning;
    private final Attaching attaching;
    private final Changes changes;
    private final HostMembershipReconciler reconciler;
    private final AttachRegistry attachers;
    private final Executor executor;
    private final HostsListener listener = this::hostsChanged;

    @Activate
    public VolumeManager(@Reference JdbcStore store, @Reference DriverRegistry pools, @Reference AttachRegistry attachers,
                         @Reference LimitDefaults defaults) {
        this(store, pools, attachers, defaults, Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "spindle-host-membership");
            t.setDaemon(true);
            return t;
        }));
    }

    /** With the executor host changes are reconciled on ({@code Runnable::run} in tests, to run them synchronously). */
    VolumeManager(JdbcStore store, DriverRegistry pools, AttachRegistry attachers, LimitDefaults defaults, Executor executor) {
        Transitions tx = new Transitions(store, events);
        this.core = new Core(store, pools, attachers, defaults, new QosPlanner(), new VolumeRouter(), tx);
        this.provisioning = new Provisioning(core);
        this.attaching = new Attaching(core, provisioning);
        this.changes = new Changes(core);
        this.reconciler = new HostMembershipReconciler(core);
        this.attachers = attachers;
        this.executor = executor;
        rollBackInterrupted();
        attachers.listen(listener);
    }

    /** Stops reconciling host changes; waits a little for one under way. */
    @Deactivate
    void deactivate() {
        attachers.unlisten(listener);
        if (executor instanceof ExecutorService pool) {
            pool.shutdown();
            try {
                if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                    LOG.warn("A host membership reconciliation is still running; interrupting it");
                    pool.shutdownNow();
                }
            } catch (InterruptedException e) {
                pool.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
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

    /** Operations cut short by a stop go back to the state they started from, with a note in the error. */
    private void rollBackInterrupted() {
        for (VolumeRecord v : core.store().inFlight()) {
            String previous = core.store().previousState(v.id());
            VolumeState back = previous == null ? VolumeState.ERROR : VolumeState.valueOf(previous);
            String note = v.state() + " was interrupted by a restart; back to " + back + ", retry the operation";
            LOG.warn("Volume {}: {}", v.name(), note);
            // an interrupted attach keeps the access it may have granted (the next attach or the delete revokes it)
            boolean keepAttachment = back == VolumeState.ATTACHED;
            core.tx().save(v, c -> c.state(back).attachment(keepAttachment ? v.attachment() : null).error(note));
        }
    }

    @Override
    public Volume create(VolumeSpec spec) {
        return provisioning.create(spec, events);
    }

    @Override
    public Volume attach(String volume, String vm, String host) {
        VolumeRecord attached = attaching.attach(volume, vm, host);
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
        return attaching.detach(volume).volume();
    }

    @Override
    public Volume resize(String volume, long newSizeBytes) {
        return changes.resize(volume, newSizeBytes).volume();
    }

    @Override
    public Volume changeQos(String volume, QosSpec change) {
        return changes.changeQos(volume, change).volume();
    }

    @Override
    public Volume delete(String volume) {
        return provisioning.delete(core.tx().load(volume)).volume();
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
    public IoStats stats(String volume) {
        return changes.stats(volume);
    }
}
