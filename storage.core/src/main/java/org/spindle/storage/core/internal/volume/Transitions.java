package org.spindle.storage.core.internal.volume;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;
import org.spindle.storage.api.volume.VolumeState;
import org.spindle.storage.core.internal.audit.Auditor;
import org.spindle.storage.core.internal.db.InSave;
import org.spindle.storage.core.internal.db.JdbcStore;
import org.spindle.storage.core.internal.db.VolumeRecord;

/**
 * The one rule for calls out of the core: store the intent (a transitional state, so that a concurrent
 * operation is refused as {@link Reason#BUSY} and a restart knows what was under way), call the driver or
 * attach service, record the outcome, or, when the call fails, record where the volume is then and the
 * error. Every save is a compare-and-set on the row version; each posts the state change.
 */
final class Transitions {
    private static final Logger LOG = LoggerFactory.getLogger(Transitions.class);

    private final JdbcStore store;
    private final Events events;
    /**
     * The volumes whose operation this run is executing now: only their leases are renewed. An operation whose
     * outcome could not be stored (the database was away) leaves this set, so its lease runs out and a pass
     * recovers it, on this node or another.
     */
    private final Set<UUID> executing = ConcurrentHashMap.newKeySet();

    /** The audit record the calling thread's operation writes in its first save and completes in its last, else {@code null}. */
    private final java.util.function.Supplier<Auditor.Ticket> tickets;

    /** Writes to add to the next save of the calling thread's operation ({@link #withNextSave}). */
    private final ThreadLocal<InSave> nextSave = new ThreadLocal<>();

    Transitions(JdbcStore store, Events events) {
        this(store, events, () -> null);
    }

    Transitions(JdbcStore store, Events events, java.util.function.Supplier<Auditor.Ticket> tickets) {
        this.store = store;
        this.events = events;
        this.tickets = tickets;
    }

    /** The live volume named {@code volume} (its name or id). */
    VolumeRecord load(String volume) {
        if (volume == null || volume.isBlank()) {
            throw StorageException.invalid("volume", "must name a volume (its name or id)");
        }
        return find(volume).filter(v -> v.state() != VolumeState.DESTROYED)
                .orElseThrow(() -> new StorageException(Reason.NOT_FOUND, "volume", "volume: no volume named " + volume, null));
    }

    /**
     * The live volume named {@code volume}: {@code loaded} when the caller has just read it (no second read), else
     * {@link #load(String)}.
     */
    VolumeRecord load(String volume, VolumeRecord loaded) {
        return loaded != null && loaded.state() != VolumeState.DESTROYED ? loaded : load(volume);
    }

    /** The volume named {@code volume}, destroyed ones included. */
    java.util.Optional<VolumeRecord> find(String volume) {
        return store.volume(volume);
    }

    /** The volumes whose operation this run is executing now. */
    Set<UUID> executing() {
        return Set.copyOf(executing);
    }

    /**
     * Runs {@code work} as an operation of this run on {@code volume}: its lease is renewed while it runs (nested: until
     * the outermost returns).
     */
    <T> T executing(UUID volume, java.util.function.Supplier<T> work) {
        boolean outermost = executing.add(volume);
        try {
            return work.get();
        } finally {
            if (outermost) {
                executing.remove(volume);
            }
        }
    }

    /**
     * Adds {@code write} to the transaction of the calling thread's next save (the usage reading taken before an
     * operation goes with the operation's first save instead of a commit of its own); gone with that save, committed or
     * not, or at {@link #dropNextSave()}.
     */
    void withNextSave(InSave write) {
        InSave before = nextSave.get();
        nextSave.set(before == null ? write : both(before, write));
    }

    /** Forgets what {@link #withNextSave} left for a save that never came (the operation was refused before it). */
    void dropNextSave() {
        nextSave.remove();
    }

    /** What the calling thread's save writes besides the row: what waits for its next save, then {@code also}. */
    private InSave withPending(InSave also) {
        InSave pending = nextSave.get();
        if (pending == null) {
            return also;
        }
        nextSave.remove();
        return also == null ? pending : both(pending, also);
    }

    private static InSave both(InSave first, InSave second) {
        if (first == null) {
            return second;
        }
        if (second == null) {
            return first;
        }
        return c -> {
            first.write(c);
            second.write(c);
        };
    }

    /** Stores {@code next} over {@code current} (compare-and-set: {@link Reason#BUSY} if it changed) and posts the change. */
    VolumeRecord save(VolumeRecord current, VolumeRecord next) {
        return save(current, next, false);
    }

