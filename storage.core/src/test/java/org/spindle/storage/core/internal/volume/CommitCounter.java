package org.spindle.storage.core.internal.volume;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.sql.DataSource;

/**
 * A data source that counts what the database makes durable: each write statement run in auto-commit, and each
 * committed transaction that wrote something (a read, or a transaction rolled back, is no commit). Each commit is kept
 * as the list of its statements' first words and tables, to say what it was.
 */
final class CommitCounter implements InvocationHandler {
    private final DataSource target;
    private final List<List<String>> commits = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<String> statements = java.util.Collections.synchronizedList(new ArrayList<>());

    private CommitCounter(DataSource target) {
        this.target = target;
    }

    static CommitCounter over(DataSource target) {
        return new CommitCounter(target);
    }

    DataSource dataSource() {
        return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class, AutoCloseable.class}, this);
    }

    /** The commits since the last {@link #reset()}. */
    List<List<String>> commits() {
        synchronized (commits) {
            return List.copyOf(commits);
        }
    }

    void reset() {
        commits.clear();
        statements.clear();
    }

    /** Every statement run since the last {@link #reset()}, reads too: a round trip each to a database server. */
    List<String> statements() {
        synchronized (statements) {
            return List.copyOf(statements);
        }
    }

    @Override
    public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
        if (m.getName().equals("close") && m.getDeclaringClass() == AutoCloseable.class) {
            if (target instanceof AutoCloseable c) {
                c.close();
            }
            return null;
        }
        Object r = call(target, m, args);
        if (r instanceof Connection c) {
            return wrap(new Unit(c));
        }
        return r;
    }

    private static Object call(Object on, Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(on, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private Connection wrap(Unit unit) {
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class}, unit);
    }

    /** One connection: the statements written since its last commit. */
    private final class Unit implements InvocationHandler {
        private final Connection c;
        private final List<String> written = new ArrayList<>();

        Unit(Connection c) {
            this.c = c;
        }

        @Override
        public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
            switch (m.getName()) {
                case "commit" -> {
                    Object r = call(c, m, args);
                    if (!written.isEmpty()) {
                        commits.add(List.copyOf(written));
                    }
                    written.clear();
                    return r;
                }
                case "rollback" -> {
                    written.clear();
                    return call(c, m, args);
                }
                default -> {
                }
            }
            Object r = call(c, m, args);
            if (r instanceof PreparedStatement st && args != null && args.length > 0 && args[0] instanceof String sql) {
                return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {PreparedStatement.class},
                        (p, sm, sargs) -> {
                            Object out = call(st, sm, sargs);
                            if (sm.getName().startsWith("execute")) {
                                statements.add(sql.length() > 90 ? sql.substring(0, 90) : sql);
                            }
                            if ((sm.getName().equals("executeUpdate") || sm.getName().equals("execute")) && isWrite(sql)) {
                                written(sql);
                            }
                            return out;
                        });
            }
            if (r instanceof Statement) {
                return r;   // the store prepares every statement; plain ones are the tests' own
            }
            return r;
        }

        private void written(String sql) throws java.sql.SQLException {
            written.add(describe(sql));
            if (c.getAutoCommit()) {
                commits.add(List.copyOf(written));
                written.clear();
            }
        }
    }

    private static boolean isWrite(String sql) {
        String s = sql.stripLeading().toUpperCase(Locale.ROOT);
        return s.startsWith("INSERT") || s.startsWith("UPDATE") || s.startsWith("DELETE") || s.startsWith("MERGE");
    }

    /** "UPDATE volume", "INSERT audit_event": what a statement writes. */
    private static String describe(String sql) {
        String[] w = sql.strip().split("\\s+");
        String verb = w[0].toUpperCase(Locale.ROOT);
        String table = switch (verb) {
            case "INSERT", "DELETE" -> w.length > 2 ? w[2] : "?";
            default -> w.length > 1 ? w[1] : "?";
        };
        return verb + " " + table;
    }
}
