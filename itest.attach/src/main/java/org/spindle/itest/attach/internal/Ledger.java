package org.spindle.itest.attach.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.spindle.itest.attach.probe.DetachCall;
import org.spindle.itest.attach.probe.GrowCall;
import org.spindle.itest.attach.probe.HostsUpdate;
import org.spindle.itest.attach.probe.LimitChange;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.attach.AttachRequest;
import org.spindle.storage.api.attach.Attachment;
import org.spindle.storage.api.attach.StaticDiskRequest;
import org.spindle.storage.api.qos.IoLimits;

/**
 * What a test hypervisor has attached and what it was asked. One per factory configuration, kept across its
 * updates (and across re-registrations when {@code structures} appear or go). The lists are guarded by the
 * ledger itself: callers synchronize on it.
 */
final class Ledger {
    /**
     * A disk attached now.
     *
     * @param attachment as last returned to the core (its host is where the VM was then)
     * @param target     the target without credentials
     * @param limits     in force
     * @param sizeBytes  as the VM sees it
     */
    record Disk(Attachment attachment, Target target, IoLimits limits, long sizeBytes) {
        Disk with(Attachment a) {
            return new Disk(a, target, limits, sizeBytes);
        }

        Disk with(IoLimits l) {
            return new Disk(attachment, target, l, sizeBytes);
        }

        Disk grownTo(long bytes) {
            return new Disk(attachment, target, limits, bytes);
        }
    }

    final List<String> vmLookups = new ArrayList<>();
    final List<AttachRequest> attachRequests = new ArrayList<>();
    final Map<UUID, Disk> disks = new LinkedHashMap<>();
    /** The devices in use on each VM (by VM id), kept with {@link #disks}: an attach picks the first free one. */
    private final Map<String, java.util.Set<String>> devices = new java.util.HashMap<>();
    final List<DetachCall> detached = new ArrayList<>();
    final List<LimitChange> limitChanges = new ArrayList<>();
    final List<GrowCall> grows = new ArrayList<>();
    final List<HostsUpdate> hostsUpdates = new ArrayList<>();
    final List<Attachment> statsRequests = new ArrayList<>();
    final List<StaticDiskRequest> createdDisks = new ArrayList<>();
    final List<Target> deletedDisks = new ArrayList<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Map<String, StorageException> failures = new ConcurrentHashMap<>();
    /** Where the disks are kept and crash points armed, if the configuration names a state.dir. */
    private StateDir state;

    /** Keeps the disks in {@code dir} from now on, taking over those kept there (a restarted runtime finds them). */
    void useStateDir(java.nio.file.Path dir) {
        if (state == null) {
            state = new StateDir(dir);
            disks.putAll(state.load());
            indexDevices();
        }
    }

    /** Attaches {@code d} (a new disk, or one whose VM and device stay as they were). */
    void put(Disk d) {
        Disk before = disks.put(d.attachment().volumeId(), d);
        if (before != null) {
            unindex(before);
        }
        devices.computeIfAbsent(d.attachment().vmId(), k -> new java.util.HashSet<>()).add(d.attachment().device());
    }

    void remove(UUID volumeId) {
        Disk gone = disks.remove(volumeId);
        if (gone != null) {
            unindex(gone);
        }
    }

    /** The first device name not in use on VM {@code vmId}: sdb, sdc, … sdz, sdaa, sdab, … as Linux names SCSI disks. */
    String freeDevice(String vmId) {
        java.util.Set<String> used = devices.getOrDefault(vmId, java.util.Set.of());
        for (int i = 1; ; i++) {
            String name = "sd" + letters(i);
            if (!used.contains(name)) {
                return name;
            }
        }
    }

    private static String letters(int i) {
        return i < 26 ? String.valueOf((char) ('a' + i)) : letters(i / 26 - 1) + (char) ('a' + i % 26);
    }

    private void unindex(Disk d) {
        java.util.Set<String> on = devices.get(d.attachment().vmId());
        if (on != null) {
            on.remove(d.attachment().device());
            if (on.isEmpty()) {
                devices.remove(d.attachment().vmId());
            }
        }
    }

    private void indexDevices() {
        devices.clear();
        disks.values().forEach(d -> devices.computeIfAbsent(d.attachment().vmId(), k -> new java.util.HashSet<>()).add(d.attachment().device()));
    }

    /**
     * Runs {@code call} as one step of the shared hypervisor: under the state directory's lock, with the disks as the
     * directory holds them (another runtime may have changed them). Without a state directory, just runs it.
     */
    <T> T around(java.util.concurrent.Callable<T> call) throws Exception {
        synchronized (this) {
            if (state == null) {
                return call.call();
            }
            state.lock();
            try {
                disks.clear();
                disks.putAll(state.load());
                indexDevices();
                return call.call();
            } finally {
                state.unlock();
            }
        }
    }

    /** A call is at its crash point {@code when} ("before" or "after"). */
    void point(String when, String call) {
        if (state != null) {
            state.point(when, call);
        }
    }

    /**
     * {@code call} changed the disks: keep them (the hypervisor has done it), then stop at its "after" crash point
     * or fail as a lost reply if armed.
     */
    void changed(String call) {
        if (state != null) {
            state.save(disks.values());
            state.point("after", call);
            state.reply(call);
        }
    }

    /** Counts a call of {@code method}, and fails it if a test asked so. */
    void count(String method) {
        calls.computeIfAbsent(method, k -> new AtomicInteger()).incrementAndGet();
        StorageException failure = failures.remove(method);
        if (failure != null) {
            throw failure;
        }
    }

    void failNext(String method, StorageException failure) {
        failures.put(method, failure);
    }

    Map<String, Integer> calls() {
        Map<String, Integer> m = new TreeMap<>();
        calls.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    int calls(String method) {
        AtomicInteger c = calls.get(method);
        return c == null ? 0 : c.get();
    }

    void clear() {
        vmLookups.clear();
        attachRequests.clear();
        disks.clear();
        devices.clear();
        detached.clear();
        limitChanges.clear();
        grows.clear();
        hostsUpdates.clear();
        statsRequests.clear();
        createdDisks.clear();
        deletedDisks.clear();
        calls.clear();
        failures.clear();
    }
}