    private VolumeRecord save(VolumeRecord current, VolumeRecord next, boolean withinPool) {
        Auditor.Ticket ticket = tickets.get();
        store.update(current, next, withinPool, withPending(ticket == null ? null : ticket.intent()));
        if (ticket != null) {
            ticket.saved(false);
        }
        events.changed(current.volume(), next.volume());
        return next;
    }

    /** Stores {@code change} of {@code current}. */
    VolumeRecord save(VolumeRecord current, UnaryOperator<VolumeChange> change) {
        return save(current, change.apply(VolumeChange.of(current)).next());
    }

    /**
     * Stores {@code change} of {@code current} as the last save of the operation the calling thread runs: the
     * operation's audit record, if it has one to complete ({@link Auditor#recordInLastSave}), is completed in the same
     * transaction.
     */
    VolumeRecord saveLast(VolumeRecord current, UnaryOperator<VolumeChange> change) {
        return saveLast(current, change.apply(VolumeChange.of(current)).next());
    }

    /**
     * Inserts {@code v}, a new volume, with {@code also}, as the last save of the operation the calling thread runs
     * ({@link #saveLast}); {@code san}: the pool's SAN capacity checked against (stored with it when {@code sanJustRead}).
     */
    void insertLast(VolumeRecord v, org.spindle.storage.api.PoolCapacity san, boolean sanJustRead, InSave also) {
        Auditor.Ticket ticket = tickets.get();
        InSave audit = ticket == null ? null : ticket.completion();
        store.insertVolume(v, san, sanJustRead, withPending(both(also, audit)));
        if (ticket != null) {
            ticket.saved(true);
        }
    }

    private VolumeRecord saveLast(VolumeRecord current, VolumeRecord next) {
        Auditor.Ticket ticket = tickets.get();
        store.update(current, next, false, withPending(ticket == null ? null : ticket.completion()));
        if (ticket != null) {
            ticket.saved(true);
        }
        events.changed(current.volume(), next.volume());
        return next;
    }

    /**
     * Stores {@code change} of {@code current}, a volume not on the SAN yet, if what it then promises its pool still
     * fits beside the pool's last known SAN capacity and the other volumes not on the SAN yet (atomically).
     */
    VolumeRecord saveWithinPool(VolumeRecord current, UnaryOperator<VolumeChange> change) {
        return save(current, change.apply(VolumeChange.of(current)).next(), true);
    }

    /**
     * Stores the intent ({@code during}, plus what {@code intent} adds), runs {@code call} on the stored
     * volume and stores what {@code outcome} makes of its result. When {@code call} fails, stores what
     * {@code failure} makes of it (the error is already set to "{@code what} failed: …") and throws the failure,
     * prefixed with {@code what}.
     */
    <T> VolumeRecord run(VolumeRecord from, String what, VolumeState during, UnaryOperator<VolumeChange> intent,
                         Function<VolumeRecord, T> call, BiFunction<VolumeChange, T, VolumeChange> outcome,
                         BiFunction<VolumeChange, RuntimeException, VolumeChange> failure) {
        return executing(from.id(), () -> finish(begin(from, during, intent), what, call, outcome, failure));
    }

    /** {@link #run}, whose outcome is the last save of the operation the calling thread runs ({@link #saveLast}). */
    <T> VolumeRecord runLast(VolumeRecord from, String what, VolumeState during, UnaryOperator<VolumeChange> intent,
                             Function<VolumeRecord, T> call, BiFunction<VolumeChange, T, VolumeChange> outcome,
                             BiFunction<VolumeChange, RuntimeException, VolumeChange> failure) {
        return executing(from.id(), () -> finishLast(begin(from, during, intent), what, call, outcome, failure));
    }

    /** Stores the intent ({@code during}, plus what {@code intent} adds) of an operation this run is {@link #executing}. */
    VolumeRecord begin(VolumeRecord from, VolumeState during, UnaryOperator<VolumeChange> intent) {
        return save(from, c -> intent.apply(c.state(during)));
    }

    /**
     * Runs {@code call} on {@code inFlight}, an intent already stored, and stores what {@code outcome} makes of its
     * result, or what {@code failure} makes of its failure (as {@link #run}).
     */
    <T> VolumeRecord finish(VolumeRecord inFlight, String what, Function<VolumeRecord, T> call,
                            BiFunction<VolumeChange, T, VolumeChange> outcome,
                            BiFunction<VolumeChange, RuntimeException, VolumeChange> failure) {
        return finish(inFlight, what, call, failure, result -> {
            VolumeRecord next = outcome.apply(VolumeChange.of(inFlight), result).next();
            return save(inFlight, next);
        });
    }

