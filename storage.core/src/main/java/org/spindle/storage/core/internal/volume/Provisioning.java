package org.spindle.storage.core.internal.volume;

import static org.spindle.storage.core.internal.volume.Core.ref;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spindle.storage.api.PoolCapacity;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.attach.StaticDiskRequest;
import org.spindle.storage.api.attach.StaticDisks;
import org.spindle.storage.api.driver.HostGroup;
import org.spindle.storage.api.driver.SanVolume;
import org.spindle.storage.api.driver.SanVolumeRequest;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.QosPlan;
import org.spindle.storage.api.qos.QosSpec;
import org.spindle.storage.api.qos.StorageQos;
import org.spindle.storage.api.volume.Offering;
import org.spindle.storage.api.volume.Volume;
import org.spindle.storage.api.volume.VolumeSpec;
import org.spindle.storage.api.volume.VolumeState;
import org.spindle.storage.core.internal.db.InSave;
import org.spindle.storage.core.internal.db.PoolRecord;
import org.spindle.storage.core.internal.db.VolumeRecord;
import org.spindle.storage.core.internal.registry.BoundAttach;
import org.spindle.storage.core.internal.registry.BoundPool;

/** Where volumes begin and end: the row, the SAN volume (or static disk) made on first attach, the delete. */
final class Provisioning {
    private static final Logger LOG = LoggerFactory.getLogger(Provisioning.class);

    private final Core core;

    Provisioning(Core core) {
        this.core = core;
    }

    /** A row in state ALLOCATED in the pool the router chooses; nothing on the SAN yet. */
    Volume create(VolumeSpec spec, Events events, java.util.function.Function<VolumeRecord, InSave> firstReading) {
        Offering offering = core.store().offering(spec.offering()).orElseThrow(() -> new StorageException(Reason.NOT_FOUND, "offering",
                "offering: no offering named " + spec.offering(), null));
        QosSpec requested = core.planner().requested(offering, spec.customIops());
        if (core.store().volumeByName(spec.name()).filter(v -> v.state() != VolumeState.DESTROYED).isPresent()) {
            throw new StorageException(Reason.ALREADY_EXISTS, "name", "name: a volume named " + spec.name() + " exists already", null);
        }
        // what the SAN reports, plus what volumes not on the SAN yet were promised (checked again atomically at insert)
        Map<String, PoolCapacity> san = new HashMap<>();
        Map<String, PoolCapacity> read = new HashMap<>();     // what the SAN reported now (san: also the best known otherwise)
        List<PoolRecord> stored = core.store().pools();
        Map<String, PoolCapacity> promised = new HashMap<>();
        stored.forEach(p -> promised.put(p.name(), p.pending()));
        BoundPool pool;
        try {
            pool = choosePool(offering, requested, spec, stored, san, read, promised);
        } catch (RuntimeException e) {
            read.forEach(core.store()::updateCapacity);     // no pool fits: what was read is stored all the same
            throw e;
        }
        StorageQos storage = core.planner().planStorage(requested, pool.capabilities());
        Instant now = Instant.now();
        Volume v = new Volume(UUID.randomUUID(), spec.name(), spec.tenant(), spec.sizeBytes(), offering.name(), pool.record().name(),
                VolumeState.ALLOCATED, 1, requested, new QosPlan(storage, IoLimits.NONE, core.planner().effectiveBeforeAttach(storage)),
                null, null, null, null, now, now);
        // what was read from the SAN is stored: the chosen pool's with the insert, the others' on their own
        read.forEach((name, reported) -> {
            if (!name.equals(pool.record().name())) {
                core.store().updateCapacity(name, reported);
            }
        });
        VolumeRecord row = new VolumeRecord(v, null, null);
        PoolCapacity reported = read.get(pool.record().name());
        try {
            core.tx().insertLast(row, san.getOrDefault(pool.record().name(), PoolCapacity.UNKNOWN), reported != null, firstReading.apply(row));
        } catch (StorageException e) {
            if (reported != null) {
                core.store().updateCapacity(pool.record().name(), reported);    // refused: what was read is stored on its own
            }
            throw e;
        }
        events.changed(null, v);
        LOG.info("Volume {} ({}) allocated in pool {}", v.name(), v.id(), v.pool());
        return v;
    }

    private BoundPool choosePool(Offering offering, QosSpec requested, VolumeSpec spec, List<PoolRecord> stored,
                                 Map<String, PoolCapacity> san, Map<String, PoolCapacity> read, Map<String, PoolCapacity> promised) {
        return core.router().choosePool(offering, spec.sizeBytes(), requested.storage().minIops(), stored,
                core.pools().available(), b -> {
                    PoolCapacity c = san.computeIfAbsent(b.record().name(), n -> {
                        PoolCapacity reported = core.pools().readCapacity(b);
                        if (reported != null) {
                            read.put(n, reported);
                            return reported;
                        }
                        // unmanaged, or the SAN did not answer: the best known
                        return !b.managed() ? b.record().capacity()
                                : core.store().pool(n).map(PoolRecord::capacity).orElse(PoolCapacity.UNKNOWN);
                    });
                    PoolCapacity pending = promised.getOrDefault(b.record().name(), PoolCapacity.UNKNOWN);
                    return new PoolCapacity(c.totalBytes(), c.provisionedBytes() + pending.provisionedBytes(), c.totalIops(),
                            c.provisionedIops() + pending.provisionedIops());
                });
    }

