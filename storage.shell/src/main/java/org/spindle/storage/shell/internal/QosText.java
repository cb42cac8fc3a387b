package org.spindle.storage.shell.internal;

/**
 * QoS options as typed, before parsing; {@code null} means the option was not given. Option names follow
 * CloudStack's disk offering fields: storage side {@code --min-iops}, {@code --max-iops}, {@code --burst-iops};
 * hypervisor side one {@link LimitText} per {@code read-iops}, {@code write-iops}, {@code total-iops},
 * {@code read-bps}, {@code write-bps}, {@code total-bps}, and the disk's {@code weight} (a priority, not a cap).
 */
public record QosText(String minIops, String maxIops, String burstIops,
                      LimitText readIops, LimitText writeIops, LimitText totalIops,
                      LimitText readBps, LimitText writeBps, LimitText totalBps, String weight) {
    /** No option given. */
    public static final QosText NONE = storageOnly(null, null, null);

    public QosText {
        readIops = orNone(readIops);
        writeIops = orNone(writeIops);
        totalIops = orNone(totalIops);
        readBps = orNone(readBps);
        writeBps = orNone(writeBps);
        totalBps = orNone(totalBps);
    }

    /** Only the storage side ({@code volume-create}'s custom IOPS). */
    public static QosText storageOnly(String minIops, String maxIops, String burstIops) {
        return new QosText(minIops, maxIops, burstIops, null, null, null, null, null, null, null);
    }

    public boolean isEmpty() {
        return minIops == null && maxIops == null && burstIops == null && readIops.isEmpty() && writeIops.isEmpty()
                && totalIops.isEmpty() && readBps.isEmpty() && writeBps.isEmpty() && totalBps.isEmpty() && weight == null;
    }

    private static LimitText orNone(LimitText limit) {
        return limit == null ? LimitText.NONE : limit;
    }

    /**
     * One hypervisor limit as typed: {@code --<name>}, {@code --<name>-max}, {@code --<name>-max-length}.
     *
     * @param rate      sustained rate
     * @param max       burst rate
     * @param maxLength burst length in seconds
     */
    public record LimitText(String rate, String max, String maxLength) {
        public static final LimitText NONE = new LimitText(null, null, null);

        public boolean isEmpty() {
            return rate == null && max == null && maxLength == null;
        }
    }
}
