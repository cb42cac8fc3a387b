package org.spindle.storage.shell.internal;

import java.io.PrintStream;
import java.util.List;

import org.apache.karaf.shell.support.table.ShellTable;

/**
 * A table printed a page at a time, so that a listing of any length is never held whole: the first page with the
 * column headers, later pages without, their cells padded to the widths seen so far so that the columns stay
 * aligned (a wider value widens its column from its page on).
 */
public final class PagedTable {
    private final String empty;
    private final String[] headers;
    private final int[] widths;
    private boolean started;

    public PagedTable(String empty, String... headers) {
        this.empty = empty;
        this.headers = headers.clone();
        this.widths = new int[headers.length];
        for (int i = 0; i < headers.length; i++) {
            widths[i] = headers[i].length();
        }
    }

    /** Prints one page of rows, each a cell per column. The first page prints the empty text when it has none. */
    public void page(List<List<String>> rows, PrintStream out) {
        if (started && rows.isEmpty()) {
            return;
        }
        ShellTable table = started ? new ShellTable().noHeaders() : Tables.of(empty, headers);
        if (started) {
            for (String header : headers) {
                table.column(header);
            }
        }
        for (List<String> row : rows) {
            Object[] cells = new Object[headers.length];
            for (int i = 0; i < headers.length; i++) {
                String cell = row.get(i);
                cells[i] = started && i < headers.length - 1 ? pad(cell, widths[i]) : cell;
            }
            for (int i = 0; i < headers.length; i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
            table.addRow().addContent(cells);
        }
        table.print(out);
        out.flush();
        started = true;
    }

    private static String pad(String cell, int width) {
        return cell.length() >= width ? cell : cell + " ".repeat(width - cell.length());
    }
}
