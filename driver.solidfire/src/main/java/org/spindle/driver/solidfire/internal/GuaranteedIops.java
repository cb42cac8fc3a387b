package org.spindle.driver.solidfire.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

import org.spindle.driver.solidfire.internal.element.Wire;

/**
 * The IOPS the cluster guarantees (the sum of its active volumes' min IOPS), kept so that reading the pool's
 * capacity costs one {@code GetClusterCapacity} instead of a listing of every volume: Element reports no such sum.
 *
 * <p>Each full {@code ListActiveVolumes} the driver makes anyway (the QoS audit's {@code listVolumes}, a
 * {@code findVolume}) replaces the tally; the driver's own creates, QoS changes and deletes adjust it by the
 * volume they touched, as the SAN answered. Changes made by others (an operator, another installation) show at
 * the next listing; a tally older than {@code maxAge} is not used, and {@link #sum()} is then empty (the caller
 * lists). A change made while a listing was under way is applied again on top of that listing, so a listing
 * that started before it cannot undo it.
 */
final class GuaranteedIops {
    static final Duration MAX_AGE = Duration.ofMinutes(5);

    private final LongSupplier nanoTime;
    private final long maxAgeNanos;
    private Map<Long, Long> minByVolume; // null until the first listing
    private long total;
    private long listedAt;
    private final Map<Long, Change> changes = new HashMap<>();

    private record Change(Long minIops, long at) { // minIops null: deleted
    }

    GuaranteedIops(LongSupplier nanoTime, Duration maxAge) {
        this.nanoTime = nanoTime;
        this.maxAgeNanos = maxAge.toNanos();
    }

    /** A time to pass to {@link #listed} for a listing about to start. */
    long now() {
        return nanoTime.getAsLong();
    }

    /** The sum, if a listing not older than the maximum age is known. */
    synchronized OptionalLong sum() {
        if (minByVolume == null || nanoTime.getAsLong() - listedAt > maxAgeNanos) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(total);
    }

    /** Every active volume of the cluster, from a listing that started at {@code startedAt} ({@link #now()}). */
    synchronized void listed(List<Wire.Volume> volumes, long startedAt) {
        if (minByVolume != null && startedAt - listedAt < 0) {
            return; // a newer listing is known already
        }
        Map<Long, Long> fresh = new HashMap<>();
        volumes.stream().filter(Wire.Volume::active).forEach(v -> fresh.put(v.volumeID(), v.qos().minIOPS()));
        changes.values().removeIf(c -> c.at() - startedAt < 0);
        changes.forEach((id, c) -> {
            if (c.minIops() == null) {
                fresh.remove(id);
            } else {
                fresh.put(id, c.minIops());
            }
        });
        minByVolume = fresh;
        total = fresh.values().stream().mapToLong(Long::longValue).sum();
        listedAt = startedAt;
    }

    /** A volume the driver created or changed, as the SAN answered. */
    synchronized void put(Wire.Volume v) {
        if (!v.active()) {
            removed(v.volumeID());
            return;
        }
        remember(v.volumeID(), v.qos().minIOPS());
        if (minByVolume != null) {
            Long before = minByVolume.put(v.volumeID(), v.qos().minIOPS());
            total += v.qos().minIOPS() - (before == null ? 0 : before);
        }
    }

    /** A volume the driver deleted. */
    synchronized void removed(long volumeId) {
        remember(volumeId, null);
        if (minByVolume != null) {
            Long before = minByVolume.remove(volumeId);
            total -= before == null ? 0 : before;
        }
    }

    private void remember(long volumeId, Long minIops) {
        long now = nanoTime.getAsLong();
        if (changes.size() >= 10_000) {
            // without a listing for long: changes older than the maximum age are covered by the next listing
            changes.values().removeIf(c -> now - c.at() > maxAgeNanos);
        }
        changes.put(volumeId, new Change(minIops, now));
    }
}
