package org.spindle.support.io;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A peer's reply read as it streams in and cut off at a limit: past {@code max} bytes the stream is closed (an HTTP
 * client then drops the connection) and the read fails with {@link TooLarge}. Nothing is buffered here, so a reply
 * that never ends costs at most {@code max} bytes of whatever the reader keeps. Each client says what its limit is
 * and why (the largest legitimate reply of its peer, with head-room).
 */
public final class BoundedInputStream extends FilterInputStream {
    /** The reply went past the limit. */
    public static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge(long max) {
            super("the reply is larger than " + max + " bytes, the limit for one reply; it was cut off");
        }
    }

    private final long max;
    private long count;

    public BoundedInputStream(InputStream in, long max) {
        super(in);
        if (max < 1) {
            throw new IllegalArgumentException("the limit must be at least 1 byte (was " + max + ")");
        }
        this.max = max;
    }

    /** Reads the whole of {@code in}, at most {@code max} bytes of it; closes it. */
    public static byte[] readAll(InputStream in, long max) throws IOException {
        try (InputStream b = new BoundedInputStream(in, max)) {
            return b.readAllBytes();
        }
    }

    /**
     * {@code s} for an error message: one line, control characters as spaces, at most {@code max} characters (a
     * longer one is cut and says how long it was); {@code null} is the empty string.
     */
    public static String clip(String s, int max) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(Math.min(s.length(), max + 1));
        for (int i = 0; i < s.length() && b.length() < max; i++) {
            char c = s.charAt(i);
            b.append(Character.isISOControl(c) ? ' ' : c);
        }
        return s.length() > max ? b + "… (" + s.length() + " characters)" : b.toString();
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
}
