package org.spindle.storage.api.runtime;

import java.time.Instant;
import java.util.UUID;

/**
 * Something a SAN or a hypervisor holds for a Spindle volume that no volume row accounts for.
 *
 * @param kind      {@code san-volume} (a SAN volume carrying a Spindle volume id) or {@code disk} (a disk of a
 *                  Spindle volume attached to a VM the volume is not recorded as attached to)
 * @param place     the pool or the attach service ({@code hypervisor.service}) where it is
 * @param ref       its id there (the SAN volume id; the VM id and device)
 * @param volumeId  the Spindle volume id it carries
 * @param detail    why it is an orphan
 * @param firstSeen when a pass first found it (the grace period counts from here)
 * @param removed   whether this pass removed it
 * @since 1.1
 */
public record Orphan(String kind, String place, String ref, UUID volumeId, String detail, Instant firstSeen, boolean removed) {
    public static final String SAN_VOLUME = "san-volume";
    public static final String DISK = "disk";
    /** Something an interrupted attach left that no disk uses, as an attach service reported it. @since 1.1 */
    public static final String LEFTOVER = "leftover";
    /** Event topic posted when a pass finds an orphan (every pass that sees it); properties as the record's components. */
    public static final String TOPIC_FOUND = "org/spindle/orphan/FOUND";
    /** Event topic posted when an orphan was removed after its grace period. */
    public static final String TOPIC_REMOVED = "org/spindle/orphan/REMOVED";
}
