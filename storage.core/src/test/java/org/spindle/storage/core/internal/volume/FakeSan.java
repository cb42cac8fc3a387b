package org.spindle.storage.core.internal.volume;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.spindle.storage.api.Chap;
import org.spindle.storage.api.IoStats;
import org.spindle.storage.api.Secret;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.driver.Initiator;
import org.spindle.storage.api.driver.PoolCapacity;
import org.spindle.storage.api.driver.SanVolume;
import org.spindle.storage.api.driver.SanVolumeRef;
import org.spindle.storage.api.driver.SanVolumeRequest;
import org.spindle.storage.api.driver.StorageDriver;
import org.spindle.storage.api.qos.StorageQos;

/** An in-memory SAN that keeps state like a real one and counts calls. */
class FakeSan implements StorageDriver {
    final Map<UUID, SanVolume> volumes = new ConcurrentHashMap<>();
    final Map<UUID, Set<String>> access = new ConcurrentHashMap<>();
    final AtomicInteger creates = new AtomicInteger();
    final List<String> calls = new ArrayList<>();
    volatile RuntimeException failNextGrant;
    private final AtomicInteger ids = new AtomicInteger(100);

    @Override
    public synchronized SanVolume createVolume(SanVolumeRequest r) {
        calls.add("create");
        SanVolume existing = volumes.get(r.volumeId());
        if (existing != null) {
            return existing;
        }
        creates.incrementAndGet();
        int id = ids.incrementAndGet();
        SanVolume v = new SanVolume(r.volumeId(), String.valueOf(id), r.sizeBytes(), r.qos(),
                new Target("iscsi", List.of("127.0.0.1:3260"), "iqn.2010-01.com.example:" + r.name() + "." + id, 0, null));
        volumes.put(r.volumeId(), v);
        return v;
    }

    @Override
    public synchronized void deleteVolume(SanVolumeRef ref) {
        calls.add("delete");
        volumes.remove(ref.volumeId());
    }

    @Override
    public synchronized SanVolume resizeVolume(SanVolumeRef ref, long newSizeBytes) {
        SanVolume v = get(ref);
        SanVolume n = new SanVolume(v.volumeId(), v.sanId(), newSizeBytes, v.qos(), v.target());
        volumes.put(v.volumeId(), n);
        return n;
    }

    @Override
    public synchronized void modifyQos(SanVolumeRef ref, StorageQos qos) {
        calls.add("qos");
        SanVolume v = get(ref);
        volumes.put(v.volumeId(), new SanVolume(v.volumeId(), v.sanId(), v.sizeBytes(), qos, v.target()));
    }

    @Override
    public synchronized Target grantAccess(SanVolumeRef ref, Initiator initiator) {
        calls.add("grant");
        if (failNextGrant != null) {
            RuntimeException e = failNextGrant;
            failNextGrant = null;
            throw e;
        }
        access.computeIfAbsent(ref.volumeId(), k -> new HashSet<>()).add(initiator.address());
        return get(ref).target().withChap(new Chap("tenant", Secret.of("s3cret-chap-value"), null));
    }

    @Override
    public synchronized void revokeAccess(SanVolumeRef ref, Initiator initiator) {
        calls.add("revoke");
        access.getOrDefault(ref.volumeId(), new HashSet<>()).remove(initiator.address());
    }

    @Override
    public PoolCapacity capacity() {
        return new PoolCapacity(1L << 40, volumes.values().stream().mapToLong(SanVolume::sizeBytes).sum(), 100_000, 0);
    }

    @Override
    public IoStats volumeStats(SanVolumeRef ref) {
        return new IoStats(1, 2, 3, 4, Instant.now());
    }

    @Override
    public List<SanVolume> listVolumes() {
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
