package org.spindle.itest.attach.internal;

import java.time.Instant;
import java.util.Optional;

import org.spindle.itest.attach.probe.DetachCall;
import org.spindle.itest.attach.probe.GrowCall;
import org.spindle.itest.attach.probe.HostsUpdate;
import org.spindle.itest.attach.probe.LimitChange;
import org.spindle.itest.attach.probe.TestHypervisor;
import org.spindle.storage.api.IoStats;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.attach.AttachRequest;
import org.spindle.storage.api.attach.Attachment;
import org.spindle.storage.api.attach.HypervisorAttachService;
import org.spindle.storage.api.attach.HypervisorLimit;
import org.spindle.storage.api.attach.VmInfo;
import org.spindle.storage.api.qos.IoLimits;

/**
 * A fake hypervisor host or cluster: the {@link HypervisorAttachService} of one test configuration, and (through
 * {@link ClusterProbe}) its {@link TestHypervisor} probe. Its settings change with the configuration (a VM
 * migrates, a host joins) while what it attached stays in the {@link Ledger}.
 *
 * <p>It refuses, as a real cluster service would: a target whose protocol it does not declare, a VM id it does
 * not run, limits of a kind it does not declare, and a call for a disk that is attached here to another VM or
 * not attached here at all (a detach of a disk that is not attached, for one of its VMs, is success).
 */
class TestCluster extends ClusterProbe implements HypervisorAttachService {
    private volatile AttachSettings settings;

    TestCluster(Ledger ledger, AttachSettings settings) {
        super(ledger);
        this.settings = settings;
    }

    /** Takes the settings of an updated configuration; the attached disks stay. */
    void update(AttachSettings newSettings) {
        settings = newSettings;
    }

    @Override
    AttachSettings settings() {
        return settings;
    }

    // --- HypervisorAttachService ---

    @Override
    public Optional<VmInfo> findVm(String vm) {
        synchronized (ledger) {
            ledger.vmLookups.add(vm);
        }
        ledger.count("findVm");
        if (vm == null || vm.isBlank() || vm.chars().anyMatch(Character::isISOControl)) {
            throw StorageException.invalid("vm", "must be a VM name or id (was '" + vm + "')");
        }
        return settings.vm(vm);
    }

    @Override
    public Attachment attach(AttachRequest request) {
        synchronized (ledger) {
            ledger.attachRequests.add(request);
            ledger.count("attach");
            ledger.point("before", "attach");
            AttachSettings s = settings;
            Target t = request.target();
            if (!s.protocols().contains(t.protocol())) {
                throw new StorageException(Reason.NO_ROUTE, "target.protocol", this + " cannot attach protocol "
                        + t.protocol() + " (it speaks " + s.protocols() + ")", null);
            }
            VmInfo vm = runningVm(s, request.vm().id());
            checkLimits(s, request.limits());
            Ledger.Disk existing = ledger.disks.get(request.volumeId());
            if (existing != null) {
                if (existing.attachment().vmId().equals(vm.id())) {
                    return existing.attachment();
                }
                throw new StorageException(Reason.CONFLICT, this + ": volume " + request.volumeId()
                        + " is attached to VM " + existing.attachment().vmName() + " already");
            }
            Attachment a = new Attachment(request.volumeId(), vm.id(), vm.name(), vm.host(), ledger.freeDevice(vm.id()),
                    request.managed() ? "test-sr-" + request.volumeId() : null, request.managed());
            ledger.put(new Ledger.Disk(a, t.withoutChap(), request.limits(), request.sizeBytes()));
            ledger.changed("attach");
            return a;
        }
    }

    @Override
    public void detach(Attachment attachment, Target target) {
        synchronized (ledger) {
            ledger.detached.add(new DetachCall(attachment, target));
            ledger.count("detach");
            runningVm(settings, attachment.vmId());
            Ledger.Disk d = ledger.disks.get(attachment.volumeId());
            if (d == null) {
                return; // already detached from one of its VMs: success
            }
            requireSameVm(d, attachment);
            ledger.remove(attachment.volumeId());
            ledger.changed("detach");
        }
    }

    @Override
    public void changeLimits(Attachment attachment, IoLimits limits) {
        synchronized (ledger) {
            ledger.limitChanges.add(new LimitChange(attachment, limits));
            ledger.count("changeLimits");
            Ledger.Disk d = attachedDisk(attachment);
            checkLimits(settings, limits);
            ledger.put(d.with(limits));
            ledger.changed("changeLimits");
        }
    }

