package org.spindle.hyper.kvm.internal;

import static org.spindle.hyper.kvm.internal.jna.BlockIoTune.AFFECT_CONFIG;
import static org.spindle.hyper.kvm.internal.jna.BlockIoTune.AFFECT_LIVE;

import java.util.HashSet;
import java.util.Set;

import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;

/** Where a new disk goes in a domain: a SCSI controller for it, and a device name nobody uses. */
final class DeviceSlots {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceSlots.class);

    private DeviceSlots() {
    }

    static void ensureScsiController(Domain d, DomainState s) throws LibvirtException {
        int flags = 0;
        if (s.running() && !s.live().hasScsiController()) {
            flags |= AFFECT_LIVE;
        }
        if (s.persistent() && !s.config().hasScsiController()) {
            flags |= AFFECT_CONFIG;
        }
        if (flags != 0) {
            d.attachDeviceFlags(DiskXml.virtioScsiController(0), flags);
            LOG.info("added a virtio-scsi controller to vm {}", d.getName());
        }
    }

    /** The first device name of the bus's kind ({@code sd*} or {@code vd*}) used neither live nor in the config. */
    static String freeDev(DomainState s, String diskBus) {
        Set<String> used = new HashSet<>();
        s.live().disks().forEach(x -> used.add(x.dev()));
        s.config().disks().forEach(x -> used.add(x.dev()));
        String prefix = "virtio".equals(diskBus) ? "vd" : "sd";
        for (int i = 0; i < 26 * 27; i++) {
            String suffix = i < 26 ? String.valueOf((char) ('a' + i))
                    : String.valueOf((char) ('a' + i / 26 - 1)) + (char) ('a' + i % 26);
            if (!used.contains(prefix + suffix)) {
                return prefix + suffix;
            }
        }
        throw new StorageException(Reason.CONFLICT, "vm", "no free " + prefix + "* device name left", null);
    }
}
