package org.spindle.storage.core.internal.volume;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.spindle.storage.api.Chap;
import org.spindle.storage.api.IoStats;
import org.spindle.storage.api.PoolCapacity;
import org.spindle.storage.api.Portal;
import org.spindle.storage.api.Secret;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.driver.HostGroup;
import org.spindle.storage.api.driver.SanVolume;
import org.spindle.storage.api.driver.SanVolumeRef;
import org.spindle.storage.api.driver.SanVolumeRequest;
import org.spindle.storage.api.driver.StorageDriver;
import org.spindle.storage.api.qos.StorageQos;

/**
 * An in-memory SAN that keeps state like a real one and counts calls. Access works by host groups, as on a
 * SAN with access groups: a group has initiators (a grant replaces them) and volumes; an initiator reaches a
 * volume when one of the volume's groups holds it.
 */
class FakeSan implements StorageDriver {
    /** The CHAP secrets every grant returns (mutual CHAP), for tests that look for them where they must not be. */
    static final String CHAP_SECRET = "s3cret-chap-value";
    static final String CHAP_TARGET_SECRET = "t4rget-chap-value";

    final Map<UUID, SanVolume> volumes = new ConcurrentHashMap<>();
    final AtomicInteger creates = new AtomicInteger();
    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<HostGroup> grants = new CopyOnWriteArrayList<>();
    final List<HostGroup> revokes = new CopyOnWriteArrayList<>();
    /** Host group name to its initiators. */
    private final Map<String, Set<String>> groups = new HashMap<>();
    /** Volume to the names of the groups that reach it. */
    private final Map<UUID, Set<String>> volumeGroups = new HashMap<>();
    volatile RuntimeException failNextGrant;
    volatile RuntimeException failNextRevoke;
    volatile PoolCapacity capacity;
    /** The next call of this name ("create", "delete", "resize", "qos", "revoke") does its work, then the process "dies". */
    volatile String crashAfter;
    /** The next call of this name does its work, then its reply is lost (the caller sees a failure). */
    volatile String loseReplyOf;
    /** Called at the start of each grant, before the SAN changes anything. */
    volatile java.util.function.BiConsumer<SanVolumeRef, HostGroup> beforeGrant = (ref, group) -> { };
    private final AtomicInteger ids = new AtomicInteger(100);
    /** What the SAN applies where a create leaves a value unset (SolidFire has cluster defaults). */
    volatile StorageQos defaults = StorageQos.NONE;
    /** Read calls: {@link #findVolume} and {@link #listVolumes}. */
    final AtomicInteger finds = new AtomicInteger();
    final AtomicInteger lists = new AtomicInteger();
    final AtomicInteger capacityCalls = new AtomicInteger();
    /** Each volume's I/O counters, as the SAN counts them. */
    final Map<UUID, IoStats> stats = new ConcurrentHashMap<>();

    /** An operator changes a volume's QoS on the SAN itself, behind Spindle's back. */
    synchronized void changeBehindTheBack(UUID volume, StorageQos qos) {
        SanVolume v = volumes.get(volume);
        volumes.put(volume, new SanVolume(v.volumeId(), v.sanId(), v.sizeBytes(), qos, v.target()));
    }

    /** The initiators that reach the volume now. */
    synchronized Set<String> access(UUID volume) {
        Set<String> out = new TreeSet<>();
        for (String g : volumeGroups.getOrDefault(volume, Set.of())) {
            out.addAll(groups.getOrDefault(g, Set.of()));
        }
        return out;
    }

    @Override
    public synchronized SanVolume createVolume(SanVolumeRequest r) {
        calls.add("create");
        SanVolume existing = volumes.get(r.volumeId());
        if (existing != null) {
            return existing;
        }
        creates.incrementAndGet();
        int id = ids.incrementAndGet();
        SanVolume v = new SanVolume(r.volumeId(), String.valueOf(id), r.sizeBytes(), r.qos().orElse(defaults), new Target("iscsi",
                List.of(Portal.iscsi("127.0.0.1"), Portal.parse("[fd00::5]:3261", Portal.ISCSI_PORT)),
                "iqn.2010-01.com.example:" + r.name() + "." + id, 0, "naa.6f47acc1000000000000000" + id, null));
        volumes.put(r.volumeId(), v);
        after("create");
        return v;
    }

