package org.spindle.storage.core.internal.volume;

import static org.spindle.storage.core.internal.volume.Core.ref;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.attach.Attachment;
import org.spindle.storage.api.driver.HostGroup;
import org.spindle.storage.api.volume.VolumeState;
import org.spindle.storage.core.internal.db.AttachmentRecord;
import org.spindle.storage.core.internal.db.VolumeRecord;
import org.spindle.storage.core.internal.registry.BoundAttach;
import org.spindle.storage.core.internal.registry.BoundPool;

/**
 * Brings the volumes attached through an attach service to its hosts when they change: for each volume
 * ATTACHED through it, on a managed pool, grants the service's current host group (which replaces the
 * group's initiators, so a host that left loses access) and stores it as granted; then has the service
 * bring the volume's structure to every current host ({@code updateHosts}). A failure is logged and
 * recorded as the volume's error, never thrown: the caller is a registry callback.
 */
final class HostMembershipReconciler {
    private static final Logger LOG = LoggerFactory.getLogger(HostMembershipReconciler.class);

    private final Core core;

    HostMembershipReconciler(Core core) {
        this.core = core;
    }

    /** Reconciles every volume attached through {@code service} (as it is now). */
    void reconcile(BoundAttach service) {
        for (VolumeRecord listed : core.store().attachedThrough(service.identity())) {
            try {
                reconcile(listed, service);
            } catch (RuntimeException e) {
                String error = "the hosts of attach service " + service.identity() + " changed, and bringing the volume to them failed: "
                        + e.getMessage();
                LOG.warn("Volume {}: {}", listed.name(), error);
                record(listed, error);
            }
        }
    }

    private void reconcile(VolumeRecord listed, BoundAttach service) {
        VolumeRecord v = core.store().volume(listed.id()).orElse(listed);
        if (v.state() != VolumeState.ATTACHED || !service.identity().equals(v.attachment().service())) {
            LOG.info("Volume {} is {} now; its hosts are not updated", v.name(), v.state());
            return;
        }
        BoundPool pool = core.availablePool(v);
        Target target = v.target();
        if (pool.managed()) {
            String granted = String.valueOf(v.granted());
            HostGroup group = service.hostGroup().orElseThrow(() -> new StorageException(Reason.NO_ROUTE, "host", "attach service "
                    + service.identity() + " advertises no initiator any more; the access granted to " + granted + " is kept", null));
            // granted even when only the hosts changed: the grant is what hands out the credentials to log in with
            target = pool.driver().grantAccess(ref(v), group);
            if (!group.equals(v.granted())) {
                v = core.tx().save(v, c -> c.granted(group));
                LOG.info("Volume {}: access granted to {} {}", v.name(), group.name(), group.initiators());
            }
        }
        Attachment now = service.service().updateHosts(v.attachment().spi(v.id()), target);
        AttachmentRecord updated = AttachmentRecord.of(service.identity(), now);
        if (!updated.equals(v.attachment())) {
            core.tx().save(v, c -> c.attachment(updated));
        }
    }

    private void record(VolumeRecord listed, String error) {
        try {
            VolumeRecord v = core.store().volume(listed.id()).orElse(listed);
            core.tx().save(v, c -> c.error(error));
        } catch (RuntimeException e) {
            LOG.warn("Volume {}: recording the error failed too: {}", listed.name(), e.getMessage());
        }
    }
}