    /** {@link #finish}, whose outcome is the last save of the operation the calling thread runs ({@link #saveLast}). */
    <T> VolumeRecord finishLast(VolumeRecord inFlight, String what, Function<VolumeRecord, T> call,
                                BiFunction<VolumeChange, T, VolumeChange> outcome,
                                BiFunction<VolumeChange, RuntimeException, VolumeChange> failure) {
        return finish(inFlight, what, call, failure, result -> saveLast(inFlight, outcome.apply(VolumeChange.of(inFlight), result).next()));
    }

    /**
     * As {@link #run}, but the outcome is stored together with the intent of the operation that follows on the volume
     * at once: {@code outcome} makes the stable state the call leads to ({@code READY} after a create), {@code then}
     * the next intent on it (a transitional state), saved in one write whose operation started from that stable state
     * (what recovery goes back to). Events are posted for both steps. A failure of {@code call} is stored as in
     * {@link #run}, and the next operation never begins.
     */
    <T> VolumeRecord runThen(VolumeRecord from, String what, VolumeState during, Function<VolumeRecord, T> call,
                             BiFunction<VolumeChange, T, VolumeChange> outcome,
                             BiFunction<VolumeChange, RuntimeException, VolumeChange> failure, UnaryOperator<VolumeChange> then) {
        return executing(from.id(), () -> {
            VolumeRecord inFlight = begin(from, during, c -> c);
            return finish(inFlight, what, call, failure, result -> {
                VolumeChange done = outcome.apply(VolumeChange.of(inFlight), result);
                VolumeRecord stable = done.next();
                VolumeRecord next = then.apply(done.startedFrom(stable.state())).next();
                if (!next.state().isTransitional()) {
                    throw new IllegalArgumentException("then must begin an operation (was " + next.state() + ")");
                }
                Auditor.Ticket ticket = tickets.get();
                store.update(inFlight, next, false, withPending(ticket == null ? null : ticket.intent()));
                if (ticket != null) {
                    ticket.saved(false);
                }
                events.changed(inFlight.volume(), stable.volume());
                events.changed(stable.volume(), next.volume());
                return next;
            });
        });
    }

    private <T> VolumeRecord finish(VolumeRecord inFlight, String what, Function<VolumeRecord, T> call,
                                    BiFunction<VolumeChange, RuntimeException, VolumeChange> failure,
                                    Function<T, VolumeRecord> record) {
        VolumeRecord from = inFlight;
        T result;
        try {
            result = call.apply(inFlight);
        } catch (RuntimeException e) {
            try {
                save(inFlight, failure.apply(VolumeChange.of(inFlight).error(what + " failed: " + e.getMessage()), e).next());
            } catch (RuntimeException s) {
                LOG.error("Volume {}: {} failed ({}), and recording it failed too: {}", from.name(), what, e.getMessage(), s.getMessage());
            }
            throw wrap(e, what + " failed");
        }
        try {
            return record.apply(result);
        } catch (StorageException e) {
            if (e.reason() == Reason.BUSY) {
                LOG.error("Volume {}: {} was done, but its outcome could not be recorded: another node took the operation over "
                        + "(this node's lease had passed); reconciliation brings both sides together", from.name(), what);
            }
            throw e;
        }
    }

    /**
     * Refuses an operation unless the volume is in one of the {@code allowed} states: {@link Reason#BUSY} while
     * another operation is in flight, {@link Reason#CONFLICT} for a stable state that does not allow it.
     */
    static void require(VolumeRecord v, String operation, VolumeState... allowed) {
        for (VolumeState s : allowed) {
            if (v.state() == s) {
                return;
            }
        }
        if (v.state().isTransitional()) {
            throw new StorageException(Reason.BUSY, "volume", "volume " + v.name() + " is " + v.state()
                    + ": another operation is in flight; retry once it is done", null);
        }
        throw conflict(v, "is " + v.state() + "; can only " + operation + " a volume that is " + List.of(allowed));
    }

    static StorageException conflict(VolumeRecord v, String what) {
        return new StorageException(Reason.CONFLICT, "volume", "volume " + v.name() + " " + what, null);
    }

    static StorageException wrap(RuntimeException e, String what) {
        if (e instanceof StorageException se) {
            return new StorageException(se.reason(), se.field(), what + ": " + se.getMessage(), se);
        }
        return new StorageException(Reason.BACKEND_FAILURE, null, what + ": " + e, e);
    }
}
