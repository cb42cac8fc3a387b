package org.spindle.itest;

import static org.junit.Assert.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.Test;
import org.junit.runners.Suite;

/**
 * CI runs the integration tests as two suites side by side (the itest pom includes only them): an IT that is in
 * neither would never run, and one in both would run twice at once against itself. Each is in exactly one.
 */
public class SuitesTest {
    private static final List<Class<?>> SUITES = List.of(LibvirtAndLocalSuiteIT.class, SimulatorsSuiteIT.class);

    @Test
    public void everyIntegrationTestIsInExactlyOneSuite() throws IOException {
        Set<String> tests = new TreeSet<>();
        Path dir = Paths.get("src/test/java/org/spindle/itest");
        try (Stream<Path> files = Files.list(dir)) {
            files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith("IT.java"))
                    .map(n -> n.substring(0, n.length() - ".java".length())).forEach(tests::add);
        }
        SUITES.forEach(s -> tests.remove(s.getSimpleName()));
        List<String> inSuites = new ArrayList<>();
        for (Class<?> suite : SUITES) {
            for (Class<?> c : suite.getAnnotation(Suite.SuiteClasses.class).value()) {
                inSuites.add(c.getSimpleName());
            }
        }
        assertEquals("integration tests in no suite or in more than one", new ArrayList<>(tests),
                inSuites.stream().sorted().toList());
    }
}
