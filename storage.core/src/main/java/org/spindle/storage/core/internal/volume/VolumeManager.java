package org.spindle.storage.core.internal.volume;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spindle.storage.api.IoStats;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.attach.AttachRequest;
import org.spindle.storage.api.attach.Attachment;
import org.spindle.storage.api.attach.StaticDiskRequest;
import org.spindle.storage.api.attach.VmInfo;
import org.spindle.storage.api.driver.Initiator;
import org.spindle.storage.api.driver.SanVolume;
import org.spindle.storage.api.driver.SanVolumeRef;
import org.spindle.storage.api.driver.SanVolumeRequest;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.Limit;
import org.spindle.storage.api.qos.QosPlan;
import org.spindle.storage.api.qos.QosSpec;
import org.spindle.storage.api.qos.StorageQos;
import org.spindle.storage.api.volume.Names;
import org.spindle.storage.api.volume.Offering;
import org.spindle.storage.api.volume.Volume;
import org.spindle.storage.api.volume.VolumeService;
import org.spindle.storage.api.volume.VolumeSpec;
import org.spindle.storage.api.volume.VolumeState;
import org.spindle.storage.core.internal.db.JdbcStore;
import org.spindle.storage.core.internal.registry.AttachRegistry;
import org.spindle.storage.core.internal.registry.BoundAttach;
import org.spindle.storage.core.internal.registry.BoundPool;
import org.spindle.storage.core.internal.registry.DriverRegistry;
import org.spindle.storage.core.internal.qos.QosPlanner;

/**
 * The volume lifecycle. Every step is a compare-and-set on the volume's row version, and the intent (a
 * transitional state) is stored before each call to a driver or attach service, so a concurrent or stale
 * operation is refused and a restart knows what was under way. A refused operation changes nothing.
 */
@Component(service = VolumeService.class, configurationPid = CoreConfig.PID)
@Designate(ocd = CoreConfig.class)
public class VolumeManager implements VolumeService {
    private static final Logger LOG = LoggerFactory.getLogger(VolumeManager.class);

    private final JdbcStore store;
    private final DriverRegistry pools;
    private final AttachRegistry attachers;
    private final QosPlanner planner;
    private final VolumeRouter router = new VolumeRouter();
    private final Events events = new Events();

    @Activate
    public VolumeManager(@Reference JdbcStore store, @Reference DriverRegistry pools, @Reference AttachRegistry attachers, CoreConfig config) {
        this(store, pools, attachers, new QosPlanner(defaults(config)));
    }

    /** The core's default hypervisor limits; a bad value fails naming its configuration key. */
    static IoLimits defaults(CoreConfig c) {
        return new IoLimits(new Limit("default.read.iops", c.default_read_iops(), 0, 0),
                new Limit("default.write.iops", c.default_write_iops(), 0, 0),
                new Limit("default.total.iops", c.default_total_iops(), 0, 0),
                new Limit("default.read.bps", c.default_read_bps(), 0, 0),
                new Limit("default.write.bps", c.default_write_bps(), 0, 0),
                new Limit("default.total.bps", c.default_total_bps(), 0, 0));
    }

