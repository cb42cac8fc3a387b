package org.spindle.storage.api.audit;

import java.time.Instant;

import org.spindle.storage.api.StorageException;

/**
 * Which audit events to give, newest first: every filter is optional ({@code null}).
 *
 * @param from   events at or after it
 * @param to     events before it
 * @param actor  only this actor's
 * @param target only about this volume or offering
 * @param limit  at most this many, 1 to {@value #MAX_LIMIT}
 */
public record AuditQuery(Instant from, Instant to, String actor, String target, int limit) {
    public static final int MAX_LIMIT = 10_000;

    public AuditQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw StorageException.invalid("limit", "must be 1 to " + MAX_LIMIT + " (was " + limit + ")");
        }
        if (from != null && to != null && !to.isAfter(from)) {
            throw StorageException.invalid("to", "must be after from " + from + " (was " + to + ")");
        }
    }
}
