package org.spindle.storage.api;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ```java} block of the project's README.md compiles against this API (and the OSGi annotations
 * on this module's test class path): the examples a driver or attach service author copies cannot drift
 * from the contracts. Each block is one compilation unit, compiled on its own; a failure prints the block.
 */
class ReadmeExamplesTest {
    private static final Pattern JAVA_BLOCK = Pattern.compile("(?m)^```java[ \\t]*\\R(.*?)^```", Pattern.DOTALL);
    private static final Pattern PUBLIC_TYPE = Pattern.compile(
            "(?m)^public\\s+(?:final\\s+|abstract\\s+|sealed\\s+)*(?:class|interface|record|enum|@interface)\\s+(\\w+)");
    private static final Pattern PACKAGE = Pattern.compile("(?m)^package\\s+([\\w.]+)\\s*;");

    @TempDir
    Path out;

    /** A ```java block: where it starts in README.md and its text. */
    record Block(int line, String source) {
        String typeName() {
            Matcher m = PUBLIC_TYPE.matcher(source);
            return m.find() ? m.group(1) : "Example" + line;
        }

        String qualifiedName() {
            Matcher m = PACKAGE.matcher(source);
            return (m.find() ? m.group(1) + "." : "") + typeName();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyJavaBlockCompiles() throws IOException {
        return blocks().stream().map(b -> DynamicTest.dynamicTest("README.md line " + b.line() + ": " + b.typeName(),
                () -> compile(b)));
    }

    @Test
    void theReadmeShowsADriverAndAnAttachService() throws IOException {
        List<Block> blocks = blocks();
        assertTrue(blocks.stream().anyMatch(b -> b.source().contains("implements StorageDriver")),
                "README.md has no ```java block with a StorageDriver (\"Writing a driver bundle\")");
        assertTrue(blocks.stream().anyMatch(b -> b.source().contains("implements HypervisorAttachService")),
                "README.md has no ```java block with a HypervisorAttachService (\"Writing a driver bundle\")");
    }

    @Test
    void aBlockThatDoesNotCompileFailsNamingItsLine() {
        Block broken = new Block(7, "package x;\npublic class Broken implements org.spindle.storage.api.driver.StorageDriver {}\n");
        AssertionError e = assertThrows(AssertionError.class, () -> compile(broken));
        assertTrue(e.getMessage().contains("README.md line 7"), e.getMessage());
        assertTrue(e.getMessage().contains("public class Broken"), "the block is printed: " + e.getMessage());
    }

    private void compile(Block block) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        JavaFileObject unit = new SimpleJavaFileObject(
                URI.create("string:///" + block.qualifiedName().replace('.', '/') + JavaFileObject.Kind.SOURCE.extension),
                JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return block.source();
            }
        };
        Path classes = Files.createDirectories(out.resolve("line" + block.line()));
        List<String> options = List.of("--release", "17", "-proc:none", "-Xlint:all", "-classpath", classPath(),
                "-d", classes.toString());
        boolean ok = javac.getTask(null, null, diagnostics, options, null, List.of(unit)).call();
        List<String> errors = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.ERROR) {
                errors.add("  line " + (block.line() + d.getLineNumber()) + ": " + d.getMessage(Locale.ROOT));
            }
        }
        if (!ok || !errors.isEmpty()) {
            throw new AssertionError("the ```java block at README.md line " + block.line() + " does not compile:\n"
                    + String.join("\n", errors) + "\n--- the block ---\n" + numbered(block));
        }
    }

    private static String numbered(Block block) {
        StringBuilder s = new StringBuilder();
        String[] lines = block.source().split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            s.append(String.format("%4d  %s%n", block.line() + 1 + i, lines[i]));
        }
        return s.toString();
    }

    private static List<Block> blocks() throws IOException {
        String readme = Files.readString(readme(), StandardCharsets.UTF_8);
        List<Block> blocks = new ArrayList<>();
        Matcher m = JAVA_BLOCK.matcher(readme);
        while (m.find()) {
            int line = 1 + (int) readme.substring(0, m.start()).chars().filter(c -> c == '\n').count();
            blocks.add(new Block(line, m.group(1)));
        }
        return blocks;
    }

    /** The project's README.md: Maven runs this module's tests in storage.api/, one level below it. */
    private static Path readme() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("README.md");
            if (Files.isRegularFile(candidate) && Files.isDirectory(dir.resolve("storage.api"))) {
                return candidate;
            }
        }
        throw new AssertionError("no README.md beside storage.api/ above " + Path.of("").toAbsolutePath());
    }

    /** The test run's class path (Surefire puts it in a manifest-only jar and names it here). */
    private static String classPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }
}
