package org.spindle.storage.core.internal.volume;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.spindle.storage.api.IoStats;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.attach.AttachRequest;
import org.spindle.storage.api.attach.Attachment;
import org.spindle.storage.api.attach.HypervisorAttachService;
import org.spindle.storage.api.attach.StaticDiskRequest;
import org.spindle.storage.api.attach.VmInfo;
import org.spindle.storage.api.qos.IoLimits;

/** A hypervisor host running the given VMs; records what it was asked. */
class FakeHypervisor implements HypervisorAttachService {
    final String host;
    final Set<String> vms;
    final Map<UUID, AttachRequest> attached = new ConcurrentHashMap<>();
    final List<IoLimits> limitChanges = new CopyOnWriteArrayList<>();
    final Map<UUID, Target> disks = new ConcurrentHashMap<>();
    volatile RuntimeException failNextAttach;

    FakeHypervisor(String host, String... vms) {
        this.host = host;
        this.vms = Set.of(vms);
    }

    @Override
    public Optional<VmInfo> findVm(String vm) {
        return vms.contains(vm) ? Optional.of(new VmInfo(vm, host, true)) : Optional.empty();
    }

    @Override
    public Attachment attach(AttachRequest request) {
        if (failNextAttach != null) {
            RuntimeException e = failNextAttach;
            failNextAttach = null;
            throw e;
        }
        if (request.managed() && request.target().chap() == null) {
            throw new StorageException(StorageException.Reason.AUTHENTICATION, "no CHAP credentials");
        }
        attached.put(request.volumeId(), request);
        return new Attachment(request.volumeId(), request.vm(), host, "sdb", request.managed() ? "secret-" + request.volumeId() : null,
                request.managed());
    }

    @Override
    public void detach(Attachment attachment) {
        attached.remove(attachment.volumeId());
    }

    @Override
    public void changeLimits(Attachment attachment, IoLimits limits) {
        limitChanges.add(limits);
    }

    @Override
    public IoStats diskStats(Attachment attachment) {
        return new IoStats(10, 20, 30, 40, Instant.now());
    }

    @Override
    public Target createDisk(StaticDiskRequest request) {
        Target t = new Target("file", List.of(), request.structure() + "/" + request.volumeId() + ".img", 0, null);
        disks.put(request.volumeId(), t);
        return t;
    }

    @Override
    public void deleteDisk(Target disk) {
        disks.values().remove(disk);
    }
}