    VolumeManager(JdbcStore store, DriverRegistry pools, AttachRegistry attachers, QosPlanner planner) {
        this.store = store;
        this.pools = pools;
        this.attachers = attachers;
        this.planner = planner;
        rollBackInterrupted();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void setEventAdmin(EventAdmin ea) {
        events.setEventAdmin(ea);
    }

    void unsetEventAdmin(EventAdmin ea) {
        events.setEventAdmin(null);
    }

    /** Operations cut short by a stop go back to the state they started from, with a note in the error. */
    private void rollBackInterrupted() {
        for (Volume v : store.inFlight()) {
            String previous = store.previousState(v);
            VolumeState back = previous == null ? VolumeState.ERROR : VolumeState.valueOf(previous);
            String note = v.state() + " was interrupted by a restart; back to " + back + ", retry the operation";
            LOG.warn("Volume {}: {}", v.name(), note);
            save(v, VolumeChange.of(v).state(back).error(note).next());
        }
    }

    // ---- create -----------------------------------------------------------------------------------------

    @Override
    public Volume create(VolumeSpec spec) {
        Offering offering = store.offering(spec.offering()).orElseThrow(() -> new StorageException(Reason.NOT_FOUND, "offering",
                "offering: no offering named " + spec.offering(), null));
        QosSpec requested = planner.requested(offering, spec.customIops());
        if (store.volumeByName(spec.name()).filter(v -> v.state() != VolumeState.DESTROYED).isPresent()) {
            throw new StorageException(Reason.ALREADY_EXISTS, "name", "name: a volume named " + spec.name() + " exists already", null);
        }
        BoundPool pool = router.choosePool(offering, spec.sizeBytes(), requested.storage().minIops(), store.pools(), pools.available(),
                pools::refreshCapacity);
        StorageQos storage = planner.planStorage(requested, pool.capabilities());
        Instant now = Instant.now();
        Volume v = new Volume(UUID.randomUUID(), spec.name(), spec.tenant(), spec.sizeBytes(), offering.name(), pool.record().name(),
                VolumeState.ALLOCATED, 1, requested, new QosPlan(storage, IoLimits.NONE, planner.effectiveBeforeAttach(storage)),
                null, null, null, null, now, now);
        store.insertVolume(v);
        events.changed(null, v);
        LOG.info("Volume {} ({}) allocated in pool {}", v.name(), v.id(), v.pool());
        return v;
    }

    // ---- attach -----------------------------------------------------------------------------------------

    @Override
    public Volume attach(String volume, String vm, String host) {
        Names.check("vm", vm);
        if (host != null) {
            Names.check("host", host);
        }
        Volume v = load(volume);
        if (v.state() == VolumeState.ATTACHED) {
            throw conflict(v, "is already attached to " + v.attachment().vm() + "; detach it first");
        }
        requireState(v, "attach", VolumeState.ALLOCATED, VolumeState.READY);
        BoundPool pool = availablePool(v);
        Located at = locate(pool, vm, host);
        // the hypervisor side is checked before anything is created: a refused plan leaves the volume as it was
        QosPlan plan = planner.plan(v.requested(), pool.capabilities(), at.service().limits());
        List<Initiator> initiators = initiators(pool, at.service());

        if (v.state() == VolumeState.ALLOCATED) {
            v = createOnStorage(v, pool, at.service());
        }
        Volume attaching = save(v, VolumeChange.of(v).state(VolumeState.ATTACHING)
                .attachment(new Attachment(v.id(), vm, at.vm().host(), "pending", null, pool.managed())).next());
        Target target = attaching.target();
        List<Initiator> granted = new ArrayList<>();
        try {
            if (pool.managed()) {
                for (Initiator i : initiators) {
                    target = pool.driver().grantAccess(ref(attaching), i);
                    granted.add(i);
                }
            }
            Attachment a = at.service().service().attach(new AttachRequest(v.id(), v.name(), vm, target, pool.managed(), plan.hypervisor()));
            Volume attached = save(attaching, VolumeChange.of(attaching).state(VolumeState.ATTACHED).attachment(a).plan(plan).next());
            LOG.info("Volume {} attached to {} on {} as {}", v.name(), vm, a.host(), a.device());
            return attached;
        } catch (RuntimeException e) {
            for (Initiator i : granted) {
                try {
                    pool.driver().revokeAccess(ref(attaching), i);
                } catch (RuntimeException r) {
                    LOG.warn("Volume {}: revoking {} after a failed attach failed too: {}", v.name(), i.address(), r.getMessage());
                }
            }
            save(attaching, VolumeChange.of(attaching).state(VolumeState.READY).attachment(null).error("attach to " + vm + " failed: "
                    + e.getMessage()).next());
            throw wrap(e, "attach of " + v.name() + " to " + vm + " failed");
        }
    }

    /** Creates the SAN volume (or the static disk) of an allocated volume: CREATING, then READY. */
    private Volume createOnStorage(Volume v, BoundPool pool, BoundAttach service) {
        Volume creating = save(v, VolumeChange.of(v).state(VolumeState.CREATING).next());
        try {
            String sanId;
            Target target;
            if (pool.managed()) {
                SanVolume san = pool.driver().createVolume(new SanVolumeRequest(v.id(), v.name(), v.tenant(), v.sizeBytes(), v.plan().storage()));
                sanId = san.sanId();
                target = san.target();
            } else {
                target = service.service().createDisk(new StaticDiskRequest(v.id(), v.name(), pool.structure(), v.sizeBytes()));
                sanId = target.name();
            }
            LOG.info("Volume {}: created on {} as {}", v.name(), pool.record().name(), target.name());
            return save(creating, VolumeChange.of(creating).state(VolumeState.READY).san(sanId, target).next());
        } catch (RuntimeException e) {
            save(creating, VolumeChange.of(creating).state(VolumeState.ALLOCATED).error("create on " + pool.record().name()
                    + " failed: " + e.getMessage()).next());
            throw wrap(e, "creating " + v.name() + " on pool " + pool.record().name() + " failed");
        }
    }

    private record Located(BoundAttach service, VmInfo vm) {
    }

    /** The one attach service that runs {@code vm} and can attach volumes of {@code pool}. */
    private Located locate(BoundPool pool, String vm, String host) {
        List<BoundAttach> fit = attachers.matching(router.attachFilter(pool.record(), host, pool.structure()));
        List<Located> found = new ArrayList<>();
        for (BoundAttach b : fit) {
            b.service().findVm(vm).ifPresent(info -> found.add(new Located(b, info)));
        }
        if (found.size() == 1) {
            return found.get(0);
        }
        if (found.size() > 1) {
            throw new StorageException(Reason.CONFLICT, "host", "host: VM " + vm + " is known to several hosts ("
                    + String.join(", ", found.stream().map(l -> l.service().label()).toList()) + "); name one with --host", null);
        }
        // explain why nothing fits
        for (BoundAttach b : attachers.matching(router.zoneFilter(pool.record(), host))) {
            if (b.service().findVm(vm).isPresent()) {
                throw new StorageException(Reason.NO_ROUTE, "vm", "vm: " + vm + " runs on " + b.label() + " (" + b.type()
                        + "), which cannot attach " + pool.record().protocol() + (pool.structure() != null ? " disks of structure "
                        + pool.structure() : "") + " volumes of pool " + pool.record().name(), null);
            }
        }
        if (host != null && attachers.matching(router.hostFilter(host)).isEmpty()) {
            throw new StorageException(Reason.NOT_FOUND, "host", "host: no attach service manages host " + host, null);
        }
        throw new StorageException(Reason.NOT_FOUND, "vm", "vm: no attach service in zone " + pool.record().zone()
                + (host != null ? " on host " + host : "") + " knows a VM named " + vm, null);
    }

    private static List<Initiator> initiators(BoundPool pool, BoundAttach service) {
        if (!pool.managed()) {
            return List.of();
        }
        List<String> addresses = service.initiators();
        if (addresses.isEmpty()) {
            throw new StorageException(Reason.NO_ROUTE, "host", "host: " + service.label() + " advertises no initiator "
                    + "(hypervisor.initiators), so pool " + pool.record().name() + " cannot grant it access", null);
        }
        return addresses.stream().map(a -> new Initiator(service.label(), a)).toList();
    }

    // ---- detach -----------------------------------------------------------------------------------------

    @Override
    public Volume detach(String volume) {
        Volume v = load(volume);
        requireState(v, "detach", VolumeState.ATTACHED);
        BoundPool pool = availablePool(v);
        Attachment a = v.attachment();
        BoundAttach service = serviceOf(v);
        Volume detaching = save(v, VolumeChange.of(v).state(VolumeState.DETACHING).next());
        try {
            service.service().detach(a);
            if (pool.managed()) {
                for (Initiator i : initiators(pool, service)) {
                    pool.driver().revokeAccess(ref(detaching), i);
                }
            }
        } catch (RuntimeException e) {
            save(detaching, VolumeChange.of(detaching).state(VolumeState.ATTACHED).error("detach failed: " + e.getMessage()).next());
            throw wrap(e, "detach of " + v.name() + " failed");
        }
        LOG.info("Volume {} detached from {}", v.name(), a.vm());
        return save(detaching, VolumeChange.of(detaching).state(VolumeState.READY).attachment(null).next());
    }

    // ---- resize -----------------------------------------------------------------------------------------

    @Override
    public Volume resize(String volume, long newSizeBytes) {
        Volume v = load(volume);
        if (newSizeBytes <= v.sizeBytes()) {
            throw StorageException.invalid("size", "volumes only grow: must be larger than the current " + v.sizeBytes()
                    + " bytes (was " + newSizeBytes + ")");
        }
        requireState(v, "resize", VolumeState.ALLOCATED, VolumeState.READY, VolumeState.ATTACHED);
        if (v.state() == VolumeState.ALLOCATED) {
            return save(v, VolumeChange.of(v).size(newSizeBytes).next());
        }
        BoundPool pool = availablePool(v);
        if (!pool.managed()) {
            throw new StorageException(Reason.CONFLICT, "volume", "volume: " + v.name() + " is on static pool " + pool.record().name()
                    + ", whose disks cannot grow once created", null);
        }
        Volume resizing = save(v, VolumeChange.of(v).state(VolumeState.RESIZING).next());
        try {
            SanVolume san = pool.driver().resizeVolume(ref(resizing), newSizeBytes);
            return save(resizing, VolumeChange.of(resizing).state(v.state()).size(Math.max(newSizeBytes, san.sizeBytes())).next());
        } catch (RuntimeException e) {
            save(resizing, VolumeChange.of(resizing).state(v.state()).error("resize failed: " + e.getMessage()).next());
            throw wrap(e, "resize of " + v.name() + " failed");
        }
    }

    // ---- QoS --------------------------------------------------------------------------------------------

    @Override
    public Volume changeQos(String volume, QosSpec change) {
        Volume v = load(volume);
        requireState(v, "change the QoS of", VolumeState.ALLOCATED, VolumeState.READY, VolumeState.ATTACHED);
        BoundPool pool = availablePool(v);
        QosSpec merged = planner.merge(v.requested(), change);
        StorageQos storage = planner.planStorage(merged, pool.capabilities());
        BoundAttach service = null;
        QosPlan plan;
        if (v.state() == VolumeState.ATTACHED) {
            service = serviceOf(v);
            plan = planner.plan(merged, pool.capabilities(), service.limits());
        } else {
            plan = new QosPlan(storage, IoLimits.NONE, planner.effectiveBeforeAttach(storage));
        }
        if (pool.managed() && v.sanId() != null && !plan.storage().equals(v.plan().storage())) {
            pool.driver().modifyQos(ref(v), plan.storage());
        }
        if (service != null && !plan.hypervisor().equals(v.plan().hypervisor())) {
            try {
                service.service().changeLimits(v.attachment(), plan.hypervisor());
            } catch (RuntimeException e) {
                if (pool.managed() && v.sanId() != null && !plan.storage().equals(v.plan().storage())) {
                    pool.driver().modifyQos(ref(v), v.plan().storage());
                }
                throw wrap(e, "changing the limits of " + v.name() + " failed; the storage QoS was set back");
            }
        }
        return save(v, VolumeChange.of(v).requested(merged).plan(plan).next());
    }

    // ---- delete -----------------------------------------------------------------------------------------

    @Override
    public Volume delete(String volume) {
        Volume v = load(volume);
        if (v.state() == VolumeState.ATTACHED) {
            throw conflict(v, "is attached to " + v.attachment().vm() + "; detach it first");
        }
        requireState(v, "delete", VolumeState.ALLOCATED, VolumeState.READY, VolumeState.ERROR);
        // even a volume with nothing on the SAN waits for its pool: a pool's volumes change only while it is there
        BoundPool pool = availablePool(v);
        if (v.sanId() == null) {
            return save(v, VolumeChange.of(v).state(VolumeState.DESTROYED).next());
        }
        Volume destroying = save(v, VolumeChange.of(v).state(VolumeState.DESTROYING).next());
        try {
            if (pool.managed()) {
                pool.driver().deleteVolume(ref(destroying));
            } else {
                BoundAttach any = attachers.matching(router.attachFilter(pool.record(), null, pool.structure())).stream().findFirst()
                        .orElseThrow(() -> new StorageException(Reason.UNAVAILABLE, "pool", "pool: no attach service holding structure "
                                + pool.structure() + " is running", null));
                any.service().deleteDisk(v.target());
            }
        } catch (RuntimeException e) {
            save(destroying, VolumeChange.of(destroying).state(v.state()).error("delete failed: " + e.getMessage()).next());
            throw wrap(e, "delete of " + v.name() + " failed");
        }
        LOG.info("Volume {} destroyed", v.name());
        return save(destroying, VolumeChange.of(destroying).state(VolumeState.DESTROYED).san(v.sanId(), v.target()).next());
    }

    // ---- queries ----------------------------------------------------------------------------------------

    @Override
    public Optional<Volume> get(String volume) {
        try {
            return store.volume(UUID.fromString(volume));
        } catch (IllegalArgumentException notUuid) {
            return store.volumeByName(volume);
        }
    }

    @Override
    public List<Volume> list(boolean includeDestroyed) {
        return store.volumes(includeDestroyed);
    }

    @Override
    public IoStats stats(String volume) {
        Volume v = load(volume);
        if (v.state() == VolumeState.ATTACHED) {
            return serviceOf(v).service().diskStats(v.attachment());
        }
        BoundPool pool = availablePool(v);
        if (v.sanId() == null || !pool.managed()) {
            return new IoStats(0, 0, 0, 0, Instant.now());
        }
        return pool.driver().volumeStats(ref(v));
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private Volume load(String volume) {
        if (volume == null || volume.isBlank()) {
            throw StorageException.invalid("volume", "must name a volume (its name or id)");
        }
        return get(volume).filter(v -> v.state() != VolumeState.DESTROYED)
                .orElseThrow(() -> new StorageException(Reason.NOT_FOUND, "volume", "volume: no volume named " + volume, null));
    }

    /** The attach service of the host an attached volume is on. */
    private BoundAttach serviceOf(Volume v) {
        String host = v.attachment().host();
        return attachers.matching(router.hostFilter(host)).stream().findFirst()
                .orElseThrow(() -> new StorageException(Reason.UNAVAILABLE, "host", "host: the attach service of host " + host
                        + " is not running; volume " + v.name() + " stays attached to " + v.attachment().vm(), null));
    }

    private BoundPool availablePool(Volume v) {
        return pools.pool(v.pool()).orElseThrow(() -> new StorageException(Reason.UNAVAILABLE, "pool", "pool " + v.pool()
                + " is unavailable (its driver is not running): volume " + v.name() + " cannot be changed now", null));
    }

    private static void requireState(Volume v, String operation, VolumeState... allowed) {
        for (VolumeState s : allowed) {
            if (v.state() == s) {
                return;
            }
        }
        throw conflict(v, "is " + v.state() + "; can only " + operation + " a volume that is " + List.of(allowed));
    }

    private static StorageException conflict(Volume v, String what) {
        return new StorageException(Reason.CONFLICT, "volume", "volume " + v.name() + " " + what, null);
    }

    private static SanVolumeRef ref(Volume v) {
        return new SanVolumeRef(v.id(), v.sanId());
    }

    private Volume save(Volume current, Volume next) {
        store.update(current, next);
        events.changed(current, next);
        return next;
    }

    private static StorageException wrap(RuntimeException e, String what) {
        if (e instanceof StorageException se) {
            return new StorageException(se.reason(), se.field(), what + ": " + se.getMessage(), se);
        }
        return new StorageException(Reason.BACKEND_FAILURE, null, what + ": " + e, e);
    }
}
