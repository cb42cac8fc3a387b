package org.spindle.storage.api.qos;

import java.util.Objects;

/**
 * The hypervisor side: read, write and total limits, in operations and in bytes per second. An offering
 * may set read/write, or total, for each unit; a {@link QosPlan} for a hypervisor that cannot split
 * read from write carries their sum as total.
 */
public record IoLimits(Limit readIops, Limit writeIops, Limit totalIops,
                       Limit readBps, Limit writeBps, Limit totalBps) {
    public static final IoLimits NONE = new IoLimits(Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE);

    public IoLimits {
        Objects.requireNonNull(readIops, "readIops");
        Objects.requireNonNull(writeIops, "writeIops");
        Objects.requireNonNull(totalIops, "totalIops");
        Objects.requireNonNull(readBps, "readBps");
        Objects.requireNonNull(writeBps, "writeBps");
        Objects.requireNonNull(totalBps, "totalBps");
    }

    public boolean isEmpty() {
        return !readIops.isSet() && !writeIops.isSet() && !totalIops.isSet()
                && !readBps.isSet() && !writeBps.isSet() && !totalBps.isSet();
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
