package org.spindle.storage.api.qos;

import java.util.Objects;

/**
 * One value a side enforces that differs from the volume's plan: somebody changed it behind Spindle's back (the
 * SAN's UI, {@code virsh blkdeviotune}), or a change was lost.
 *
 * @param side     where it was found
 * @param field    the plan's field, as the shell names it ({@code min-iops}, {@code max-iops}, {@code burst-iops},
 *                 {@code read-iops}, {@code total-bps-max}, {@code weight}, …)
 * @param expected the plan's value (0: not set)
 * @param found    the side's value (0: not set)
 * @since 1.1
 */
public record QosDrift(QosSide side, String field, long expected, long found) {
    public QosDrift {
        Objects.requireNonNull(side, "side");
        Objects.requireNonNull(field, "field");
    }

    @Override
    public String toString() {
        return side.token() + " " + field + ": expected " + expected + ", found " + found;
    }
}
