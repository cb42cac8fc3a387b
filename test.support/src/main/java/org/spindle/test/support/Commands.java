package org.spindle.test.support;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command of the machine for a test (tgtadm, virsh, libiscsi's initiators, psql): no input, standard output and
 * error together, a time limit. The output goes through a file, so a command that writes a lot cannot block on a full
 * pipe, and one that hangs is cut at the limit. Never throws: a command that cannot start or is cut has exit -1 and
 * the reason as its output.
 */
public final class Commands {
    /** What {@link #run} returns unless told otherwise: a minute, UTF-8. */
    public static final Duration LIMIT = Duration.ofSeconds(60);

    /** The exit status and everything the command printed. */
    public record Result(int exit, String out) {
        public boolean succeeded() {
            return exit == 0;
        }

        /** This result when the command succeeded; else an {@link IllegalStateException} with its exit and output. */
        public Result ok() {
            if (exit != 0) {
                throw new IllegalStateException("exit " + exit + ": " + out);
            }
            return this;
        }
    }

    private Commands() {
    }

    public static Result run(String... command) {
        return run(List.of(command));
    }

    public static Result run(List<String> command) {
        return run(LIMIT, StandardCharsets.UTF_8, Map.of(), command);
    }

    /**
     * Runs {@code command} with {@code env} added to this process's environment; {@code charset} decodes its output
     * (ISO-8859-1 keeps binary bytes one char each).
     */
    public static Result run(Duration limit, Charset charset, Map<String, String> env, List<String> command) {
        Path out = null;
        try {
            out = Files.createTempFile("spindle-command", ".out");
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                // the program only: an argument may be a secret (libiscsi's URLs carry the CHAP secret)
                return new Result(-1, "timed out after " + limit + ": " + command.get(0));
            }
            return new Result(p.exitValue(), new String(Files.readAllBytes(out), charset));
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, e.toString());
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // a temporary file left behind
                }
            }
        }
    }

    /** Whether {@code tool} is on the PATH. */
    public static boolean installed(String tool) {
        return run("sh", "-c", "command -v " + tool).succeeded();
    }
}
