package org.spindle.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The figures of one run: each a measured value, the reference measured in the same run, their ratio and the goal,
 * written as a Markdown table.
 */
final class Results {
    /**
     * One figure.
     *
     * @param figure    what was measured
     * @param value     the measured value, with its unit
     * @param reference what it is compared with, measured in this run, with its unit
     * @param ratio     value / reference
     * @param goal      the goal (issue 14), or "-"
     */
    record Row(String section, String figure, String value, String reference, double ratio, String goal) {
    }

    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    synchronized void add(String section, String figure, String value, String reference, double ratio, String goal) {
        rows.add(new Row(section, figure, value, reference, ratio, goal));
    }

    synchronized void note(String note) {
        notes.add(note);
    }

    synchronized List<Row> rows() {
        return List.copyOf(rows);
    }

    synchronized List<String> notes() {
        return List.copyOf(notes);
    }

    static String ms(double millis) {
        return String.format(Locale.ROOT, millis < 1 ? "%.3f ms" : "%.1f ms", millis);
    }

    synchronized String markdown(String header) {
        StringBuilder b = new StringBuilder(header).append("\n\n| section | figure | value | reference (same run) | ratio | goal |\n")
                .append("|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            b.append("| ").append(r.section()).append(" | ").append(r.figure()).append(" | ").append(r.value()).append(" | ")
                    .append(r.reference()).append(" | ").append(String.format(Locale.ROOT, "%.3f", r.ratio())).append(" | ")
                    .append(r.goal()).append(" |\n");
        }
        if (!notes.isEmpty()) {
            b.append('\n');
            notes.forEach(n -> b.append("- ").append(n).append('\n'));
        }
        return b.toString();
    }

    void write(Path file, String header) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, markdown(header), StandardCharsets.UTF_8);
    }
}