    /**
     * Creates the SAN volume (or the static disk, through {@code service}) of an allocated volume: CREATING, then READY
     * stored together with the intent {@code then} makes on it (one write: the attach that needed the volume begins in
     * the save that ends the create). When the create fails, the volume is ALLOCATED again and {@code then} never begins.
     */
    VolumeRecord createOnStorage(VolumeRecord v, BoundPool pool, BoundAttach service, UnaryOperator<VolumeChange> then) {
        String poolName = pool.record().name();
        return core.tx().runThen(v, "creating " + v.name() + " on pool " + poolName, VolumeState.CREATING, creating -> {
            if (pool.managed()) {
                Volume vol = creating.volume();
                return pool.driver().createVolume(new SanVolumeRequest(vol.id(), vol.name(), vol.tenant(), vol.sizeBytes(), vol.plan().storage()));
            }
            StaticDisks disks = service.staticDisks().orElseThrow(() -> new StorageException(Reason.NO_ROUTE, "host", "host: attach service "
                    + service.label() + " declares structure " + pool.structure() + " but cannot create disks in it (it is no StaticDisks)", null));
            Target t = disks.createDisk(new StaticDiskRequest(v.id(), v.name(), pool.structure(), v.volume().sizeBytes()));
            return new SanVolume(v.id(), t.name(), v.volume().sizeBytes(), StorageQos.NONE, t);
        }, (c, san) -> {
            LOG.info("Volume {}: created on {} as {}", v.name(), poolName, san.target().name());
            return c.state(VolumeState.READY).san(san.sanId(), san.target()).storageApplied(san.qos())
                    .plan(Readback.agreed(v.volume().plan(), san.qos()));
        }, (c, e) -> c.state(VolumeState.ALLOCATED), then);
    }

    /**
     * Deletes the SAN volume (or static disk), revoking access a failed attach or detach may have left. A volume
     * with no SAN volume recorded is looked up on the SAN by its id first: a create whose reply was lost may have
     * made one.
     */
    VolumeRecord delete(VolumeRecord v) {
        if (v.state() == VolumeState.ATTACHED || v.state() == VolumeState.ERROR && v.attachment() != null) {
            throw Transitions.conflict(v, "is attached to " + v.attachment().vm() + "; detach it first");
        }
        Transitions.require(v, "delete", VolumeState.ALLOCATED, VolumeState.READY, VolumeState.ERROR);
        // even a volume with nothing on the SAN waits for its pool: a pool's volumes change only while it is there
        BoundPool pool = core.availablePool(v);
        if (v.sanId() == null) {
            Optional<SanVolume> made = pool.managed() ? findMade(pool, v) : Optional.empty();
            if (made.isEmpty()) {
                return core.tx().saveLast(v, c -> c.state(VolumeState.DESTROYED));
            }
            LOG.info("Volume {}: a SAN volume was made for it ({}) though none was recorded; deleting it", v.name(), made.get().sanId());
            v = core.tx().save(v, c -> c.san(made.get().sanId(), made.get().target()));
        }
        StaticDisks disks = pool.managed() ? null : core.attachers().matching(core.router().attachFilter(pool.record(), null, pool.structure()))
                .stream().flatMap(b -> b.staticDisks().stream()).findFirst()
                .orElseThrow(() -> new StorageException(Reason.UNAVAILABLE, "pool", "pool: no attach service holding structure "
                        + pool.structure() + " is running", null));
        VolumeState back = v.state();
        HostGroup leftover = v.granted();
        String name = v.name();
        VolumeRecord destroyed = core.tx().runLast(v, "delete of " + name, VolumeState.DESTROYING, c -> c, destroying -> {
            if (pool.managed()) {
                if (leftover != null) {
                    pool.driver().revokeAccess(ref(destroying), leftover);
                }
                pool.driver().deleteVolume(ref(destroying));
            } else {
                disks.deleteDisk(destroying.target());
            }
            return null;
        }, (c, none) -> c.state(VolumeState.DESTROYED).granted(null), (c, e) -> c.state(back));
        LOG.info("Volume {} destroyed", name);
        return destroyed;
    }

    private static Optional<SanVolume> findMade(BoundPool pool, VolumeRecord v) {
        try {
            return pool.driver().findVolume(v.id());
        } catch (RuntimeException e) {
            throw Transitions.wrap(e, "looking for a SAN volume of " + v.name() + " (a create may have made one) failed; nothing was deleted");
        }
    }
}
