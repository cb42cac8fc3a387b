package org.spindle.storage.core.internal.db;

import org.spindle.storage.api.volume.VolumeState;

/**
 * The operation in flight on a volume row (its state is transitional): who runs it, until when, from where.
 *
 * @param node        the node and run that owns it ({@code <node id>@<run>}), {@code null} for a row written before
 *                    leases existed
 * @param leaseUntil  when the lease ends, seconds since the epoch by the database's clock; 0 if unknown
 * @param previous    the stable state the operation started from
 * @param pendingSize the size a RESIZING volume grows to, else 0
 */
public record Operation(String node, long leaseUntil, VolumeState previous, long pendingSize) {
}
