package org.spindle.storage.core.internal.volume;

import static org.spindle.storage.core.internal.volume.Core.ref;

import java.time.Instant;

import org.spindle.storage.api.IoStats;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;
import org.spindle.storage.api.attach.Attachment;
import org.spindle.storage.api.driver.SanVolume;
import org.spindle.storage.api.qos.AppliedQos;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.QosPlan;
import org.spindle.storage.api.qos.QosSpec;
import org.spindle.storage.api.qos.StorageQos;
import org.spindle.storage.api.volume.VolumeState;
import org.spindle.storage.core.internal.db.VolumeRecord;
import org.spindle.storage.core.internal.registry.BoundAttach;
import org.spindle.storage.core.internal.registry.BoundPool;

/** Changes of a live volume: its size, its QoS; and its I/O counters. */
final class Changes {
    private final Core core;

    Changes(Core core) {
        this.core = core;
    }

    /** Grows the volume: on the SAN, then, when attached, in the hypervisor and guest. */
    VolumeRecord resize(String volume, VolumeRecord loaded, long newSizeBytes) {
        VolumeRecord v = core.tx().load(volume, loaded);
        if (newSizeBytes <= v.volume().sizeBytes()) {
            throw StorageException.invalid("size", "volumes only grow: must be larger than the current " + v.volume().sizeBytes()
                    + " bytes (was " + newSizeBytes + ")");
        }
        Transitions.require(v, "resize", VolumeState.ALLOCATED, VolumeState.READY, VolumeState.ATTACHED);
        if (v.state() == VolumeState.ALLOCATED) {
            return core.tx().saveWithinPool(v, c -> c.size(newSizeBytes));
        }
        BoundPool pool = core.availablePool(v);
        if (!pool.managed()) {
            throw new StorageException(Reason.CONFLICT, "volume", "volume: " + v.name() + " is on static pool " + pool.record().name()
                    + ", whose disks cannot grow once created", null);
        }
        VolumeState back = v.state();
        BoundAttach service = back == VolumeState.ATTACHED ? core.serviceOf(v) : null;
        Attachment attachment = service == null ? null : v.attachment().spi(v.id());
        // a failure keeps the recorded size: a retry grows the SAN volume again (idempotent) and the disk after it
        return core.tx().run(v, "resize of " + v.name(), VolumeState.RESIZING, c -> c.pendingSize(newSizeBytes), resizing -> {
            SanVolume san = pool.driver().resizeVolume(ref(resizing), newSizeBytes);
            long size = Math.max(newSizeBytes, san.sizeBytes());
            if (service != null) {
                service.service().grow(attachment, size);
            }
            return new SanVolume(san.volumeId(), san.sanId(), size, san.qos(), san.target());
        }, (c, san) -> c.state(back).size(san.sizeBytes()).storageApplied(san.qos()), (c, e) -> c.state(back));
    }

    /**
     * Changes the QoS on the SAN and, when attached, in the hypervisor, in state CHANGING_QOS (the new QoS is
     * stored with the intent, so a recovery completes it). When the hypervisor refuses, the storage side is set
     * back and the old QoS recorded; if setting it back fails too, the error says both.
     */
    VolumeRecord changeQos(String volume, VolumeRecord loaded, QosSpec change) {
        VolumeRecord v = core.tx().load(volume, loaded);
        Transitions.require(v, "change the QoS of", VolumeState.ALLOCATED, VolumeState.READY, VolumeState.ATTACHED);
        BoundPool pool = core.availablePool(v);
        String offeringName = v.volume().offering();
        QosSpec merged = core.planner().change(core.store().offering(offeringName).orElse(null), offeringName,
                v.volume().requested(), change);
        StorageQos storage = core.planner().planStorage(merged, pool.capabilities());
        BoundAttach service = null;
        QosPlan plan;
        if (v.state() == VolumeState.ATTACHED) {
            service = core.serviceOf(v);
            plan = core.planner().plan(merged, pool.capabilities(), core.side(service));
        } else {
            plan = new QosPlan(storage, IoLimits.NONE, core.planner().effectiveBeforeAttach(storage));
        }
        QosPlan before = v.volume().plan();
        if (pool.managed() && v.sanId() != null) {
            // what the change leaves unset stays as agreed with the SAN at creation (its defaults)
            plan = Readback.agreed(plan, before.storage());
        }
        QosPlan planned = plan;
        QosSpec requestedBefore = v.volume().requested();
        boolean sanChange = pool.managed() && v.sanId() != null && !plan.storage().equals(before.storage());
        boolean limitsChange = service != null && !plan.hypervisor().equals(before.hypervisor());
        if (!sanChange && !limitsChange) {
            // not on the SAN yet: a higher guaranteed IOPS is a bigger promise to the pool
            return core.tx().saveWithinPool(v, c -> c.requested(merged).plan(planned));
        }
        VolumeState back = v.state();
        BoundAttach hypervisor = service;
        return core.tx().run(v, "changing the QoS of " + v.name(), VolumeState.CHANGING_QOS, c -> c.requested(merged).plan(planned), changing -> {
            if (sanChange) {
                pool.driver().modifyQos(ref(changing), planned.storage());
            }
            if (limitsChange) {
                changeLimits(pool, hypervisor, changing, planned, before, sanChange);
            }
            StorageQos storageNow = sanChange ? Readback.storage(pool, changing, planned.storage()) : changing.volume().applied().storage();
            IoLimits limitsNow = limitsChange ? Readback.limits(hypervisor, changing.attachment().spi(changing.id()), planned.hypervisor())
                    : changing.volume().applied().hypervisor();
            return new AppliedQos(storageNow, limitsNow, null);
        }, (c, applied) -> c.state(back).storageApplied(applied.storage()).hypervisorApplied(applied.hypervisor()),
                (c, e) -> c.state(back).requested(requestedBefore).plan(before));
    }

    /** Sets the hypervisor's limits; when it refuses, sets the storage side back (a failure of that says both). */
    private static void changeLimits(BoundPool pool, BoundAttach hypervisor, VolumeRecord changing, QosPlan plan, QosPlan before,
                                     boolean sanChange) {
        try {
            hypervisor.service().changeLimits(changing.attachment().spi(changing.id()), plan.hypervisor());
        } catch (RuntimeException e) {
            if (sanChange) {
                try {
                    pool.driver().modifyQos(ref(changing), before.storage());
                } catch (RuntimeException r) {
                    throw new StorageException(Reason.BACKEND_FAILURE, null, "the hypervisor refused the limits (" + e.getMessage()
                            + ") and setting the storage QoS back failed (" + r.getMessage() + "): the SAN holds the new storage QoS", e);
                }
            }
            throw e;
        }
    }

    /** I/O counters: from the hypervisor when attached, else from the SAN. */
    IoStats stats(String volume) {
        VolumeRecord v = core.tx().load(volume);
        if (v.state() == VolumeState.ATTACHED) {
            return core.serviceOf(v).service().diskStats(v.attachment().spi(v.id()));
        }
        BoundPool pool = core.availablePool(v);
        if (v.sanId() == null || !pool.managed()) {
            return new IoStats(0, 0, 0, 0, Instant.now());
        }
        return pool.driver().volumeStats(ref(v));
    }
}
