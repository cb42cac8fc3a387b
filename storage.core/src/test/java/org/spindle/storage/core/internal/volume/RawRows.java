package org.spindle.storage.core.internal.volume;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

/**
 * Every value of every column of every table of a database's current schema, read with plain JDBC and driven by
 * the metadata: a column added later is read too. For tests that must see what was written, not what the store
 * chooses to read back.
 */
final class RawRows {
    /** One stored value: where it is and its text. */
    record Cell(String table, String column, String text) {
    }

    private RawRows() {
    }

    static List<Cell> all(DataSource db) throws SQLException {
        List<Cell> cells = new ArrayList<>();
        try (Connection c = db.getConnection()) {
            for (String table : tables(c)) {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM " + quoted(c, table))) {
                    ResultSetMetaData md = rs.getMetaData();
                    while (rs.next()) {
                        for (int i = 1; i <= md.getColumnCount(); i++) {
                            Object value = rs.getObject(i);
                            if (value != null) {
                                cells.add(new Cell(table, md.getColumnName(i), text(value)));
                            }
                        }
                    }
                }
            }
        }
        return cells;
    }

    static List<String> tables(Connection c) throws SQLException {
        List<String> tables = new ArrayList<>();
        DatabaseMetaData md = c.getMetaData();
        try (ResultSet rs = md.getTables(c.getCatalog(), c.getSchema(), "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                tables.add(rs.getString("TABLE_NAME"));
            }
        }
        return tables;
    }

    private static String quoted(Connection c, String name) throws SQLException {
        String q = c.getMetaData().getIdentifierQuoteString().trim();
        return q + c.getSchema() + q + "." + q + name + q;
    }

    private static String text(Object value) throws SQLException {
        if (value instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8) + " " + new String(bytes, StandardCharsets.ISO_8859_1);
        }
        if (value instanceof java.sql.Clob clob) {
            return clob.getSubString(1, (int) clob.length());
        }
        if (value instanceof java.sql.Array array) {
            return java.util.Arrays.deepToString((Object[]) array.getArray());
        }
        return String.valueOf(value);
    }
}
