package org.spindle.storage.core.internal.volume;

import static org.spindle.storage.core.internal.volume.Core.ref;

import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;
import org.spindle.storage.api.attach.Attachment;
import org.spindle.storage.api.driver.SanVolume;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.QosPlan;
import org.spindle.storage.api.qos.StorageQos;
import org.spindle.storage.api.runtime.Recovery;
import org.spindle.storage.api.volume.VolumeState;
import org.spindle.storage.core.internal.db.AttachmentRecord;
import org.spindle.storage.core.internal.db.VolumeRecord;
import org.spindle.storage.core.internal.registry.BoundAttach;
import org.spindle.storage.core.internal.registry.BoundPool;

/**
 * Ends an operation that a crash, a lost reply or a lost node left in flight — never blindly. Where the
 * outcome depends on whether an external step happened (a create, an attach), the SAN or the hypervisor is
 * asked, and the operation is rolled forward if it did, back if it did not. The other operations (detach,
 * resize, QoS change, delete) are the user's intent with idempotent steps: they are completed. Every write is
 * a compare-and-set on the version read, so two nodes recovering the same row never both act; a step that
 * calls out first takes the operation over (a new lease, the version moved on: the old owner's late write is
 * refused). What cannot be looked at now (a driver or attach service not running, a call failing) is
 * deferred to the next pass with the reason.
 */
