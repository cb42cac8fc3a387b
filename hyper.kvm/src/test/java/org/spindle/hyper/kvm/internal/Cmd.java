package org.spindle.hyper.kvm.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command of the machine (virsh, tgtadm) for tests. */
final class Cmd {
    /** Exit code and combined output. */
    record Result(int exit, String out) {
        Result ok() {
            if (exit != 0) {
                throw new IllegalStateException("exit " + exit + ": " + out);
            }
            return this;
        }
    }

    private Cmd() {
    }

    static Result run(String... command) {
        return run(List.of(command));
    }

    static Result run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out: " + String.join(" ", command));
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, e.toString());
        }
    }

    static String virsh(String... args) {
        return virshAt(Peers.URI, args);
    }

    /** {@code virsh -c URI ARGS…}, which must succeed. */
    static String virshAt(String uri, String... args) {
        String[] c = new String[args.length + 3];
        c[0] = "virsh";
        c[1] = "-c";
        c[2] = uri;
        System.arraycopy(args, 0, c, 3, args.length);
        return run(c).ok().out();
    }
}
