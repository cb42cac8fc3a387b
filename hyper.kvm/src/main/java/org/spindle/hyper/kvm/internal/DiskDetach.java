package org.spindle.hyper.kvm.internal;

import static org.spindle.hyper.kvm.internal.jna.BlockIoTune.AFFECT_CONFIG;
import static org.spindle.hyper.kvm.internal.jna.BlockIoTune.AFFECT_LIVE;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;

/**
 * Takes a volume's disk out of a domain, live and from its configuration, wherever it is, and waits until
 * libvirt no longer shows it (libvirt may report success while QEMU still unplugs the device).
 */
final class DiskDetach {
    private static final Logger LOG = LoggerFactory.getLogger(DiskDetach.class);

    private final Duration timeout;

    DiskDetach(Duration timeout) {
        this.timeout = timeout;
    }

    /** Detaches the disk of {@code volumeId}; a disk that is not there is success. */
    void detach(Domain d, UUID volumeId, String what) throws LibvirtException {
        String alias = DiskXml.alias(volumeId);
        DomainState s = DomainState.of(d);
        Optional<DomainXml.Disk> live = s.running() ? s.live().diskByAlias(alias) : Optional.empty();
        Optional<DomainXml.Disk> config = s.persistent() ? s.config().diskByAlias(alias) : Optional.empty();
        if (live.isEmpty() && config.isEmpty()) {
            LOG.info("{}: not attached (nothing to do)", what);
            return;
        }
        int flags = (live.isPresent() ? AFFECT_LIVE : 0) | (config.isPresent() ? AFFECT_CONFIG : 0);
        String xml = live.orElseGet(config::get).xml();
        try {
            d.detachDeviceFlags(xml, flags);
        } catch (LibvirtException e) {
            // gone meanwhile (or a guest finished an earlier request): the check below decides
            LOG.debug("{}: libvirt said {}", what, e.getMessage());
            if (stillThere(d, alias, live.isPresent(), config.isPresent())) {
                throw LibvirtErrors.map(what, e);
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (stillThere(d, alias, live.isPresent(), config.isPresent())) {
            if (System.nanoTime() > deadline) {
                throw new StorageException(Reason.CONFLICT, "vm", what + " failed: " + live.orElseGet(config::get).dev()
                        + " is still attached after " + timeout.toSeconds()
                        + " s (the guest has not released it); retry the detach", null);
            }
            sleep(50);
        }
        LOG.info("detached volume {} ({}) from vm {}", volumeId, live.orElseGet(config::get).dev(), d.getName());
    }

    private static boolean stillThere(Domain d, String alias, boolean checkLive, boolean checkConfig) throws LibvirtException {
        DomainState now = DomainState.of(d);
        return (checkLive && now.running() && now.live().diskByAlias(alias).isPresent())
                || (checkConfig && now.persistent() && now.config().diskByAlias(alias).isPresent());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException(Reason.UNAVAILABLE, "interrupted");
        }
    }
}
