package org.spindle.storage.core.internal.volume;

import static org.spindle.storage.core.internal.volume.Core.ref;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.attach.AttachRequest;
import org.spindle.storage.api.attach.Attachment;
import org.spindle.storage.api.attach.VmInfo;
import org.spindle.storage.api.driver.HostGroup;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.QosPlan;
import org.spindle.storage.api.volume.VolumeState;
import org.spindle.storage.core.internal.db.AttachmentRecord;
import org.spindle.storage.core.internal.db.VolumeRecord;
import org.spindle.storage.core.internal.registry.BoundAttach;
import org.spindle.storage.core.internal.registry.BoundPool;

/**
 * Attach and detach. On a managed pool the host group of the chosen attach service (its identity and its
 * current initiators) is stored before access is granted, and detach revokes exactly the group stored.
 */
final class Attaching {
    private static final Logger LOG = LoggerFactory.getLogger(Attaching.class);
    /** Longest VM or host name taken (hypervisors' own names may contain spaces). */
    static final int MAX_NAME = 255;

    private final Core core;
    private final Provisioning provisioning;

    /**
     * VM id to the identity of the attach service it was last found on, so that an attach by VM id without a host
     * asks that one service instead of every service in the zone. Keyed by id only: ids are the hypervisor's stable
     * identity, while a name may be taken by a second VM elsewhere (a name is always looked up everywhere, to refuse
     * it when ambiguous). Bounded; an entry that no longer holds (the VM moved to another service, or is gone) is
     * dropped and the search asks everyone.
     */
    private final Map<String, String> vmServices = java.util.Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > MAX_REMEMBERED_VMS;
        }
    });
    private static final int MAX_REMEMBERED_VMS = 10_000;

    Attaching(Core core, Provisioning provisioning) {
        this.core = core;
        this.provisioning = provisioning;
    }

    private record Located(BoundAttach service, VmInfo vm) {
    }

    /** What an attach made, and the limits the hypervisor reports on it. */
    private record Attached(Attachment attachment, IoLimits limits) {
    }

    /** {@code loaded}: the volume's row as the caller just read it, else {@code null}. */
    VolumeRecord attach(String volume, VolumeRecord loaded, String vm, String host) {
        checkName("vm", vm);
        if (host != null) {
            checkName("host", host);
        }
        VolumeRecord v = core.tx().load(volume, loaded);
        if (v.state() == VolumeState.ATTACHED) {
            throw Transitions.conflict(v, "is already attached to " + v.attachment().vm() + "; detach it first");
        }
        Transitions.require(v, "attach", VolumeState.ALLOCATED, VolumeState.READY);
        BoundPool pool = core.availablePool(v);
        Located at = locate(pool, vm, host);
        // the hypervisor side is checked before anything is created: a refused plan leaves the volume as it was
        QosPlan asked = core.planner().plan(v.volume().requested(), pool.capabilities(), core.side(at.service()));
        HostGroup group = pool.managed() ? group(pool, at.service()) : null;
        String identity = at.service().identity();
        AttachmentRecord intended = new AttachmentRecord(identity, at.vm().id(), at.vm().name(), at.vm().host(), null, null, pool.managed());
        UnaryOperator<VolumeChange> intent = c -> c.state(VolumeState.ATTACHING).attachment(intended).granted(group);
        if (v.state() == VolumeState.ALLOCATED) {
            // the SAN volume is made now: READY and the attach's intent are one save (a kill after it leaves an ATTACHING row
            // with its SAN id, which recovery asks the attach service about; a kill before it, a CREATING one)
            VolumeRecord allocated = v;
            return core.tx().executing(v.id(), () -> {
                VolumeRecord attaching = provisioning.createOnStorage(allocated, pool, at.service(), intent);
                return attach(attaching, pool, at, group, asked, vm);
            });
        }
        HostGroup leftover = v.granted();
        if (pool.managed() && leftover != null && !leftover.name().equals(group.name())) {
            try {
                pool.driver().revokeAccess(ref(v), leftover);
            } catch (RuntimeException e) {
                throw Transitions.wrap(e, "revoking the access " + leftover.name() + " kept from an earlier attach of " + v.name() + " failed");
            }
            v = core.tx().save(v, c -> c.granted(null));
        }
        VolumeRecord ready = v;
        return core.tx().executing(v.id(), () -> attach(core.tx().begin(ready, VolumeState.ATTACHING, intent), pool, at, group, asked, vm));
    }

    /** Grants access and attaches {@code attaching}, whose intent is stored; stores the outcome. */
    private VolumeRecord attach(VolumeRecord attaching, BoundPool pool, Located at, HostGroup group, QosPlan asked, String vm) {
        // the storage side stays as agreed with the SAN at creation (its defaults where the plan left values unset)
        QosPlan plan = Readback.agreed(asked, attaching.volume().plan().storage());
        String identity = at.service().identity();
        AtomicBoolean accessLeft = new AtomicBoolean(false);
        VolumeRecord attached = core.tx().finishLast(attaching, "attach of " + attaching.name() + " to " + vm,
                inFlight -> {
                    Target target = inFlight.target();
                    if (pool.managed()) {
                        accessLeft.set(true);
                        target = pool.driver().grantAccess(ref(inFlight), group);
                    }
                    try {
                        Attachment a = at.service().service().attach(new AttachRequest(inFlight.id(), inFlight.name(),
                                inFlight.volume().sizeBytes(), at.vm(), target, pool.managed(), plan.hypervisor()));
                        return new Attached(a, Readback.limits(at.service(), a, plan.hypervisor()));
                    } catch (RuntimeException e) {
                        if (pool.managed()) {
                            revokeAfterFailure(pool, inFlight, group, accessLeft);
                        }
                        throw e;
                    }
                },
                (c, a) -> c.state(VolumeState.ATTACHED).attachment(AttachmentRecord.of(identity, a.attachment())).plan(plan)
                        .hypervisorApplied(a.limits()),
                (c, e) -> c.state(VolumeState.READY).attachment(null).granted(accessLeft.get() ? group : null));
        LOG.info("Volume {} attached to {} through {} on {} as {}", attaching.name(), at.vm().name(), identity, attached.attachment().host(),
                attached.attachment().device());
        return attached;
    }

    private static void revokeAfterFailure(BoundPool pool, VolumeRecord v, HostGroup group, AtomicBoolean accessLeft) {
        try {
            pool.driver().revokeAccess(ref(v), group);
            accessLeft.set(false);
        } catch (RuntimeException r) {
            LOG.warn("Volume {}: revoking {} after a failed attach failed too (kept, revoked on the next attach or the delete): {}",
                    v.name(), group.name(), r.getMessage());
        }
    }

    /** The hosts of {@code service} as one group; a managed pool cannot grant a service without initiators. */
    private static HostGroup group(BoundPool pool, BoundAttach service) {
        return service.hostGroup().orElseThrow(() -> new StorageException(Reason.NO_ROUTE, "host", "host: attach service "
                + service.label() + " advertises no initiator (hypervisor.initiators), so pool " + pool.record().name()
                + " cannot grant it access", null));
    }

    /** The one attach service that runs {@code vm} and can attach volumes of {@code pool}. */
    private Located locate(BoundPool pool, String vm, String host) {
        List<BoundAttach> fit = core.attachers().matching(core.router().attachFilter(pool.record(), host, pool.structure()));
        String remembered = host == null ? vmServices.get(vm) : null;
        if (remembered != null) {
            for (BoundAttach b : fit) {
                if (b.identity().equals(remembered)) {
                    Optional<VmInfo> info = b.service().findVm(vm);
                    if (info.isPresent() && info.get().id().equals(vm)) {
                        return new Located(b, info.get());
                    }
                }
            }
            vmServices.remove(vm);
        }
        List<Located> found = new ArrayList<>();
        for (BoundAttach b : fit) {
            b.service().findVm(vm).ifPresent(info -> found.add(new Located(b, info)));
        }
        if (found.size() == 1) {
            vmServices.put(found.get(0).vm().id(), found.get(0).service().identity());
            return found.get(0);
        }
        if (found.size() > 1) {
            throw new StorageException(Reason.CONFLICT, "host", "host: VM " + vm + " is known to several attach services ("
                    + String.join(", ", found.stream().map(l -> l.service().label()).toList()) + "); name one with --host", null);
        }
        // explain why nothing fits
        for (BoundAttach b : core.attachers().matching(core.router().zoneFilter(pool.record(), host))) {
            if (b.service().findVm(vm).isPresent()) {
                throw new StorageException(Reason.NO_ROUTE, "vm", "vm: " + vm + " runs on " + b.label() + " (" + b.type()
                        + "), which cannot attach " + pool.record().protocol() + (pool.structure() != null ? " disks of structure "
                        + pool.structure() : "") + " volumes of pool " + pool.record().name(), null);
            }
        }
        if (host != null && core.attachers().matching(core.router().hostFilter(host)).isEmpty()) {
            throw new StorageException(Reason.NOT_FOUND, "host", "host: no attach service manages host " + host + " or is named so", null);
        }
        throw new StorageException(Reason.NOT_FOUND, "vm", "vm: no attach service in zone " + pool.record().zone()
                + (host != null ? " on host " + host : "") + " knows a VM named " + vm, null);
    }

    VolumeRecord detach(String volume, VolumeRecord loaded) {
        VolumeRecord v = core.tx().load(volume, loaded);
        // an ERROR volume with an attachment is one whose interrupted attach nobody could tell: detach clears it
        if (!(v.state() == VolumeState.ERROR && v.attachment() != null)) {
            Transitions.require(v, "detach", VolumeState.ATTACHED);
        }
        BoundPool pool = core.availablePool(v);
        BoundAttach service = core.serviceOf(v);
        Attachment attachment = v.state() == VolumeState.ERROR ? v.attachment().forCleanup(v.id()) : v.attachment().spi(v.id());
        Target target = v.target();
        HostGroup granted = v.granted();
        AtomicBoolean diskRemoved = new AtomicBoolean();
        VolumeRecord detached = core.tx().runLast(v, "detach of " + v.name(), VolumeState.DETACHING, c -> c, detaching -> {
            service.service().detach(attachment, target);
            diskRemoved.set(true);
            if (pool.managed() && granted != null) {
                pool.driver().revokeAccess(ref(detaching), granted);
            }
            return null;
        }, (c, none) -> c.state(VolumeState.READY).attachment(null).granted(null).hypervisorApplied(IoLimits.NONE),
                (c, e) -> afterFailedDetach(c, e, v, diskRemoved.get()));
        LOG.info("Volume {} detached from {}", v.name(), attachment.vmName());
        return detached;
    }

    /**
     * What a failed detach leaves. Its disk gone (only the SAN's revoke failed): {@code READY}, the grant kept for the
     * next attach or the delete to revoke — never {@code ATTACHED} without a disk. The attach service's answer lost
     * ({@link Reason#UNAVAILABLE}: the detach may have happened): still {@code DETACHING}, so that once this run's lease
     * passes a reconciliation pass completes it (a detach converges on whatever is left). Refused outright: back
     * to where it was.
     */
    private static VolumeChange afterFailedDetach(VolumeChange c, RuntimeException e, VolumeRecord v, boolean diskRemoved) {
        if (diskRemoved) {
            return c.state(VolumeState.READY).attachment(null).hypervisorApplied(IoLimits.NONE);
        }
        if (e instanceof StorageException se && se.reason() == Reason.UNAVAILABLE) {
            return c;
        }
        return c.state(v.state());
    }

    /**
     * A VM or host name as hypervisors have them: 1 to {@value #MAX_NAME} characters, spaces allowed, no
     * control characters. The attach service validates further.
     */
    static void checkName(String field, String value) {
        if (value == null || value.isBlank()) {
            throw StorageException.invalid(field, "must not be empty");
        }
        if (value.length() > MAX_NAME) {
            throw StorageException.invalid(field, "must be at most " + MAX_NAME + " characters (was " + value.length() + ")");
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw StorageException.invalid(field, "must not contain control characters");
        }
    }
}
