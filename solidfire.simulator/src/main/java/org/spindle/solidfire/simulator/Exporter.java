package org.spindle.solidfire.simulator;

import java.nio.file.Path;
import java.util.Set;

/** Makes volumes reachable over iSCSI (or not): the tgt bridge, or a no-op when tgt is off. */
interface Exporter extends AutoCloseable {

    /**
     * What a volume should look like on the iSCSI side. {@code exported == false} means: no target. {@code naa} is
     * the volume's scsiNAADeviceID (32 hex digits): the LUN's SCSI identity, as an initiator reads it.
     * Secrets are held only in memory and passed to tgtadm; they are never logged.
     */
    record Desired(long volumeId, String iqn, String naa, long sizeBytes, boolean exported, boolean readOnly,
                   String chapUser, String initiatorSecret, String targetSecret, Set<String> initiators) {
        @Override
        public String toString() { // keep secrets out of any accidental log line
            return "Desired[volumeId=" + volumeId + ", iqn=" + iqn + ", naa=" + naa + ", size=" + sizeBytes + ", exported=" + exported
                    + ", readOnly=" + readOnly + ", chapUser=" + chapUser + ", initiators=" + initiators + "]";
        }
    }

    /** Brings the target of one volume to the desired state. Throws {@link ElementException} on failure. */
    void apply(Desired desired);

    /** Removes the target and the backing file of a purged volume. */
    void purge(long volumeId);

    /** The backing file of a volume, or null when this exporter keeps none. */
    Path backingFile(long volumeId);

    /** Bytes actually allocated by a volume's backing file (0 when unknown). */
    long allocatedBytes(long volumeId);

    /**
     * The I/O that reached a volume's LUN since the volume was made, as the exporter measured it (never estimated).
     * Throws {@link ElementException} when it cannot be measured.
     */
    LoopDevices.Counters io(long volumeId);

    /** The LUN number the volumes are served at, or -1 when nothing is served. */
    int lun();

    boolean active();

    @Override
    void close();

    /** tgt off: volumes exist only as state. */
    final class None implements Exporter {
        @Override public void apply(Desired desired) { }
        @Override public void purge(long volumeId) { }
        @Override public Path backingFile(long volumeId) { return null; }
        @Override public long allocatedBytes(long volumeId) { return 0; }
        /** Without tgt a volume has no data path: no I/O can reach it. */
        @Override public LoopDevices.Counters io(long volumeId) { return LoopDevices.Counters.ZERO; }
        @Override public int lun() { return -1; }
        @Override public boolean active() { return false; }
        @Override public void close() { }
    }
}
