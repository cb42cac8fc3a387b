package org.spindle.storage.shell.completers;

import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** Completes from a list of names read from a service at each completion. */
abstract class NameCompleter implements Completer {
    /** The candidates; {@code null}s and duplicates are dropped. */
    abstract Stream<String> names();

    @Override
    public final int complete(Session session, CommandLine commandLine, List<String> candidates) {
        return new StringsCompleter(candidates()).complete(session, commandLine, candidates);
    }

    final List<String> candidates() {
        return names().filter(Objects::nonNull).distinct().sorted().toList();
    }
}
