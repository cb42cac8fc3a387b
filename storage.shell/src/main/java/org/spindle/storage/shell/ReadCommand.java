package org.spindle.storage.shell;

import java.io.PrintStream;
import java.util.function.Consumer;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Option;
import org.spindle.storage.shell.internal.Json;

/** A list or show command: a table or key: value lines, or with {@code --json} the records as JSON. */
abstract class ReadCommand implements Action {
    @Option(name = "--json", description = "Print the records as JSON (an object for show, an array for list)")
    boolean json;

    /** Prints {@code value} as JSON with {@code --json}, else as {@code human} writes it. */
    final void print(Object value, Consumer<PrintStream> human) {
        if (json) {
            System.out.println(Json.write(value));
        } else {
            human.accept(System.out);
        }
    }
}
