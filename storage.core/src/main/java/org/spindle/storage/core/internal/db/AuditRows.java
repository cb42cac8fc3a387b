package org.spindle.storage.core.internal.db;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.spindle.storage.api.audit.AuditEvent;
import org.spindle.storage.api.audit.AuditQuery;

/** The audit trail's table: appended to, read newest first. */
public final class AuditRows {
    private static final int DETAIL_MAX = 2000;
    private final Jdbc jdbc;

    AuditRows(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public void append(Instant at, String actor, String operation, String target, String outcome, String detail) {
        jdbc.update("INSERT INTO audit_event (at, actor, operation, target, outcome, detail) VALUES (?,?,?,?,?,?)", st -> {
            st.setTimestamp(1, Timestamp.from(at));
            st.setString(2, cut(actor, 128));
            st.setString(3, cut(operation, 64));
            st.setString(4, cut(target, 128));
            st.setString(5, cut(outcome, 32));
            st.setString(6, cut(detail, DETAIL_MAX));
        });
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
        }, rs -> new AuditEvent(rs.getLong("id"), rs.getTimestamp("at").toInstant(), rs.getString("actor"), rs.getString("operation"),
                rs.getString("target"), rs.getString("outcome"), rs.getString("detail")));
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
