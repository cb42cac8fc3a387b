package org.spindle.storage.core.internal.db;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.spindle.storage.api.audit.AuditEvent;
import org.spindle.storage.api.audit.AuditQuery;

/**
 * The audit trail's table: a record is written before its call (pending, naming the run that makes it) and completed
 * after it; read newest first.
 */
public final class AuditRows {
    private static final int DETAIL_MAX = 2000;
    private final Jdbc jdbc;

    AuditRows(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public void append(Instant at, String actor, String operation, String target, String outcome, String detail) {
        begin(at, actor, operation, target, outcome, detail, null);    // no run named: complete as written
    }

    /**
     * Writes the intent of a call: outcome {@code outcome} (pending) and {@code run}, the node run making it; returns
     * the record's id, to {@link #complete} it. With {@code run} null the record is complete as written.
     */
    public long begin(Instant at, String actor, String operation, String target, String outcome, String detail, String run) {
        return jdbc.write(c -> begin(c, at, actor, operation, target, outcome, detail, run));
    }

    /** {@link #begin(Instant, String, String, String, String, String, String)} in the transaction of {@code c}. */
    public long begin(java.sql.Connection c, Instant at, String actor, String operation, String target, String outcome, String detail,
                      String run) throws java.sql.SQLException {
        try (java.sql.PreparedStatement st = c.prepareStatement("INSERT INTO audit_event (at, actor, operation, target, outcome, "
                + "detail, pending_run) VALUES (?,?,?,?,?,?,?)", java.sql.Statement.RETURN_GENERATED_KEYS)) {
            st.setTimestamp(1, Timestamp.from(at));
            st.setString(2, cut(actor, 128));
            st.setString(3, cut(operation, 64));
            st.setString(4, cut(target, 128));
            st.setString(5, cut(outcome, 32));
            st.setString(6, cut(detail, DETAIL_MAX));
            st.setString(7, cut(run, 128));
            st.executeUpdate();
            try (java.sql.ResultSet keys = st.getGeneratedKeys()) {
                keys.next();
                return keys.getLong("id");
            }
        }
    }

    /**
     * Completes record {@code id} with the call's outcome, whatever it held (a pass may have settled it meanwhile
     * from the target's state, if this run's call outlasted its grace: the call's own outcome wins).
     */
    public void complete(long id, Instant at, String outcome, String detail) {
        jdbc.update(COMPLETE, st -> bindCompletion(st, id, at, outcome, detail));
    }

    /** {@link #complete} as a write in the transaction of a volume's save (the operation's last). */
    public InSave completion(long id, Instant at, String outcome, String detail) {
        return c -> jdbc.update(c, COMPLETE, st -> bindCompletion(st, id, at, outcome, detail));
    }

    private static final String COMPLETE = "UPDATE audit_event SET at=?, outcome=?, detail=?, pending_run=NULL WHERE id=?";

    private static void bindCompletion(java.sql.PreparedStatement st, long id, Instant at, String outcome, String detail)
            throws java.sql.SQLException {
        st.setTimestamp(1, Timestamp.from(at));
        st.setString(2, cut(outcome, 32));
        st.setString(3, cut(detail, DETAIL_MAX));
        st.setLong(4, id);
    }

    /** A record whose call has not completed it (yet), and the node run that made the call. */
    public record Pending(AuditEvent event, String run) {
    }

    /**
     * Records not completed, oldest first. ({@code > ''} rather than {@code IS NOT NULL}, and sorted here: so H2 reads
     * the few pending entries of {@code audit_event_pending} instead of scanning the whole trail at every pass.)
     */
    public List<Pending> pending() {
        List<Pending> pending = new ArrayList<>(jdbc.query("SELECT * FROM audit_event WHERE pending_run > ''", st -> { },
                rs -> new Pending(event(rs), rs.getString("pending_run"))));
        pending.sort(java.util.Comparator.comparingLong(p -> p.event().id()));
        return pending;
    }

    /** Settles a record still not completed with {@code outcome}; false if its call completed it meanwhile. */
    public boolean settle(long id, String outcome, String detail) {
        return jdbc.update("UPDATE audit_event SET outcome=?, detail=?, pending_run=NULL WHERE id=? AND pending_run IS NOT NULL", st -> {
            st.setString(1, cut(outcome, 32));
            st.setString(2, cut(detail, DETAIL_MAX));
            st.setLong(3, id);
        }) == 1;
    }

    public List<AuditEvent> events(AuditQuery q) {
        StringBuilder sql = new StringBuilder("SELECT * FROM audit_event WHERE 1=1");
        List<Object> args = new ArrayList<>();
        if (q.from() != null) {
            sql.append(" AND at >= ?");
            args.add(Timestamp.from(q.from()));
        }
        if (q.to() != null) {
            sql.append(" AND at < ?");
            args.add(Timestamp.from(q.to()));
        }
        if (q.actor() != null) {
            sql.append(" AND actor = ?");
            args.add(q.actor());
        }
        if (q.target() != null) {
            sql.append(" AND target = ?");
            args.add(q.target());
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        args.add(q.limit());
        return jdbc.query(sql.toString(), st -> {
            for (int i = 0; i < args.size(); i++) {
                st.setObject(i + 1, args.get(i));
            }
        }, AuditRows::event);
    }

    private static AuditEvent event(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new AuditEvent(rs.getLong("id"), rs.getTimestamp("at").toInstant(), rs.getString("actor"), rs.getString("operation"),
                rs.getString("target"), rs.getString("outcome"), rs.getString("detail"));
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
