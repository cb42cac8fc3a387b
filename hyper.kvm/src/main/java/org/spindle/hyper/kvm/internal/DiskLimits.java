package org.spindle.hyper.kvm.internal;

import static org.spindle.hyper.kvm.internal.jna.BlockIoTune.AFFECT_CONFIG;
import static org.spindle.hyper.kvm.internal.jna.BlockIoTune.AFFECT_LIVE;

import java.util.List;

import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.spindle.hyper.kvm.internal.jna.BlockIoTune;
import org.spindle.hyper.kvm.internal.jna.LibvirtCallException;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;
import org.spindle.storage.api.qos.IoLimits;

/**
 * A disk's QEMU I/O limits through {@code virDomainSetBlockIoTune} / {@code virDomainGetBlockIoTune}: set and checked,
 * or read as they are in force now (whoever set them: Spindle, or an operator's {@code virsh blkdeviotune}).
 */
final class DiskLimits {

    private DiskLimits() {
    }

    /**
     * Sets all 18 parameters of {@code dev} where the domain's state says (live and config of a running persistent
     * domain), then reads them back from each and refuses a difference.
     */
    static void apply(Domain d, DomainState s, String dev, IoTune iotune) throws LibvirtException {
        try {
            BlockIoTune.set(d, dev, iotune.parameters(), s.flags());
            List<String> diffs = s.running() ? iotune.differences(BlockIoTune.get(d, dev, AFFECT_LIVE)) : List.of();
            if (diffs.isEmpty() && s.persistent()) {
                diffs = iotune.differences(BlockIoTune.get(d, dev, AFFECT_CONFIG));
            }
            if (!diffs.isEmpty()) {
                throw new StorageException(Reason.BACKEND_FAILURE, "limits", "limits of " + dev + " on vm " + d.getName()
                        + " read back differently: " + String.join(", ", diffs), null);
            }
        } catch (LibvirtCallException e) {
            throw LibvirtErrors.map("limit change of " + dev + " on vm " + d.getName(), e);
        }
    }

    /**
     * The limits in force on {@code dev} now: QEMU's (the live domain's) when the domain runs, else those it will
     * start with (the persistent configuration). Read from libvirt at each call, never remembered.
     */
    static IoLimits read(Domain d, DomainState s, String dev) throws LibvirtException {
        try {
            return IoTune.limits(BlockIoTune.get(d, dev, s.running() ? AFFECT_LIVE : AFFECT_CONFIG));
        } catch (LibvirtCallException e) {
            throw LibvirtErrors.map("limit read-back of " + dev + " on vm " + d.getName(), e);
        }
    }
}
