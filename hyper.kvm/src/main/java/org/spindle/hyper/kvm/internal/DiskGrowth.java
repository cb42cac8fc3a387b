package org.spindle.hyper.kvm.internal;

import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;

/**
 * Makes QEMU see that the LUN under a network disk has grown. QEMU's iSCSI driver re-reads the LUN's capacity on
 * {@code block_resize} and accepts a size up to it, so libvirt is handed the new size in bytes
 * ({@code VIR_DOMAIN_BLOCK_RESIZE_BYTES}); QEMU then tells the guest (a virtio-scsi disk reports "capacity data
 * has changed", a virtio-blk disk a configuration change).
 */
final class DiskGrowth {
    private static final Logger LOG = LoggerFactory.getLogger(DiskGrowth.class);
    /** {@code VIR_DOMAIN_BLOCK_RESIZE_BYTES}: the size is in bytes, not KiB. */
    static final int RESIZE_BYTES = 1;

    private DiskGrowth() {
    }

    /**
     * Grows {@code disk} of {@code d} (in state {@code s}) to {@code newSizeBytes} and checks what QEMU reports.
     * Already that size: nothing to do. A stopped VM: nothing to do either, QEMU reads the size when it starts.
     */
    static void grow(Domain d, DomainState s, DomainXml.Disk disk, long newSizeBytes, String what) throws LibvirtException {
        if (!disk.isNetwork()) {
            throw new StorageException(Reason.CONFLICT, "volume", what + " refused: " + disk.dev()
                    + " is a volume of the static pool " + disk.sourcePool() + ", whose disks do not grow", null);
        }
        if (!s.running()) {
            LOG.info("{}: vm {} is not running; QEMU reads the LUN's size when it starts (nothing to do)", what, d.getName());
            return;
        }
        long before = d.blockInfo(disk.dev()).getCapacity();
        if (newSizeBytes < before) {
            throw StorageException.invalid("size", "a disk only grows: vm " + d.getName() + " sees " + before + " bytes on "
                    + disk.dev() + " (was " + newSizeBytes + ")");
        }
        if (newSizeBytes > before) {
            d.blockResize(disk.dev(), newSizeBytes, RESIZE_BYTES);
        }
        long after = d.blockInfo(disk.dev()).getCapacity();
        if (after != newSizeBytes) {
            throw new StorageException(Reason.BACKEND_FAILURE, "size", what + " failed: QEMU reports " + after + " bytes on "
                    + disk.dev(), null);
        }
        LOG.info("{}: {} grew from {} to {} bytes", what, disk.dev(), before, after);
    }
}
