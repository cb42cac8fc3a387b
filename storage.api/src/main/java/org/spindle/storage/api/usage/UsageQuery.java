package org.spindle.storage.api.usage;

import java.time.Instant;
import java.util.Objects;

import org.spindle.storage.api.StorageException;

/**
 * Which usage records to give: every period that overlaps {@code [from, to)}, of one volume or one tenant or all.
 *
 * @param volume a volume's name or id, or {@code null}
 * @param tenant a tenant, or {@code null}
 * @param from   the first instant
 * @param to     the instant after the last
 */
public record UsageQuery(String volume, String tenant, Instant from, Instant to) {
    public UsageQuery {
        if (from == null) {
            throw StorageException.invalid("from", "is required (an ISO-8601 instant, e.g. 2026-12-01T00:00:00Z)");
        }
        if (to == null) {
            throw StorageException.invalid("to", "is required (an ISO-8601 instant, e.g. 2026-12-02T00:00:00Z)");
        }
        if (!to.isAfter(from)) {
            throw StorageException.invalid("to", "must be after from " + from + " (was " + to + ")");
        }
        Objects.requireNonNull(from);
    }
}
