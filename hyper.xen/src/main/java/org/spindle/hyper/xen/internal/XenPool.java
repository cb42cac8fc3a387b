package org.spindle.hyper.xen.internal;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spindle.storage.api.IoStats;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.attach.AttachProperties;
import org.spindle.storage.api.attach.AttachRequest;
import org.spindle.storage.api.attach.Attachment;
import org.spindle.storage.api.attach.VmInfo;
import org.spindle.storage.api.qos.IoLimits;

import com.xensource.xenapi.SR;
import com.xensource.xenapi.VDI;
import com.xensource.xenapi.VM;

/** What one pool does for the attach SPI, over its {@link XenClient}. */
final class XenPool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(XenPool.class);
    private final XenClient xen;
    private final PoolHosts hosts;
    private final SrStructure srs;
    private final VbdDisks vbds;
    private final StaticSrs statics;
    private final DiskReadBack readBack;
    private final RrdStats rrd;
    private final SrLeftovers leftovers;

    XenPool(XenClient xen, List<String> staticSrs) {
        this.xen = xen;
        this.hosts = new PoolHosts(xen);
        this.srs = new SrStructure(xen);
        this.vbds = new VbdDisks(xen);
        this.statics = new StaticSrs(xen, staticSrs);
        this.readBack = new DiskReadBack(xen);
        this.rrd = new RrdStats(xen);
        this.leftovers = new SrLeftovers(xen, staticSrs);
    }

    /** Managed SRs no disk uses, as the service publishes them. */
    SrLeftovers leftovers() {
        return leftovers;
    }

    StaticSrs statics() {
        return statics;
    }

    PoolHosts hosts() {
        return hosts;
    }

    Optional<VmInfo> findVm(String vm) {
        return hosts.findVm(vm);
    }

    /**
     * Managed: SR + PBD per host + VDI + VBD, each found again or made; on failure all of it is removed. While it runs,
     * the volume's SR (made before its VBD) is no leftover.
     */
    Attachment attach(AttachRequest request) {
        leftovers.attaching(request.volumeId());
        try {
            return attachNow(request);
        } finally {
            leftovers.attachEnded(request.volumeId());
        }
    }

    private Attachment attachNow(AttachRequest request) {
        if (request.limits().hasCaps()) {
            throw new StorageException(StorageException.Reason.QOS_REFUSED, "limits",
                    "XenServer enforces no IOPS or bandwidth cap on a VBD, only a priority (weight)", null);
        }
        UUID id = request.volumeId();
        VM vm = hosts.vm(request.vm().id());
        if (!request.managed()) {
            VDI vdi = statics.vdi(request.target());
            try {
                String device = vbds.ensure(vm, vdi, id, request.limits());
                VmInfo now = hosts.info(vm);
                return new Attachment(id, now.id(), now.name(), now.host(), device, null, false);
            } catch (RuntimeException e) {
                try {
                    vbds.remove(id);
                } catch (RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
                throw e;
            }
        }
        try {
            SrStructure.Made made = srs.ensure(id, request.volumeName(), request.target());
            String device = vbds.ensure(vm, made.vdi(), id, request.limits());
            VmInfo now = hosts.info(vm);
            return new Attachment(id, now.id(), now.name(), now.host(), device, made.srUuid(), true);
        } catch (RuntimeException e) {
            LOG.warn("Attach of volume {} failed, removing what it made: {}", id, e.getMessage());
            try {
                remove(id, null);
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /**
     * Removes the VBD and the SR structure. A call whose reply was lost ({@code UNAVAILABLE}: it may have acted, say an
     * SR.forget that did) is followed by one more pass, which skips whatever is gone: the detach then ends as done
     * instead of failing while nothing is left, which would leave the volume recorded as attached without a disk.
     * <p>An attachment of no VM ({@value AttachProperties#NO_VM}) is the core clearing a {@link SrLeftovers leftover}:
     * the volume's SR is forgotten only if no VBD uses it, and no VBD is ever touched ({@link SrLeftovers#clear}).
     */
    void detach(Attachment attachment) {
        UUID id = attachment.volumeId();
        if (AttachProperties.NO_VM.equals(attachment.vmId())) {
            converging(id, () -> leftovers.clear(id));
            return;
        }
        rrd.forget(attachment.device());
        String sr = attachment.managed() ? attachment.structure() : null;
        converging(id, () -> remove(id, sr));
    }

    /** Runs {@code pass}, and once more when a reply was lost ({@code UNAVAILABLE}). */
    private static void converging(UUID id, Runnable pass) {
        try {
            pass.run();
        } catch (StorageException e) {
            if (e.reason() != StorageException.Reason.UNAVAILABLE) {
                throw e;
            }
            LOG.warn("Detach of volume {}: {}; converging on what is left", id, e.getMessage());
            try {
                pass.run();
            } catch (RuntimeException again) {
                again.addSuppressed(e);
                throw again;
            }
        }
    }

    private void remove(UUID id, String srUuid) {
        vbds.remove(id);
        srs.remove(id, srUuid);
    }

    void changeLimits(Attachment attachment, IoLimits limits) {
        if (limits.hasCaps()) {
            throw new StorageException(StorageException.Reason.QOS_REFUSED, "limits",
                    "XenServer enforces no IOPS or bandwidth cap on a VBD, only a priority (weight)", null);
        }
        vbds.changeWeight(hosts.vm(attachment.vmId()), attachment.volumeId(), limits);
    }

    /**
     * The pool's hosts changed: the PBDs of hosts that left are dropped, then every host gets a plugged PBD, made from
     * the device_config an existing PBD carries.
     */
    Attachment updateHosts(Attachment attachment) {
        if (attachment.managed()) {
            SR sr = srs.findSr(attachment.volumeId());
            if (sr == null) {
                throw new StorageException(StorageException.Reason.NOT_FOUND, "attachment",
                        "The SR of volume " + attachment.volumeId() + " is not in the pool", null);
            }
            srs.dropDeparted(sr);
            srs.ensurePbds(sr, srs.existingDeviceConfig(sr));
        }
        VmInfo now = hosts.info(hosts.vm(attachment.vmId()));
        return new Attachment(attachment.volumeId(), attachment.vmId(), now.name(), now.host() == null ? attachment.host() : now.host(),
                attachment.device(), attachment.structure(), attachment.managed());
    }

    /** The LUN grew: the SR is scanned (it grows with the LUN) and the VDI resized to fill it; static disks do not grow. */
    void grow(Attachment attachment, long newSizeBytes) {
        if (!attachment.managed()) {
            throw new StorageException(StorageException.Reason.CONFLICT, "volume", "A disk in a static SR does not grow with a LUN", null);
        }
        long size = srs.grow(attachment.volumeId());
        LOG.info("Volume {}: the VDI is now {} bytes (LUN {} bytes)", attachment.volumeId(), size, newSizeBytes);
    }

    List<Attachment> attachments() {
        return readBack.attachments();
    }

    Optional<Attachment> findAttachment(UUID volumeId) {
        return readBack.find(volumeId);
    }

    IoLimits limits(Attachment attachment) {
        return readBack.limits(attachment);
    }

    /** Cumulative counters integrated from the RRD feed of the host the VM runs on ({@link RrdStats}). */
    IoStats diskStats(Attachment attachment) {
        return rrd.read(attachment);
    }

    @Override
    public void close() {
        xen.close();
    }

    /** Whether the target names what this pool can attach. */
    static void checkTarget(Target target) {
        target.portal();
    }
}
