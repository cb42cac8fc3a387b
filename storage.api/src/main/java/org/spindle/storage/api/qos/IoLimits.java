package org.spindle.storage.api.qos;

import java.util.Objects;


/**
 * The hypervisor side: read, write and total limits, in operations and in bytes per second, and a relative
 * priority. An offering may set read/write, or total, for each unit; a {@link QosPlan} for a hypervisor that
 * cannot split read from write carries their sum as total.
 *
 * @param weight the disk's share of the host's I/O when disks compete, 1 (lowest) to 1000 (highest), 0 for
 *               the hypervisor's default; each attach service maps it to its own scale (a libvirt blkio
 *               weight, vSphere shares, a Xen ionice class). A priority, not a cap: it never counts in the
 *               effective QoS.
 */
public record IoLimits(Limit readIops, Limit writeIops, Limit totalIops,
                       Limit readBps, Limit writeBps, Limit totalBps, int weight) {
    public static final IoLimits NONE = new IoLimits(Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE, 0);
    /** The highest {@link #weight()}. */
    public static final int MAX_WEIGHT = 1000;

    /** Limits without a weight. */
    public IoLimits(Limit readIops, Limit writeIops, Limit totalIops, Limit readBps, Limit writeBps, Limit totalBps) {
        this(readIops, writeIops, totalIops, readBps, writeBps, totalBps, 0);
    }

    public IoLimits {
        if (weight < 0 || weight > MAX_WEIGHT) {
            throw org.spindle.storage.api.StorageException.invalid("weight", "must be 0 (the hypervisor's default) or 1 to "
                    + MAX_WEIGHT + " (was " + weight + ")");
        }
        Objects.requireNonNull(readIops, "readIops");
        Objects.requireNonNull(writeIops, "writeIops");
        Objects.requireNonNull(totalIops, "totalIops");
        Objects.requireNonNull(readBps, "readBps");
        Objects.requireNonNull(writeBps, "writeBps");
        Objects.requireNonNull(totalBps, "totalBps");
    }

    /** Whether nothing is set, neither a limit nor a weight. */
    public boolean isEmpty() {
        return !hasCaps() && weight == 0;
    }

    /** Whether any limit (a cap, unlike the weight) is set. */
    public boolean hasCaps() {
        return readIops.isSet() || writeIops.isSet() || totalIops.isSet()
                || readBps.isSet() || writeBps.isSet() || totalBps.isSet();
    }

    /** Whether a weight is set. */
    public boolean hasWeight() {
        return weight > 0;
    }

    /** The same limits with {@code newWeight}. */
    public IoLimits withWeight(int newWeight) {
        return new IoLimits(readIops, writeIops, totalIops, readBps, writeBps, totalBps, newWeight);
    }

    /** Whether any read or write (split) limit is set. */
    public boolean hasSplit() {
        return readIops.isSet() || writeIops.isSet() || readBps.isSet() || writeBps.isSet();
    }

    /** Whether any total limit is set. */
    public boolean hasTotal() {
        return totalIops.isSet() || totalBps.isSet();
    }

    public boolean hasBytes() {
        return readBps.isSet() || writeBps.isSet() || totalBps.isSet();
    }

    public boolean hasIops() {
        return readIops.isSet() || writeIops.isSet() || totalIops.isSet();
    }

    public boolean hasBurst() {
        return readIops.burst() > 0 || writeIops.burst() > 0 || totalIops.burst() > 0
                || readBps.burst() > 0 || writeBps.burst() > 0 || totalBps.burst() > 0;
    }

    public boolean hasBurstLength() {
        return readIops.burstSeconds() > 0 || writeIops.burstSeconds() > 0 || totalIops.burstSeconds() > 0
                || readBps.burstSeconds() > 0 || writeBps.burstSeconds() > 0 || totalBps.burstSeconds() > 0;
    }
}
