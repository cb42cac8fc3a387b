package org.spindle.storage.shell.internal;

import java.io.PrintStream;

/**
 * A JSON array written as its elements come, a page at a time, so that a listing of any length is never held
 * whole: {@code [} on the first line, then one compact element per line, each but the last followed by a comma,
 * then {@code ]}. The whole output is one valid JSON array; a reader that wants lines can take each line between
 * the brackets and drop its trailing comma. An empty listing is {@code []}.
 */
public final class JsonArray {
    private final PrintStream out;
    private boolean first = true;

    public JsonArray(PrintStream out) {
        this.out = out;
        out.print('[');
    }

    /** Writes one element. */
    public void add(Object element) {
        out.print(first ? "\n" : ",\n");
        out.print(Json.compact(element));
        first = false;
    }

    /** Makes what was written so far visible to the reader (after each page). */
    public void flush() {
        out.flush();
    }

    /**
     * Writes the closing bracket. Not called when the listing failed half-way, so that a cut output is never
     * valid JSON that looks complete.
     */
    public void end() {
        out.println(first ? "]" : "\n]");
        out.flush();
    }
}
