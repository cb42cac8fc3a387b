package org.spindle.storage.shell.internal;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** {@code Key: value} lines with the values aligned, as the show commands print them. */
public final class Details {
    private final List<String[]> lines = new ArrayList<>();

    public Details add(String key, Object value) {
        lines.add(new String[] {key, Format.text(value)});
        return this;
    }

    public void print(PrintStream out) {
        int width = lines.stream().mapToInt(l -> l[0].length()).max().orElse(0) + 1;
        for (String[] line : lines) {
            out.println(String.format("%-" + (width + 1) + "s%s", line[0] + ":", line[1]));
        }
    }
}
