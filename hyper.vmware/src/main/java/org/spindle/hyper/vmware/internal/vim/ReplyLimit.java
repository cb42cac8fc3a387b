package org.spindle.hyper.vmware.internal.vim;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A SOAP reply read as it streams in and cut off at a limit: past {@code max} bytes the stream is closed (the HTTP
 * client drops the connection) and the read fails with {@link TooLarge}; nothing is buffered here.
 * <p>
 * The default, {@value #DEFAULT_MAX} bytes (32 MiB), is the largest legitimate reply with head-room. Measured against
 * spindle-vcsim with 64 hosts and 2,000 VMs in the cluster (the probe is kept in notes/hostile-hv): the largest reply
 * the service asks for is the {@code RetrievePropertiesEx} listing every VM, 1,642,851 bytes (821 bytes a VM: its size
 * comes from the property paths asked, which a real vCenter answers alike). The service asks for pages of at most
 * {@link Properties#MAX_OBJECTS} objects (about 0.8 MB); a vCenter that ignored that and answered its supported
 * maximum of 35,000 VMs in one page would send about 29 MB, still under the limit.
 */
final class ReplyLimit extends FilterInputStream {
    static final long DEFAULT_MAX = 32L << 20;
    /** The longest piece of a reply that goes into an error message. */
    static final int SHOWN = 200;

    /** The reply went past the limit. */
    static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge(long max) {
            super("the reply is larger than " + max + " bytes, the limit for one reply; it was cut off");
        }
    }

    private final long max;
    private long count;

    ReplyLimit(InputStream in, long max) {
        super(in);
        this.max = max;
    }

    private void counted(long n) throws IOException {
        count += n;
        if (count > max) {
            try {
                close();
            } catch (IOException ignored) {
                // refused either way
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

    /** {@code s} on one line without control characters, cut to {@value #SHOWN} characters. */
    static String clip(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(Math.min(s.length(), SHOWN + 1));
        for (int i = 0; i < s.length() && b.length() < SHOWN; i++) {
            char c = s.charAt(i);
            b.append(Character.isISOControl(c) ? ' ' : c);
        }
        return s.length() > SHOWN ? b + "… (" + s.length() + " characters)" : b.toString();
    }
}