    @Override
    public void grow(Attachment attachment, long newSizeBytes) {
        synchronized (ledger) {
            ledger.grows.add(new GrowCall(attachment, newSizeBytes));
            ledger.count("grow");
            Ledger.Disk d = attachedDisk(attachment);
            if (newSizeBytes < d.sizeBytes()) {
                throw StorageException.invalid("size", this + " only grows disks (" + d.sizeBytes() + " to "
                        + newSizeBytes + " bytes refused)");
            }
            ledger.put(d.grownTo(newSizeBytes));
            ledger.changed("grow");
        }
    }

    @Override
    public Attachment updateHosts(Attachment attachment, Target target) {
        synchronized (ledger) {
            AttachSettings s = settings;
            ledger.hostsUpdates.add(new HostsUpdate(attachment, target, s.hosts(), s.initiators()));
            ledger.count("updateHosts");
            Ledger.Disk d = attachedDisk(attachment);
            if (!d.target().name().equals(target.name()) || d.target().lun() != target.lun()) {
                throw new StorageException(Reason.CONFLICT, "target", this + ": volume " + attachment.volumeId()
                        + " is attached from " + d.target().name() + " LUN " + d.target().lun() + ", not from "
                        + target.name() + " LUN " + target.lun(), null);
            }
            VmInfo vm = runningVm(s, attachment.vmId());
            Attachment a = d.attachment();
            Attachment now = new Attachment(a.volumeId(), a.vmId(), a.vmName(), vm.host(), a.device(), a.structure(), a.managed());
            ledger.put(d.with(now));
            ledger.changed("updateHosts");
            return now;
        }
    }

    @Override
    public IoStats diskStats(Attachment attachment) {
        synchronized (ledger) {
            ledger.statsRequests.add(attachment);
            ledger.count("diskStats");
            long ops = attachedDisk(attachment).sizeBytes() >> 20;
            return new IoStats(ops, ops, ops << 12, ops << 12, Instant.now());
        }
    }

    // --- helpers ---

    /** The VM with id {@code vmId}; refused when this service does not run it (the core routed wrongly). */
    private VmInfo runningVm(AttachSettings s, String vmId) {
        return s.vms().stream().filter(v -> v.id().equals(vmId)).findFirst().orElseThrow(() -> new StorageException(
                Reason.NOT_FOUND, "vm", this + " does not run a VM with id " + vmId + " (it runs "
                        + s.vms().stream().map(v -> v.name() + "=" + v.id()).toList() + ")", null));
    }

    /** The disk of an attachment, attached here to the attachment's VM, which this service runs. */
    private Ledger.Disk attachedDisk(Attachment attachment) {
        runningVm(settings, attachment.vmId());
        Ledger.Disk d = ledger.disks.get(attachment.volumeId());
        if (d == null) {
            throw new StorageException(Reason.NOT_FOUND, "volume", this + ": volume " + attachment.volumeId()
                    + " is not attached here", null);
        }
        requireSameVm(d, attachment);
        return d;
    }

    private void requireSameVm(Ledger.Disk d, Attachment attachment) {
        Attachment a = d.attachment();
        if (!a.vmId().equals(attachment.vmId())) {
            throw new StorageException(Reason.CONFLICT, "vm", this + ": volume " + a.volumeId() + " is attached to VM "
                    + a.vmName() + " (" + a.vmId() + "), not to " + attachment.vmName() + " (" + attachment.vmId() + ")", null);
        }
    }

    /** Refuses limits of a kind this service did not declare: the core must plan for what it declared. */
    private void checkLimits(AttachSettings s, IoLimits l) {
        require(s, !l.hasSplit(), HypervisorLimit.READ_WRITE, l);
        require(s, !l.hasTotal(), HypervisorLimit.TOTAL, l);
        require(s, !l.hasIops(), HypervisorLimit.IOPS, l);
        require(s, !l.hasBytes(), HypervisorLimit.BPS, l);
        require(s, !l.hasBurst(), HypervisorLimit.BURST, l);
        require(s, !l.hasBurstLength(), HypervisorLimit.BURST_LENGTH, l);
        require(s, !l.hasWeight(), HypervisorLimit.WEIGHT, l);
    }

    private void require(AttachSettings s, boolean notUsed, HypervisorLimit kind, IoLimits l) {
        if (!notUsed && !s.enforced().contains(kind)) {
            throw new StorageException(Reason.QOS_REFUSED, "limits", this + " does not enforce '" + kind.token()
                    + "' limits (declares " + s.limits() + ") but got " + l, null);
        }
    }

    @Override
    public String toString() {
        return "test hypervisor " + settings.service();
    }
}
