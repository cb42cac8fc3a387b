package org.spindle.storage.core.internal.volume;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.spindle.storage.api.IoStats;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.attach.AttachRequest;
import org.spindle.storage.api.attach.Attachment;
import org.spindle.storage.api.attach.HypervisorAttachService;
import org.spindle.storage.api.attach.VmInfo;
import org.spindle.storage.api.qos.IoLimits;

/**
 * A hypervisor host, or a cluster of hosts, running the given VMs (id {@code uuid-<name>}, see {@link #id}); VMs can migrate
 * between its hosts. Records what it was asked, and where each VM was when a call for it arrived.
 */
class FakeHypervisor implements HypervisorAttachService {
    final String host;
    /** VM id to the VM as it runs now. */
    final Map<String, VmInfo> vms = new ConcurrentHashMap<>();
    final Map<UUID, AttachRequest> attached = new ConcurrentHashMap<>();
    final List<IoLimits> limitChanges = new CopyOnWriteArrayList<>();
    final List<Long> grows = new CopyOnWriteArrayList<>();
    final List<Target> detachTargets = new CopyOnWriteArrayList<>();
    final List<Target> hostUpdates = new CopyOnWriteArrayList<>();
    /** The host the VM ran on at each call made with an attachment, e.g. {@code detach@h2}. */
    final List<String> callsAt = new CopyOnWriteArrayList<>();
    volatile RuntimeException failNextAttach;
    /** A crash (like a kill) right before the next attach reaches the hypervisor, or right after it attached. */
    volatile boolean crashBeforeAttach;
    volatile boolean crashAfterAttach;
    volatile boolean crashAfterDetach;
    /** The next detach fails before it acts, or acts and then fails (its answer lost). */
    volatile RuntimeException failNextDetach;
    volatile RuntimeException failAfterDetach;
    /** What {@link #attachments()} lists beside the disks, e.g. a structure an attach left without a disk. */
    final List<Attachment> alsoListed = new CopyOnWriteArrayList<>();
    volatile boolean crashAfterLimits;
    volatile RuntimeException failNextLimits;
    /** Whether this hypervisor can list its disks ({@link #attachments()}); some cannot. */
    volatile boolean canList = true;
    /** Called when an attach starts (after the crash checks), e.g. to hold it while another node acts. */
    volatile Runnable onAttach = () -> { };
    volatile RuntimeException failNextUpdateHosts;
    /** Each disk's limits as the hypervisor enforces them now. */
    final Map<UUID, IoLimits> limits = new ConcurrentHashMap<>();
    /** Each disk's I/O counters. */
    final Map<UUID, IoStats> stats = new ConcurrentHashMap<>();
    /** Whether this hypervisor can read a disk's limits back ({@link #limits(Attachment)}); some cannot. */
    volatile boolean canReadLimits = true;
    final java.util.concurrent.atomic.AtomicInteger limitReads = new java.util.concurrent.atomic.AtomicInteger();
    final java.util.concurrent.atomic.AtomicInteger findVmCalls = new java.util.concurrent.atomic.AtomicInteger();

    FakeHypervisor(String host, String... vms) {
        this.host = host;
        for (String vm : vms) {
            this.vms.put(id(vm), new VmInfo(id(vm), vm, host, true));
        }
    }

    /** {@code uuid-<name>}; for a long name a short id, as hypervisors' ids are. */
    static String id(String vm) {
        return "uuid-" + (vm.length() <= 40 ? vm : Integer.toHexString(vm.hashCode()));
    }

    /** Live migration: the VM runs on {@code toHost} from now on. */
    void migrate(String vm, String toHost) {
        VmInfo v = vms.get(id(vm));
        vms.put(v.id(), new VmInfo(v.id(), v.name(), toHost, v.running()));
    }

    @Override
    public Optional<VmInfo> findVm(String vm) {
        findVmCalls.incrementAndGet();
        return Optional.ofNullable(vms.get(vm)).or(() -> vms.values().stream().filter(v -> v.name().equals(vm)).findFirst());
    }

    /** The VM of an attachment, found by its id, as every later call must. */
    private VmInfo vmOf(Attachment a, String call) {
        VmInfo vm = vms.get(a.vmId());
        if (vm == null) {
            throw new StorageException(StorageException.Reason.NOT_FOUND, "vm", "no VM with id " + a.vmId(), null);
        }
        callsAt.add(call + "@" + vm.host());
        return vm;
    }

