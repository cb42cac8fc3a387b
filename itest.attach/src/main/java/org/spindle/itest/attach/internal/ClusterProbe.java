package org.spindle.itest.attach.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.spindle.itest.attach.probe.AttachedDisk;
import org.spindle.itest.attach.probe.DetachCall;
import org.spindle.itest.attach.probe.GrowCall;
import org.spindle.itest.attach.probe.HostsUpdate;
import org.spindle.itest.attach.probe.LimitChange;
import org.spindle.itest.attach.probe.TestHypervisor;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.attach.AttachRequest;
import org.spindle.storage.api.attach.Attachment;
import org.spindle.storage.api.attach.StaticDiskRequest;
import org.spindle.storage.api.attach.VmInfo;
import org.spindle.storage.api.qos.IoLimits;

/** The {@link TestHypervisor} side of a test hypervisor: copies of what its {@link Ledger} holds, and the hooks. */
abstract class ClusterProbe implements TestHypervisor {
    final Ledger ledger;

    ClusterProbe(Ledger ledger) {
        this.ledger = ledger;
    }

    /** The settings in force now. */
    abstract AttachSettings settings();

    @Override
    public String service() {
        return settings().service();
    }

    @Override
    public List<String> hosts() {
        return settings().hosts();
    }

    @Override
    public String cluster() {
        return settings().cluster();
    }

    @Override
    public List<String> initiators() {
        return settings().initiators();
    }

    @Override
    public List<VmInfo> vms() {
        return settings().vms();
    }

    @Override
    public Optional<VmInfo> vm(String vm) {
        return settings().vm(vm);
    }

    @Override
    public List<String> vmLookups() {
        synchronized (ledger) {
            return Collections.unmodifiableList(new ArrayList<>(ledger.vmLookups)); // a null the core passed stays
        }
    }

    @Override
    public List<AttachRequest> attachRequests() {
        synchronized (ledger) {
            return List.copyOf(ledger.attachRequests);
        }
    }

    /** The disks attached now; also the attach SPI's {@code attachments()}, which the core's reconciliation asks. */
    @Override
    public List<Attachment> attachments() {
        synchronized (ledger) {
            return ledger.disks.values().stream().map(Ledger.Disk::attachment).toList();
        }
    }

    @Override
    public List<Attachment> attachments(String vm) {
        return attachments().stream().filter(a -> a.vmId().equals(vm) || a.vmName().equals(vm)).toList();
    }

    @Override
    public List<AttachedDisk> disks() {
        AttachSettings s = settings();
        synchronized (ledger) {
            return ledger.disks.values().stream().map(d -> {
                Attachment a = d.attachment();
                String hostNow = s.vm(a.vmId()).map(VmInfo::host).orElse(null);
                return new AttachedDisk(a.volumeId(), a.vmId(), a.vmName(), hostNow, a.device(), a.structure(),
                        a.managed(), d.target(), d.limits(), d.sizeBytes());
            }).toList();
        }
    }

    @Override
    public Optional<AttachedDisk> disk(UUID volumeId) {
        return disks().stream().filter(d -> d.volumeId().equals(volumeId)).findFirst();
    }

    @Override
    public Optional<IoLimits> limits(UUID volumeId) {
        return disk(volumeId).map(AttachedDisk::limits);
    }

    @Override
    public List<DetachCall> detached() {
        synchronized (ledger) {
            return List.copyOf(ledger.detached);
        }
    }

    @Override
    public List<LimitChange> limitChanges() {
        synchronized (ledger) {
            return List.copyOf(ledger.limitChanges);
        }
    }

    @Override
    public List<GrowCall> grows() {
        synchronized (ledger) {
            return List.copyOf(ledger.grows);
        }
    }

    @Override
    public List<HostsUpdate> hostsUpdates() {
        synchronized (ledger) {
            return List.copyOf(ledger.hostsUpdates);
        }
    }

    @Override
    public List<Attachment> statsRequests() {
        synchronized (ledger) {
            return List.copyOf(ledger.statsRequests);
        }
    }

    @Override
    public List<StaticDiskRequest> createdDisks() {
        synchronized (ledger) {
            return List.copyOf(ledger.createdDisks);
        }
    }

    @Override
    public List<Target> deletedDisks() {
        synchronized (ledger) {
            return List.copyOf(ledger.deletedDisks);
        }
    }

    @Override
    public Map<String, Integer> calls() {
        return ledger.calls();
    }

    @Override
    public int calls(String method) {
        return ledger.calls(method);
    }

    @Override
    public void failNext(String method, String message) {
        failNext(method, Reason.BACKEND_FAILURE, message);
    }

    @Override
    public void failNext(String method, Reason reason, String message) {
        ledger.failNext(method, new StorageException(reason, message));
    }

    @Override
    public void reset() {
        synchronized (ledger) {
            ledger.clear();
        }
    }

}
