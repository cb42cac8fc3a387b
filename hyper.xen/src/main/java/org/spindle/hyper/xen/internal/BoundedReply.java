package org.spindle.hyper.xen.internal;

import org.spindle.support.io.BoundedInputStream;
import org.xml.sax.SAXParseException;

/**
 * The limit on one reply of the pool (read through {@link BoundedInputStream}, which cuts it off there), and what
 * goes into a message about a reply that could not be used.
 * <p>
 * The default, {@value #DEFAULT_MAX} bytes (64 MiB), is the largest legitimate reply with head-room. Measured on the
 * simulator (a pool of 64 hosts and 2,000 running VMs; the probe is kept in notes/hostile-hv): the largest reply the
 * service asks for, {@code VM.get_all_records}, is 1,583,135 bytes (790 bytes a VM); {@code host.get_all_records} of
 * the 64 hosts 187,358 bytes. xapi's own records carry many more fields than the simulator's: estimated at 5–8 kB of
 * XML a VM, a pool of 4,000 VMs (64 hosts at their supported density) answers about 32 MB; 64 MiB is twice that. The
 * RRD feed ({@code /rrd_updates}, every VM of one host) has the same bound: 100 VMs of 40 data sources over 365 daily
 * rows is about 25 MB.
 */
final class BoundedReply {
    static final long DEFAULT_MAX = 64L << 20;
    /** The longest piece of a reply or parser message that goes into an error message. */
    static final int MESSAGE_MAX = 400;

    private BoundedReply() {
    }

    /**
     * What went wrong with a reply, for an error message: the limit, the parser's complaint (with its line and
     * column) or the first message in the cause chain, on one line, without control characters, at most
     * {@value #MESSAGE_MAX} characters.
     */
    static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BoundedInputStream.TooLarge) {
                return t.getMessage();
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SAXParseException p) {
                return "at line " + p.getLineNumber() + ", column " + p.getColumnNumber() + ": " + clip(p.getMessage());
            }
        }
        String m = e.getMessage();
        return clip(m == null || m.isBlank() ? e.getClass().getSimpleName() : m);
    }

    /** {@code s} on one line without control characters, cut to {@value #MESSAGE_MAX} characters. */
    static String clip(String s) {
        return BoundedInputStream.clip(s, MESSAGE_MAX);
    }
}