final class OperationRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(OperationRecovery.class);

    /** Thrown to defer a row to the next pass; the message says why. */
    static final class Deferred extends RuntimeException {
        Deferred(String why) {
            super(why, null, false, false);
        }
    }

    private final Core core;

    OperationRecovery(Core core) {
        this.core = core;
    }

    /**
     * Recovers {@code r}, read as in flight and owned by nobody alive.
     *
     * @return what happened, or empty if another node changed the row first
     * @throws Deferred when it cannot be decided now
     */
    Optional<Recovery> recover(VolumeRecord r) {
        return core.tx().executing(r.id(), () -> recoverExecuting(r));
    }

    private Optional<Recovery> recoverExecuting(VolumeRecord r) {
        try {
            return Optional.of(switch (r.state()) {
                case CREATING -> creating(r);
                case ATTACHING -> attaching(r);
                case DETACHING -> detaching(r);
                case RESIZING -> resizing(r);
                case CHANGING_QOS -> changingQos(r);
                case DESTROYING -> destroying(r);
                default -> throw new IllegalStateException(r.state() + " is not an operation in flight");
            });
        } catch (StorageException e) {
            if (e.reason() == Reason.BUSY) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private BoundPool pool(VolumeRecord r) {
        return core.pools().pool(r.volume().pool()).orElseThrow(() -> new Deferred("pool " + r.volume().pool() + " is unavailable"));
    }

    private BoundAttach service(VolumeRecord r) {
        String identity = r.attachment().service();
        return core.attachers().byIdentity(identity).orElseThrow(() -> new Deferred("attach service " + identity + " is not running"));
    }

    private VolumeState previous(VolumeRecord r) {
        if (r.op() != null && r.op().previous() != null) {
            return r.op().previous();
        }
        String stored = core.store().previousState(r.id());
        return stored == null ? VolumeState.ERROR : VolumeState.valueOf(stored);
    }

    private Recovery done(VolumeRecord from, VolumeRecord to, String how) {
        String note = from.state() + " was interrupted; " + how;
        LOG.warn("Volume {}: {}", from.name(), note);
        return new Recovery(from.id(), from.name(), from.state(), to.state(), how);
    }

    /** Takes the operation over: the version moves on (fencing the old owner) and this run holds the lease. */
    private VolumeRecord claim(VolumeRecord r) {
        return core.tx().save(r, c -> c);
    }

    private Recovery creating(VolumeRecord r) {
        BoundPool pool = pool(r);
        if (!pool.managed()) {
            VolumeRecord back = core.tx().save(r, c -> c.state(VolumeState.ALLOCATED).error("creating the static disk was interrupted; "
                    + "the next attach creates it again"));
            return done(r, back, "a static disk is made again by the next attach: back to ALLOCATED");
        }
        Optional<SanVolume> found = ask(() -> pool.driver().findVolume(r.id()), "pool " + pool.record().name());
        if (found.isPresent()) {
            SanVolume san = found.get();
            VolumeRecord ready = core.tx().save(r, c -> c.state(VolumeState.READY).san(san.sanId(), san.target())
                    .storageApplied(san.qos()).plan(Readback.agreed(r.volume().plan(), san.qos())));
            return done(r, ready, "the SAN volume exists (" + san.sanId() + "): rolled forward to READY");
        }
        VolumeRecord back = core.tx().save(r, c -> c.state(VolumeState.ALLOCATED));
        return done(r, back, "no SAN volume was made: back to ALLOCATED");
    }

    private Recovery attaching(VolumeRecord r) {
        BoundPool pool = pool(r);
        BoundAttach service = service(r);
        Optional<Attachment> found;
        try {
            found = ask(() -> service.service().findAttachment(r.id()), "attach service " + service.identity());
        } catch (UnsupportedOperationException e) {
            VolumeRecord unknown = core.tx().save(r, c -> c.state(VolumeState.ERROR).error("the attach to " + r.attachment().vm()
                    + " was interrupted and attach service " + service.identity() + " cannot tell whether the disk is there: check the VM, "
                    + "then detach (removes the disk if it is there and revokes the access)"));
            return done(r, unknown, service.identity() + " cannot list its disks: ERROR, left to the operator");
        }
        // a structure without a disk (an SR, a datastore) is no attachment: what the cut attach left, cleared below
        found = found.filter(a -> a.device() != null && !a.device().isBlank());
        if (found.isPresent() && !onIntendedVm(r, found.get())) {
            Attachment a = found.get();
            VolumeRecord elsewhere = core.tx().save(r, c -> c.state(VolumeState.ERROR).attachment(AttachmentRecord.of(service.identity(), a))
                    .error("the attach to " + r.attachment().vm() + " was interrupted and the volume's disk is on " + a.vmName()
                            + " (" + a.vmId() + ") as " + a.device() + ", not on the VM it was attached to: check that VM, "
                            + "then detach (removes the disk from it and revokes the access)"));
            return done(r, elsewhere, "the disk is on " + a.vmName() + ", not on " + r.attachment().vm() + ": ERROR, left to the operator");
        }
        if (found.isPresent()) {
            Attachment a = found.get();
            QosPlan plan = Readback.agreed(core.planner().plan(r.volume().requested(), pool.capabilities(), core.side(service)),
                    r.volume().plan().storage());
            IoLimits applied = Readback.limits(service, a, plan.hypervisor());
            VolumeRecord attached = core.tx().save(r, c -> c.state(VolumeState.ATTACHED).attachment(AttachmentRecord.of(service.identity(), a))
                    .plan(plan).hypervisorApplied(applied));
            return done(r, attached, "the disk is on " + a.vmName() + " as " + a.device() + ": rolled forward to ATTACHED");
        }
        VolumeRecord mine = claim(r);
        // what the cut attach may have made short of a disk (an SR and its PBDs, a datastore, a secret) is cleared by a
        // detach, which converges on whatever is there; until it succeeds the row stays in flight and the next pass retries
        try {
            service.service().detach(mine.attachment().forCleanup(mine.id()), mine.target());
        } catch (RuntimeException e) {
            throw new Deferred("clearing what the interrupted attach left on " + service.identity() + " failed: " + e.getMessage());
        }
        String how = "the disk is on no VM of " + service.identity() + "; what the attach left is cleared";
        if (pool.managed() && mine.granted() != null) {
            try {
                pool.driver().revokeAccess(ref(mine), mine.granted());
            } catch (RuntimeException e) {
                VolumeRecord back = core.tx().save(mine, c -> c.state(VolumeState.READY).attachment(null)
                        .error("the attach was interrupted; revoking " + mine.granted().name() + " failed (" + e.getMessage()
                                + "), the next attach or the delete revokes it"));
                return done(r, back, how + "; revoking the access failed, kept for later: back to READY");
            }
            how += "; access revoked";
        }
        VolumeRecord back = core.tx().save(mine, c -> c.state(VolumeState.READY).attachment(null).granted(null));
        return done(r, back, how + ": back to READY");
    }

    /** Whether {@code a} is on the VM the interrupted attach was for (by id where the row has one, else by name). */
    private static boolean onIntendedVm(VolumeRecord r, Attachment a) {
        String vmId = r.attachment().vmId();
        return vmId != null && !vmId.isBlank() ? vmId.equals(a.vmId()) : r.attachment().vm().equals(a.vmName());
    }

    private Recovery detaching(VolumeRecord r) {
        BoundPool pool = pool(r);
        BoundAttach service = service(r);
        VolumeRecord mine = claim(r);
        try {
            service.service().detach(mine.attachment().spi(mine.id()), mine.target());
            if (pool.managed() && mine.granted() != null) {
                pool.driver().revokeAccess(ref(mine), mine.granted());
            }
        } catch (RuntimeException e) {
            VolumeRecord back = core.tx().save(mine, c -> c.state(VolumeState.ATTACHED).error("completing the interrupted detach failed: "
                    + e.getMessage() + "; detach again"));
            return done(r, back, "completing the detach failed: back to ATTACHED");
        }
        VolumeRecord ready = core.tx().save(mine, c -> c.state(VolumeState.READY).attachment(null).granted(null)
                .hypervisorApplied(IoLimits.NONE));
        return done(r, ready, "detach completed: READY");
    }

    private Recovery resizing(VolumeRecord r) {
        BoundPool pool = pool(r);
        VolumeState back = previous(r);
        BoundAttach service = back == VolumeState.ATTACHED ? service(r) : null;
        long size = r.pendingSize();
        if (size <= r.volume().sizeBytes()) {
            VolumeRecord same = core.tx().save(r, c -> c.state(back).error("a resize was interrupted; its size is unknown, resize again"));
            return done(r, same, "the size asked for is not known: back to " + back);
        }
        VolumeRecord mine = claim(r);
        try {
            SanVolume san = pool.driver().resizeVolume(ref(mine), size);
            long now = Math.max(size, san.sizeBytes());
            if (service != null) {
                service.service().grow(mine.attachment().spi(mine.id()), now);
            }
            VolumeRecord grown = core.tx().save(mine, c -> c.state(back).size(now).storageApplied(san.qos()));
            return done(r, grown, "resize to " + now + " bytes completed: " + back);
        } catch (RuntimeException e) {
            VolumeRecord failed = core.tx().save(mine, c -> c.state(back).error("completing the interrupted resize failed: " + e.getMessage()));
            return done(r, failed, "completing the resize failed: back to " + back);
        }
    }

    private Recovery changingQos(VolumeRecord r) {
        BoundPool pool = pool(r);
        VolumeState back = previous(r);
        BoundAttach service = back == VolumeState.ATTACHED ? service(r) : null;
        VolumeRecord mine = claim(r);
        QosPlan plan = mine.volume().plan();
        try {
            if (pool.managed() && mine.sanId() != null) {
                pool.driver().modifyQos(ref(mine), plan.storage());
            }
            if (service != null) {
                service.service().changeLimits(mine.attachment().spi(mine.id()), plan.hypervisor());
            }
        } catch (RuntimeException e) {
            VolumeRecord failed = core.tx().save(mine, c -> c.state(back).error("completing the interrupted QoS change failed: "
                    + e.getMessage() + "; the SAN or the hypervisor may not hold the recorded QoS, change it again"));
            return done(r, failed, "completing the QoS change failed: back to " + back);
        }
        StorageQos storage = Readback.storage(pool, mine, plan.storage());
        IoLimits limits = service == null ? IoLimits.NONE : Readback.limits(service, mine.attachment().spi(mine.id()), plan.hypervisor());
        VolumeRecord changed = core.tx().save(mine, c -> c.state(back).storageApplied(storage).hypervisorApplied(limits));
        return done(r, changed, "QoS change completed on both sides: " + back);
    }

    private Recovery destroying(VolumeRecord r) {
        BoundPool pool = pool(r);
        VolumeState back = previous(r);
        VolumeRecord mine = claim(r);
        try {
            if (pool.managed()) {
                if (mine.granted() != null) {
                    pool.driver().revokeAccess(ref(mine), mine.granted());
                }
                pool.driver().deleteVolume(ref(mine));
            } else {
                core.attachers().matching(core.router().attachFilter(pool.record(), null, pool.structure())).stream()
                        .flatMap(b -> b.staticDisks().stream()).findFirst()
                        .orElseThrow(() -> new StorageException(Reason.UNAVAILABLE, "pool", "no attach service holding structure "
                                + pool.structure() + " is running", null))
                        .deleteDisk(mine.target());
            }
        } catch (RuntimeException e) {
            VolumeRecord failed = core.tx().save(mine, c -> c.state(back).error("completing the interrupted delete failed: " + e.getMessage()));
            return done(r, failed, "completing the delete failed: back to " + back);
        }
        VolumeRecord gone = core.tx().save(mine, c -> c.state(VolumeState.DESTROYED).granted(null));
        return done(r, gone, "delete completed: DESTROYED");
    }

    /** A read-only question to a SAN or hypervisor; a failure defers the row. */
    private static <T> T ask(java.util.function.Supplier<T> question, String whom) {
        try {
            return question.get();
        } catch (UnsupportedOperationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new Deferred(whom + " did not answer: " + e.getMessage());
        }
    }
}
