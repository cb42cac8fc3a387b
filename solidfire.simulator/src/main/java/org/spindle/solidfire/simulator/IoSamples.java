package org.spindle.solidfire.simulator;

import java.util.HashMap;
import java.util.Map;

/**
 * Turns a volume's cumulative I/O counters into what VolumeStats reports for "the last sample": the counters are
 * read when stats are asked, and a sample closes once {@link VolumeJson#SAMPLE_PERIOD_MSEC} has passed since the
 * previous one did (the first starts when the volume was made). The period reported is the one measured. Not
 * thread-safe: {@link Cluster} serializes the calls.
 */
final class IoSamples {

    /** A volume's I/O at one reading: cumulative, and the last closed sample with its length. */
    record Reading(LoopDevices.Counters total, LoopDevices.Counters lastSample, long periodMillis) {
        /** Operations per second in the last sample. */
        long actualIops() {
            return periodMillis <= 0 ? 0 : (lastSample.readOps() + lastSample.writeOps()) * 1000 / periodMillis;
        }

        long averageIoSize() {
            long ops = lastSample.readOps() + lastSample.writeOps();
            return ops == 0 ? 0 : (lastSample.readBytes() + lastSample.writeBytes()) / ops;
        }

        long readLatencyUSec() {
            return lastSample.readOps() == 0 ? 0 : lastSample.readMillis() * 1000 / lastSample.readOps();
        }

        long writeLatencyUSec() {
            return lastSample.writeOps() == 0 ? 0 : lastSample.writeMillis() * 1000 / lastSample.writeOps();
        }

        long latencyUSec() {
            long ops = lastSample.readOps() + lastSample.writeOps();
            return ops == 0 ? 0 : (lastSample.readMillis() + lastSample.writeMillis()) * 1000 / ops;
        }
    }

    private record Window(LoopDevices.Counters start, long startMillis, LoopDevices.Counters lastSample, long lastPeriod) {
    }

    private final Map<Long, Window> windows = new HashMap<>();

    /** The reading of volume {@code volumeId} (made at {@code createdMillis}) whose counters are {@code now}. */
    Reading read(long volumeId, long createdMillis, LoopDevices.Counters now, long nowMillis) {
        Window w = windows.get(volumeId);
        if (w == null) {
            w = new Window(LoopDevices.Counters.ZERO, createdMillis, null, 0);
        }
        long open = nowMillis - w.startMillis();
        if (open >= VolumeJson.SAMPLE_PERIOD_MSEC) {
            w = new Window(now, nowMillis, now.since(w.start()), open);
        } else if (w.lastSample() == null) {
            // younger than one period: what happened so far, over the time it took
            windows.put(volumeId, w);
            return new Reading(now, now.since(w.start()), Math.max(open, 0));
        }
        windows.put(volumeId, w);
        return new Reading(now, w.lastSample(), w.lastPeriod());
    }

    /** Forgets a purged volume. */
    void forget(long volumeId) {
        windows.remove(volumeId);
    }
}
