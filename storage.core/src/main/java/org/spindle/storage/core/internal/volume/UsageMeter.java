package org.spindle.storage.core.internal.volume;

import static org.spindle.storage.core.internal.volume.Core.ref;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spindle.storage.api.IoStats;
import org.spindle.storage.api.qos.EffectiveQos;
import org.spindle.storage.api.usage.UsageQuery;
import org.spindle.storage.api.usage.UsageRecord;
import org.spindle.storage.api.volume.VolumeQuery;
import org.spindle.storage.api.volume.VolumeState;
import org.spindle.storage.core.internal.db.VolumeRecord;
import org.spindle.storage.core.internal.registry.BoundAttach;
import org.spindle.storage.core.internal.registry.BoundPool;
import org.spindle.storage.core.internal.usage.Counters;
import org.spindle.storage.core.internal.usage.Sample;

/**
 * Usage for billing: reads each live volume once per period and around every change of its size, QoS or
 * attachment ({@link #around}: before it in the caller's thread, stored with the operation's first save, after it on the
 * core's background thread), and adds each interval to the volume's usage periods. The I/O counters come from
 * the hypervisor while the volume is attached, else from the SAN; a volume with nothing on the SAN does no I/O
 * and has no IOPS in effect, though its size counts (it holds the pool's capacity). A reading that fails is
 * skipped: the next one covers the interval. Usage never fails a user's operation.
 */
final class UsageMeter {
    private static final Logger LOG = LoggerFactory.getLogger(UsageMeter.class);
    private static final int PAGE = 1_000;
    static final String NO_COUNTER = "none";

    private final Core core;
    private final Duration period;
    private final Clock clock;
    private final java.util.concurrent.Executor later;

    /** {@code later}: where the reading after a change runs ({@code Runnable::run} to run it at once). */
    UsageMeter(Core core, Duration period, Clock clock, java.util.concurrent.Executor later) {
        this.core = core;
        this.period = period;
        this.clock = clock;
        this.later = later;
    }

    Duration period() {
        return period;
    }

    /** Reads every live, stable volume now. */
    void sampleAll() {
        core.store().pages().each(new VolumeQuery(PAGE, null, null, null, null, false), v -> {
            if (!v.state().isTransitional()) {
                sample(v);
            }
        });
    }

    /** Reads {@code v} and adds the interval since its last reading to its periods. */
    void sample(VolumeRecord v) {
        if (v.state() == VolumeState.DESTROYED) {
            return;     // the save that destroyed it removed its last reading (JdbcStore.update)
        }
        try {
            read(v).ifPresent(s -> core.store().usage().record(v.id(), s, period));
        } catch (RuntimeException e) {
            LOG.debug("Volume {}: usage reading skipped: {}", v.name(), e.getMessage());
        }
    }

    /**
     * Reads {@code v} now and leaves the reading to the transaction of the operation's first save (one commit less; the
     * save comes before any call that changes the volume). Skipped, as a failed reading is, when no save comes.
     */
    private void sampleWithNextSave(VolumeRecord v) {
        if (v.state() == VolumeState.DESTROYED) {
            return;
        }
        try {
            read(v).ifPresent(s -> core.tx().withNextSave(core.store().usage().recording(v.id(), s, period)));
        } catch (RuntimeException e) {
            LOG.debug("Volume {}: usage reading skipped: {}", v.name(), e.getMessage());
        }
    }

    /**
     * The first reading of {@code created}, a volume just allocated (nothing on the SAN: no call out), as a write in the
     * transaction that inserts it.
     */
    org.spindle.storage.core.internal.db.InSave first(VolumeRecord created) {
        Sample s = read(created).orElseThrow(() -> new IllegalStateException("a new volume is read without a call out"));
        return core.store().usage().first(created.id(), s);
    }

    /**
     * Runs {@code change} on {@code volume} between a reading before (closing the interval with the old size, QoS
     * and counter) and one after (the new ones from now on). {@code change} gets the row read for the first reading
     * ({@code null} if there is none), so that it need not read it again.
     */
    VolumeRecord around(String volume, java.util.function.UnaryOperator<VolumeRecord> change) {
        return around(volume, false, change);
    }

    /**
     * {@link #around(String, java.util.function.UnaryOperator)}; {@code skipIdle} for a change that leaves the volume
     * live (an attach): the reading before is skipped when the volume has nothing on the SAN and no disk. That reading
     * would record what the volume's last reading already holds (its size, no I/O counter, no IOPS in effect), and the
     * reading after adds the whole interval with the last reading's values, exactly what the two would add together.
     */
    VolumeRecord around(String volume, boolean skipIdle, java.util.function.UnaryOperator<VolumeRecord> change) {
        Optional<VolumeRecord> before = find(volume);
        before.filter(v -> !(skipIdle && idle(v))).ifPresent(this::sampleWithNextSave);
        VolumeRecord after;
        try {
            after = change.apply(before.orElse(null));
        } finally {
            core.tx().dropNextSave();    // refused before its first save: nothing changed, the next reading covers the interval
        }
        try {
            // the reading after is not the caller's to wait for
            later.execute(() -> sample(after));
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            sample(after);
        }
        return after;
    }

    /** A volume with nothing on the SAN and no disk: it does no I/O and has no IOPS in effect. */
    private static boolean idle(VolumeRecord v) {
        return v.sanId() == null && v.attachment() == null && v.state() == VolumeState.ALLOCATED;
    }

    List<UsageRecord> usage(UsageQuery query) {
        UUID volume = null;
        if (query.volume() != null) {
            volume = find(query.volume()).map(VolumeRecord::id).orElseThrow(() -> org.spindle.storage.api.StorageException.invalid(
                    "volume", "must name a volume (its name or id), found none named " + query.volume()));
        }
        return core.store().usage().usage(volume, query.tenant(), query.from(), query.to());
    }

    private Optional<VolumeRecord> find(String volume) {
        try {
            return core.tx().find(volume);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private Optional<Sample> read(VolumeRecord v) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        EffectiveQos e = v.volume().effectiveQos();
        long size = v.volume().sizeBytes();
        if (v.state() == VolumeState.ATTACHED && v.attachment() != null) {
            Optional<BoundAttach> service = core.attachers().byIdentity(v.attachment().service());
            if (service.isEmpty()) {
                return Optional.empty();
            }
            IoStats s = service.get().service().diskStats(v.attachment().spi(v.id()));
            String source = "disk:" + v.attachment().service() + ":" + v.attachment().vmId() + ":" + v.attachment().device();
            return Optional.of(sample(now, source, Counters.of(s), size, e));
        }
        if (v.sanId() == null) {
            return Optional.of(new Sample(now, NO_COUNTER, Counters.ZERO, size, 0, 0, 0));
        }
        Optional<BoundPool> pool = core.pools().pool(v.volume().pool());
        if (pool.isEmpty()) {
            return Optional.empty();
        }
        if (!pool.get().managed()) {
            return Optional.of(sample(now, NO_COUNTER, Counters.ZERO, size, e));
        }
        IoStats s = pool.get().driver().volumeStats(ref(v));
        return Optional.of(sample(now, "san:" + v.volume().pool() + ":" + v.sanId(), Counters.of(s), size, e));
    }

    private static Sample sample(Instant now, String source, Counters c, long size, EffectiveQos e) {
        return new Sample(now, source, c, size, e.guaranteedIops(), e.maxIops(), e.burstIops());
    }
}
