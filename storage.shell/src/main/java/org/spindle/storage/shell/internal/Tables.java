package org.spindle.storage.shell.internal;

import org.apache.karaf.shell.support.table.ShellTable;

/** Karaf tables with a header row. */
public final class Tables {
    private Tables() {
    }

    /** A table with these column headers, printing {@code empty} when it has no rows. */
    public static ShellTable of(String empty, String... headers) {
        ShellTable table = new ShellTable().emptyTableText(empty);
        for (String header : headers) {
            table.column(header);
        }
        return table;
    }
}
