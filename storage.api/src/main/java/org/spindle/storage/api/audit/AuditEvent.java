package org.spindle.storage.api.audit;

import java.time.Instant;
import java.util.Objects;

/**
 * One state-changing call, as recorded. Never holds a secret: details are the call's arguments that name things
 * (a VM, a size, a QoS) and, on failure, the error's message, which by contract holds none.
 *
 * @param id        its number, increasing in the order calls started (the record is written before the call)
 * @param at        when the call started
 * @param actor     who made it: the shell user, or {@value #SYSTEM} for a call with no authenticated subject (the
 *                  core's own passes, an embedding platform calling the Java API without one)
 * @param operation what, e.g. {@code volume.attach}, {@code offering.delete}, {@code qos.heal}
 * @param target    the volume or offering it was about
 * @param outcome   {@value #OK}, or the refusal's or failure's reason (e.g. {@code CONFLICT}, {@code QOS_REFUSED},
 *                  {@code UNAVAILABLE}); {@value #PENDING} while the call runs; {@value #INTERRUPTED} when the node
 *                  making it stopped and the target's state does not tell how it ended (a reconciliation pass
 *                  settles a stopped node's {@value #PENDING} records: {@value #OK} when the target shows the call's
 *                  end)
 * @param detail    the call's arguments that matter, and the error's message when it failed
 */
public record AuditEvent(long id, Instant at, String actor, String operation, String target, String outcome, String detail) {
    /** EventAdmin topics: this prefix and the operation in upper case with {@code _}, e.g. {@code org/spindle/audit/VOLUME_ATTACH}. */
    public static final String TOPIC_PREFIX = "org/spindle/audit/";
    public static final String OK = "OK";
    /** The outcome of a record whose call has not ended (yet). */
    public static final String PENDING = "PENDING";
    /** The outcome of a record whose call a stopped node cut, when the target's state does not tell how it ended. */
    public static final String INTERRUPTED = "INTERRUPTED";
    public static final String SYSTEM = "system";

    public AuditEvent {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(outcome, "outcome");
    }

    /** The topic of events about {@code operation}. */
    public static String topic(String operation) {
        return TOPIC_PREFIX + operation.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