    @Override
    public Optional<SanVolume> findVolume(UUID volumeId) {
        finds.incrementAndGet();
        return Optional.ofNullable(volumes.get(volumeId));
    }

    @Override
    public synchronized void deleteVolume(SanVolumeRef ref) {
        calls.add("delete");
        volumes.remove(ref.volumeId());
        after("delete");
    }

    @Override
    public synchronized SanVolume resizeVolume(SanVolumeRef ref, long newSizeBytes) {
        calls.add("resize");
        SanVolume v = get(ref);
        SanVolume n = new SanVolume(v.volumeId(), v.sanId(), newSizeBytes, v.qos(), v.target());
        volumes.put(v.volumeId(), n);
        after("resize");
        return n;
    }

    @Override
    public synchronized void modifyQos(SanVolumeRef ref, StorageQos qos) {
        calls.add("qos");
        SanVolume v = get(ref);
        volumes.put(v.volumeId(), new SanVolume(v.volumeId(), v.sanId(), v.sizeBytes(), qos.orElse(v.qos()), v.target()));
        after("qos");
    }

    @Override
    public synchronized Target grantAccess(SanVolumeRef ref, HostGroup group) {
        calls.add("grant");
        grants.add(group);
        beforeGrant.accept(ref, group);
        if (failNextGrant != null) {
            RuntimeException e = failNextGrant;
            failNextGrant = null;
            throw e;
        }
        groups.put(group.name(), new HashSet<>(group.initiators()));
        volumeGroups.computeIfAbsent(ref.volumeId(), k -> new HashSet<>()).add(group.name());
        return get(ref).target().withChap(new Chap("tenant", Secret.of(CHAP_SECRET), "san-target", Secret.of(CHAP_TARGET_SECRET)));
    }

    @Override
    public synchronized void revokeAccess(SanVolumeRef ref, HostGroup group) {
        calls.add("revoke");
        revokes.add(group);
        if (failNextRevoke != null) {
            RuntimeException e = failNextRevoke;
            failNextRevoke = null;
            throw e;
        }
        volumeGroups.getOrDefault(ref.volumeId(), new HashSet<>()).remove(group.name());
        after("revoke");
    }

    /** A crash or a lost reply after call {@code name} did its work, if one is set for it. */
    private void after(String name) {
        if (name.equals(crashAfter)) {
            crashAfter = null;
            throw new Crash("after " + name);
        }
        if (name.equals(loseReplyOf)) {
            loseReplyOf = null;
            throw new StorageException(StorageException.Reason.BACKEND_FAILURE, "the reply of " + name + " was lost");
        }
    }

    @Override
    public PoolCapacity capacity() {
        capacityCalls.incrementAndGet();
        PoolCapacity fixed = capacity;
        return fixed != null ? fixed
                : new PoolCapacity(1L << 40, volumes.values().stream().mapToLong(SanVolume::sizeBytes).sum(), 100_000, 0);
    }

    @Override
    public IoStats volumeStats(SanVolumeRef ref) {
        return stats.getOrDefault(ref.volumeId(), new IoStats(1, 2, 3, 4, Instant.now()));
    }

    @Override
    public List<SanVolume> listVolumes() {
        lists.incrementAndGet();
        return List.copyOf(volumes.values());
    }

    private SanVolume get(SanVolumeRef ref) {
        SanVolume v = volumes.get(ref.volumeId());
        if (v == null) {
            throw new StorageException(StorageException.Reason.NOT_FOUND, "no SAN volume for " + ref.volumeId());
        }
        return v;
    }
}
