package org.spindle.solidfire.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs {@code tgtadm} (no shell) with a timeout. Error messages show the command with every
 * {@code --password} value and every known secret replaced by {@code ***}.
 */
final class TgtAdm {
    private final String executable;
    private final Duration timeout;

    TgtAdm(String executable, Duration timeout) {
        this.executable = executable;
        this.timeout = timeout;
    }

    /** Thrown when tgtadm fails; the message never contains a secret. */
    static final class TgtException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int exitCode;
        final String output;

        TgtException(String message, int exitCode, String output) {
            super(message, null, false, false);
            this.exitCode = exitCode;
            this.output = output;
        }

        boolean alreadyExists() {
            return output != null && output.contains("already exists");
        }
    }

    /** Runs {@code tgtadm --lld iscsi ARGS}; returns its output, throws {@link TgtException} on a non-zero exit. */
    String run(List<String> args, Collection<String> secrets) {
        List<String> cmd = new ArrayList<>();
        cmd.add(executable);
        cmd.add("--lld");
        cmd.add("iscsi");
        cmd.addAll(args);
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new TgtException("cannot run " + display(cmd) + ": " + e.getMessage(), -1, null);
        }
        try {
            p.getOutputStream().close();
            InputStream in = p.getInputStream();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> {
                try {
                    return in.readAllBytes();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new TgtException(display(cmd) + " timed out after " + timeout.toMillis() + " ms", -1, null);
            }
            String text = new String(out.get(timeout.toMillis(), TimeUnit.MILLISECONDS), StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new TgtException(display(cmd) + " failed (exit " + p.exitValue() + "): "
                        + redact(text.trim(), secrets), p.exitValue(), redact(text, secrets));
            }
            return text;
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new TgtException(display(cmd) + " interrupted", -1, null);
        } catch (IOException | ExecutionException | TimeoutException e) {
            p.destroyForcibly();
            throw new TgtException(display(cmd) + " output could not be read: " + e, -1, null);
        }
    }

    String run(String... args) {
        return run(List.of(args), List.of());
    }

    /** True when tgtadm runs and a tgtd answers it. */
    boolean available() {
        try {
            run("--mode", "target", "--op", "show");
            return true;
        } catch (TgtException e) {
            return false;
        }
    }

    static String display(List<String> cmd) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cmd.size(); i++) {
            if (i > 0) {
                b.append(' ');
            }
            boolean secret = i > 0 && (cmd.get(i - 1).equals("--password") || cmd.get(i - 1).equals("-w"));
            b.append(secret ? "***" : cmd.get(i));
        }
        return b.toString();
    }

    private static String redact(String text, Collection<String> secrets) {
        String out = text;
        for (String s : secrets) {
            if (s != null && !s.isEmpty()) {
                out = out.replace(s, "***");
            }
        }
        return out;
    }
}