    @Override
    public Attachment attach(AttachRequest request) {
        if (failNextAttach != null) {
            RuntimeException e = failNextAttach;
            failNextAttach = null;
            throw e;
        }
        if (crashBeforeAttach) {
            crashBeforeAttach = false;
            throw new Crash("before attach");
        }
        onAttach.run();
        if (request.managed() && request.target().chap() == null) {
            throw new StorageException(StorageException.Reason.AUTHENTICATION, "no CHAP credentials");
        }
        attached.put(request.volumeId(), request);
        limits.put(request.volumeId(), request.limits());
        VmInfo vm = request.vm();
        callsAt.add("attach@" + vm.host());
        if (crashAfterAttach) {
            crashAfterAttach = false;
            throw new Crash("after attach");
        }
        return attachmentOf(request);
    }

    private static Attachment attachmentOf(AttachRequest request) {
        VmInfo vm = request.vm();
        return new Attachment(request.volumeId(), vm.id(), vm.name(), vm.host(), "sdb",
                request.managed() ? "secret-" + request.volumeId() : null, request.managed());
    }

    @Override
    public List<Attachment> attachments() {
        if (!canList) {
            throw new UnsupportedOperationException("cannot list");
        }
        return java.util.stream.Stream.concat(attached.values().stream().map(FakeHypervisor::attachmentOf), alsoListed.stream()).toList();
    }

    @Override
    public void detach(Attachment attachment, Target target) {
        if (org.spindle.storage.api.attach.AttachProperties.NO_VM.equals(attachment.vmId())) {
            // a structure of no VM: removed only if no disk uses it, and a disk never
            callsAt.add("detach@" + attachment.vmId());
            detachTargets.add(target);
            if (!attached.containsKey(attachment.volumeId())) {
                alsoListed.removeIf(a -> a.volumeId().equals(attachment.volumeId()));
            }
            return;
        }
        vmOf(attachment, "detach");
        if (failNextDetach != null) {
            RuntimeException e = failNextDetach;
            failNextDetach = null;
            throw e;
        }
        detachTargets.add(target);
        attached.remove(attachment.volumeId());
        alsoListed.removeIf(a -> a.volumeId().equals(attachment.volumeId()));
        if (failAfterDetach != null) {
            RuntimeException e = failAfterDetach;
            failAfterDetach = null;
            throw e;
        }
        if (crashAfterDetach) {
            crashAfterDetach = false;
            throw new Crash("after detach");
        }
    }

    @Override
    public void changeLimits(Attachment attachment, IoLimits limits) {
        vmOf(attachment, "limits");
        if (failNextLimits != null) {
            RuntimeException e = failNextLimits;
            failNextLimits = null;
            throw e;
        }
        limitChanges.add(limits);
        this.limits.put(attachment.volumeId(), limits);
        if (crashAfterLimits) {
            crashAfterLimits = false;
            throw new Crash("after limits");
        }
    }

    @Override
    public void grow(Attachment attachment, long newSizeBytes) {
        vmOf(attachment, "grow");
        grows.add(newSizeBytes);
    }

    @Override
    public Attachment updateHosts(Attachment attachment, Target target) {
        if (failNextUpdateHosts != null) {
            RuntimeException e = failNextUpdateHosts;
            failNextUpdateHosts = null;
            throw e;
        }
        VmInfo vm = vmOf(attachment, "updateHosts");
        hostUpdates.add(target);
        return new Attachment(attachment.volumeId(), attachment.vmId(), attachment.vmName(), vm.host(), attachment.device(),
                attachment.structure(), attachment.managed());
    }

    @Override
    public IoStats diskStats(Attachment attachment) {
        vmOf(attachment, "stats");
        return stats.getOrDefault(attachment.volumeId(), new IoStats(10, 20, 30, 40, Instant.now()));
    }

    @Override
    public IoLimits limits(Attachment attachment) {
        if (!canReadLimits) {
            throw new UnsupportedOperationException("cannot read limits back");
        }
        vmOf(attachment, "readLimits");
        limitReads.incrementAndGet();
        IoLimits l = limits.get(attachment.volumeId());
        if (l == null) {
            throw new StorageException(StorageException.Reason.NOT_FOUND, "no disk for " + attachment.volumeId());
        }
        return l;
    }
}
