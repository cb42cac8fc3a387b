package org.spindle.hyper.kvm.internal;

import org.spindle.test.support.Commands;

/** virsh for tests ({@link Commands} runs it). */
final class Cmd {
    private Cmd() {
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
        return Commands.run(c).ok().out();
    }
}
