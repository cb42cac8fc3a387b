package org.spindle.storage.core.internal.audit;

import java.security.AccessController;
import java.security.Principal;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import javax.security.auth.Subject;

import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.audit.AuditEvent;
import org.spindle.storage.core.internal.db.InSave;
import org.spindle.storage.core.internal.db.JdbcStore;

/**
 * Records each state-changing call with its caller, in the database and as an event. The caller is the user of
 * the authenticated subject the call runs under (Karaf runs each shell command as its user), else
 * {@value AuditEvent#SYSTEM}. The record is written before the call ({@value #PENDING}) and completed after it; an
 * operation on a volume writes both in its own saves ({@link #recordInLastSave}).
 * Recording never changes a call's result: when the database cannot take the record, the failure is logged.
 */
public final class Auditor {
    public static final String PENDING = AuditEvent.PENDING;
    public static final String INTERRUPTED = AuditEvent.INTERRUPTED;
    private static final Logger LOG = LoggerFactory.getLogger(Auditor.class);
    private final JdbcStore store;
    private final Supplier<EventAdmin> events;
    /** The record of the operation each thread runs now, when its last save is to complete it. */
    private final ThreadLocal<Ticket> open = new ThreadLocal<>();

    public Auditor(JdbcStore store, Supplier<EventAdmin> events) {
        this.store = store;
        this.events = events;
    }

    /**
     * Runs {@code call} and records it as {@code operation} on {@code target} with {@code detail}: the record is written
     * {@value #PENDING} before the call and completed after it, so that a node killed during the call leaves a record a
     * later pass settles ({@link AuditSettlement}).
     */
    public <T> T record(String operation, String target, String detail, Supplier<T> call) {
        return record(operation, target, detail, false, call);
    }

    /**
     * {@link #record(String, String, String, Supplier)} for an operation that saves its volume before any call that
     * changes something: the intent is written in the transaction of the operation's first save (still before the call
     * it announces), and the record is completed in the transaction of its last save, through the {@link #ticket()} the
     * operation's saves take. Two commits less, and no moment when the outcome is stored but the record still pending.
     * An operation refused before its first save is recorded whole at the end; one that fails after its last save has
     * its record completed again with the failure.
     */
    public <T> T recordInLastSave(String operation, String target, String detail, Supplier<T> call) {
        return record(operation, target, detail, true, call);
    }

    private <T> T record(String operation, String target, String detail, boolean inSaves, Supplier<T> call) {
        String actor = actor();
        Ticket ticket = inSaves ? new Ticket(actor, operation, target, detail) : null;
        long begun = inSaves ? -1 : begin(actor, operation, target, detail);
        Ticket outer = open.get();
        open.set(ticket);    // an operation recorded within another one never writes or completes the outer record
        try {
            T result = call.get();
            if (ticket != null && ticket.completedAt != null) {
                post(ticket.completedAt, actor, operation, target, AuditEvent.OK, detail);
            } else {
                end(ticket != null ? ticket.id : begun, actor, operation, target, AuditEvent.OK, detail);
            }
            return result;
        } catch (StorageException e) {
            end(ticket != null ? ticket.id : begun, actor, operation, target, e.reason().name(), join(detail, e.getMessage()));
            throw e;
        } catch (RuntimeException e) {
            end(ticket != null ? ticket.id : begun, actor, operation, target, "FAILED", join(detail, e.toString()));
            throw e;
        } finally {
            if (outer == null) {
                open.remove();
            } else {
                open.set(outer);
            }
        }
    }

    /**
     * The record the calling thread's operation writes and completes in its saves ({@link #recordInLastSave}), else
     * {@code null}.
     */
    public Ticket ticket() {
        return open.get();
    }

    /**
     * The record of an operation that its own saves write: the intent with the first ({@link #intent()}), the completion
     * as OK with the last ({@link #completion()}); {@link #saved(boolean)} once each save is committed. Used by the one
     * thread that runs the operation.
     */
    public final class Ticket {
        private final String actor;
        private final String operation;
        private final String target;
        private final String detail;
        private final Instant begun = Instant.now();
        /** The intent's id once a committed save holds it, else -1. */
        private volatile long id = -1;
        /** The intent's id as written by the save under way (committed only if that save is). */
        private long writing = -1;
        private volatile Instant completedAt;
        private Instant at;

