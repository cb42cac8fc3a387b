package org.spindle.support.leftover;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What an attach that was given up can leave on a hypervisor (an SR, a datastore, a CHAP secret, …: a thing of one
 * volume that nothing uses), told apart from what an attach running now has made a moment before the disk that uses
 * it. The service says when an attach of a volume starts and ends ({@link #attaching}, {@link #attachEnded}: a count
 * per volume, as two attaches of one volume may overlap, a retry beside the first call); at each check it reads what
 * is unused now. A thing is reported once it was unused at two checks in a row while no attach of its volume ran
 * (neither when the read began nor when it ended); it stays reported while it stays unused, and is forgotten at the
 * first check that finds it used again, gone, or of a volume an attach works on.
 *
 * @param <K> what is checked: an SR, a datastore name, a secret's id
 * @param <R> what the service reports of one (a published line, a drift record), made once, at its first report
 */
public final class Leftovers<K, R> {
    /** The read of what is unused now: each thing with the volume it belongs to. */
    @FunctionalInterface
    public interface Read<K, X extends Exception> {
        Map<K, UUID> unused() throws X;
    }

    /** A report, and the volume of the thing reported. */
    private record Report<R>(UUID volumeId, R report) {
    }

    /** Attaches running now, a count per volume. */
    private final Map<UUID, Integer> attaching = new ConcurrentHashMap<>();
    /** Unused at the last check (reported or not yet). */
    private Set<K> seen = Set.of();
    private final Map<K, Report<R>> reported;

    /** Reports listed in the order in which they were first made (within one check, the read's order). */
    public Leftovers() {
        this.reported = new LinkedHashMap<>();
    }

    /** Reports listed in {@code order} of what they report. */
    public Leftovers(Comparator<? super K> order) {
        this.reported = new TreeMap<>(order);
    }

    /** An attach of {@code volumeId} starts (before it makes anything); never waits for a check. */
    public void attaching(UUID volumeId) {
        attaching.merge(volumeId, 1, Integer::sum);
    }

    /** One attach of {@code volumeId} ended, however; the volume stays marked while another one runs. */
    public void attachEnded(UUID volumeId) {
        attaching.computeIfPresent(volumeId, (v, n) -> n > 1 ? n - 1 : null);
    }

    /** Whether an attach of {@code volumeId} runs now. */
    public boolean attachRunning(UUID volumeId) {
        return attaching.containsKey(volumeId);
    }

    /**
     * One check: {@code read} says what is unused now; {@code report} makes the report of a thing the first time it is
     * reported. Returns whether the reports changed (one was added or dropped). A read that throws changes nothing.
     */
    public synchronized <X extends Exception> boolean check(Read<K, X> read, Function<? super K, ? extends R> report) throws X {
        Set<UUID> busy = new HashSet<>(attaching.keySet());
        Map<K, UUID> unused = read.unused();
        busy.addAll(attaching.keySet()); // an attach that started while the read ran
        Set<K> now = new HashSet<>();
        boolean changed = false;
        for (Map.Entry<K, UUID> e : unused.entrySet()) {
            if (busy.contains(e.getValue())) {
                continue;
            }
            now.add(e.getKey());
            if (seen.contains(e.getKey()) && !reported.containsKey(e.getKey())) {
                reported.put(e.getKey(), new Report<>(e.getValue(), report.apply(e.getKey())));
                changed = true;
            }
        }
        changed |= reported.keySet().retainAll(now);
        seen = now;
        return changed;
    }

    /** What is reported now, in this bookkeeping's order. */
    public synchronized List<R> reported() {
        List<R> out = new ArrayList<>();
        reported.values().forEach(r -> out.add(r.report()));
        return out;
    }

    /**
     * Drops the reports of {@code volumeId} (the service removed its leftovers); a thing still there at the next check
     * is reported again at once, as it was seen before. Returns whether a report was dropped.
     */
    public synchronized boolean forget(UUID volumeId) {
        return reported.values().removeIf(r -> r.volumeId().equals(volumeId));
    }
}
