package org.spindle.hyper.xen.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

import org.xml.sax.SAXParseException;

/**
 * A reply body read as it streams in and cut off at a limit: past {@code max} bytes the stream is closed (the HTTP
 * client drops the connection) and the read fails with {@link TooLarge}. Nothing is buffered here, so a reply that
 * never ends costs at most {@code max} bytes of whatever the reader keeps.
 * <p>
 * The default, {@value #DEFAULT_MAX} bytes (64 MiB), is the largest legitimate reply with head-room. Measured on the
 * simulator (a pool of 64 hosts and 2,000 running VMs; the probe is kept in notes/hostile-hv): the largest reply the
 * service asks for, {@code VM.get_all_records}, is 1,583,135 bytes (790 bytes a VM); {@code host.get_all_records} of
 * the 64 hosts 187,358 bytes. xapi's own records carry many more fields than the simulator's: estimated at 5–8 kB of
 * XML a VM, a pool of 4,000 VMs (64 hosts at their supported density) answers about 32 MB; 64 MiB is twice that. The
 * RRD feed ({@code /rrd_updates}, every VM of one host) has the same bound: 100 VMs of 40 data sources over 365 daily
 * rows is about 25 MB.
 */
final class BoundedReply extends FilterInputStream {
    static final long DEFAULT_MAX = 64L << 20;
    /** The longest piece of a reply or parser message that goes into an error message. */
    static final int MESSAGE_MAX = 400;

    /** The reply went past the limit. */
    static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge(long max) {
            super("the reply is larger than " + max + " bytes, the limit for one reply; it was cut off");
        }
    }

    private final long max;
    private long count;

    BoundedReply(InputStream in, long max) {
        super(in);
        this.max = max;
    }

    private void counted(long n) throws IOException {
        count += n;
        if (count > max) {
            try {
                close();
            } catch (IOException ignored) {
                // the reply is refused either way
            }
            throw new TooLarge(max);
        }
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            counted(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            counted(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long s = super.skip(n);
        counted(s);
        return s;
    }

    /** Reads the whole reply, at most {@code max} bytes of it. */
    static byte[] readAll(InputStream in, long max) throws IOException {
        try (InputStream b = new BoundedReply(in, max)) {
            return b.readAllBytes();
        }
    }

    /**
     * What went wrong with a reply, for an error message: the limit, the parser's complaint (with its line and
     * column) or the first message in the cause chain, on one line, without control characters, at most
     * {@value #MESSAGE_MAX} characters.
     */
    static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TooLarge) {
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
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(Math.min(s.length(), MESSAGE_MAX + 1));
        for (int i = 0; i < s.length() && b.length() < MESSAGE_MAX; i++) {
            char c = s.charAt(i);
            b.append(Character.isISOControl(c) ? ' ' : c);
        }
        return s.length() > MESSAGE_MAX ? b + "… (" + s.length() + " characters)" : b.toString();
    }
}
