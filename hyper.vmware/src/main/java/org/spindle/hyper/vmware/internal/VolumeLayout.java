package org.spindle.hyper.vmware.internal;

import java.util.Optional;
import java.util.UUID;

import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.Limit;

/**
 * Where a managed Spindle volume lives in vSphere, derived from its id alone so that a retry, a recovery or a
 * detach finds it again: the VMFS datastore {@code spindle-<32 hex digits>} (VMFS names stop at 42 characters)
 * and in it the one VMDK {@code spindle-<uuid>.vmdk}; and how Spindle's limits become a disk's
 * {@code storageIOAllocation}.
 */
public final class VolumeLayout {
    public static final String PREFIX = "spindle-";
    /** A datastore carries VMFS metadata and vSphere's own files: the VMDK leaves this much free (at least). */
    static final long MIN_RESERVE_BYTES = 16L << 20;
    /** vSphere's disk shares for a custom level span 200 to 4000 (normal is 1000). */
    static final int MIN_SHARES = 200;
    static final int MAX_SHARES = 4000;
    /** vSphere's disk shares of the levels low and high (normal, 1000, is the default and reads as no weight). */
    static final int LOW_SHARES = 500;
    static final int HIGH_SHARES = 2000;

    private VolumeLayout() {
    }

    public static String datastoreName(UUID volumeId) {
        return PREFIX + volumeId.toString().replace("-", "");
    }

    public static String vmdkPath(UUID volumeId) {
        return "[" + datastoreName(volumeId) + "] " + PREFIX + volumeId + ".vmdk";
    }

    /** The volume a Spindle datastore name stands for, if it is one. */
    public static Optional<UUID> volumeOf(String datastoreName) {
        if (datastoreName == null || !datastoreName.matches(PREFIX + "[0-9a-f]{32}")) {
            return Optional.empty();
        }
        String hex = datastoreName.substring(PREFIX.length());
        return Optional.of(UUID.fromString(hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                + hex.substring(16, 20) + "-" + hex.substring(20)));
    }

    /** The VMDK's size in KiB for a datastore of {@code capacityBytes}: all of it but 1 % (16 MiB at least), whole MiB. */
    public static long vmdkKb(long capacityBytes) {
        long reserve = Math.max(capacityBytes / 100, MIN_RESERVE_BYTES);
        long mib = (capacityBytes - reserve) >> 20;
        return Math.max(mib, 1) * 1024;
    }

    /** The disk's IOPS limit: the total IOPS cap, or -1 (vSphere's "unlimited") when there is none. */
    public static long iopsLimit(IoLimits limits) {
        return limits.totalIops().isSet() ? limits.totalIops().rate() : -1;
    }

    /** The disk's custom shares for a weight of 1 to 1000 (linear over 200..4000); 0 when no weight is set (normal). */
    public static int shares(IoLimits limits) {
        if (!limits.hasWeight()) {
            return 0;
        }
        return MIN_SHARES + (int) Math.round((limits.weight() - 1) * (double) (MAX_SHARES - MIN_SHARES) / (IoLimits.MAX_WEIGHT - 1));
    }

    /**
     * A disk's {@code storageIOAllocation} as Spindle limits, the inverse of {@link #iopsLimit} and {@link #shares}:
     * a limit above 0 is the total IOPS cap (-1 or 0: none); shares at level {@code normal} are no weight, custom
     * shares (and the levels low and high, 500 and 2000) the weight they stand for, within 1 to 1000.
     */
    public static IoLimits limitsOf(long iopsLimit, String sharesLevel, int shares) {
        Limit total = iopsLimit > 0 ? Limit.of(iopsLimit) : Limit.NONE;
        int value = switch (sharesLevel == null ? "" : sharesLevel) {
            case "custom" -> shares;
            case "low" -> LOW_SHARES;
            case "high" -> HIGH_SHARES;
            default -> 0;
        };
        int weight = value <= 0 ? 0 : 1 + (int) Math.round((Math.min(Math.max(value, MIN_SHARES), MAX_SHARES) - MIN_SHARES)
                * (double) (IoLimits.MAX_WEIGHT - 1) / (MAX_SHARES - MIN_SHARES));
        return new IoLimits(Limit.NONE, Limit.NONE, total, Limit.NONE, Limit.NONE, Limit.NONE, weight);
    }
}