        private Ticket(String actor, String operation, String target, String detail) {
            this.actor = actor;
            this.operation = operation;
            this.target = target;
            this.detail = detail;
        }

        /** The intent, to write in the transaction of a save that is not the operation's last; null once written. */
        public InSave intent() {
            writing = -1;
            if (id >= 0) {
                return null;
            }
            return c -> writing = store.audit().begin(c, begun, actor, operation, target, PENDING, detail, store.owner());
        }

        /**
         * The record completed as OK, to write in the transaction of the operation's last save: an update of the intent,
         * or the whole record when no earlier save wrote the intent.
         */
        public InSave completion() {
            writing = -1;
            at = Instant.now();
            if (id >= 0) {
                return store.audit().completion(id, at, AuditEvent.OK, detail);
            }
            // no run named: a record completed at once, never pending
            return c -> writing = store.audit().begin(c, at, actor, operation, target, AuditEvent.OK, detail, null);
        }

        /** The save holding {@link #intent()} or (when {@code last}) {@link #completion()} is committed. */
        public void saved(boolean last) {
            if (writing >= 0) {
                id = writing;
                writing = -1;
            }
            if (last) {
                completedAt = at;
            }
        }
    }

    /** The intent, before the call; its id, or -1 when the database could not take it (the record is then written whole at the end). */
    private long begin(String actor, String operation, String target, String detail) {
        try {
            return store.audit().begin(Instant.now(), actor, operation, target, PENDING, detail, store.owner());
        } catch (RuntimeException e) {
            LOG.warn("Audit intent of {} {} by {} could not be stored: {}", operation, target, actor, e.getMessage());
            return -1;
        }
    }

    private void end(long id, String actor, String operation, String target, String outcome, String detail) {
        Instant at = Instant.now();
        try {
            if (id < 0) {
                store.audit().append(at, actor, operation, target, outcome, detail);
            } else {
                store.audit().complete(id, at, outcome, detail);
            }
        } catch (RuntimeException e) {
            // a record left PENDING is settled from the target's state by a later pass
            LOG.warn("Audit record of {} {} by {} ({}) could not be stored: {}", operation, target, actor, outcome, e.getMessage());
        }
        post(at, actor, operation, target, outcome, detail);
    }

    /** The user of the subject the calling thread runs as, else {@value AuditEvent#SYSTEM}. */
    @SuppressWarnings("removal")
    static String actor() {
        Subject subject;
        try {
            subject = Subject.getSubject(AccessController.getContext());
        } catch (UnsupportedOperationException | SecurityException e) {
            return AuditEvent.SYSTEM;
        }
        if (subject == null) {
            return AuditEvent.SYSTEM;
        }
        String any = null;
        for (Principal p : subject.getPrincipals()) {
            // Karaf's UserPrincipal (and most JAAS modules') names the user; role and group principals do not
            if (p.getClass().getSimpleName().equals("UserPrincipal")) {
                return p.getName();
            }
            if (any == null && !p.getClass().getSimpleName().contains("Role") && !p.getClass().getSimpleName().contains("Group")) {
                any = p.getName();
            }
        }
        return any != null ? any : AuditEvent.SYSTEM;
    }

    /** Posts the record on {@code org/spindle/audit/<OPERATION>}. */
    void post(Instant at, String actor, String operation, String target, String outcome, String detail) {
        EventAdmin ea = events.get();
        if (ea != null) {
            Map<String, Object> props = new HashMap<>();
            props.put("audit.actor", actor);
            props.put("audit.operation", operation);
            if (target != null) {
                props.put("audit.target", target);
            }
            props.put("audit.outcome", outcome);
            if (detail != null) {
                props.put("audit.detail", detail);
            }
            props.put("audit.at", at.toString());
            ea.postEvent(new Event(AuditEvent.topic(operation), props));
        }
    }

    private static String join(String detail, String error) {
        return detail == null || detail.isEmpty() ? error : detail + "; " + error;
    }
}
