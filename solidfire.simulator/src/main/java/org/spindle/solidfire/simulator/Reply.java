package org.spindle.solidfire.simulator;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * An answer a test makes the simulator send instead of Element's (see {@link Faults#replaceReply}): a status, a
 * Content-Type and a body streamed from a fresh stream per call, possibly endless. Sent chunked, so the client learns
 * the length only by reading, unless a {@code contentLength} ({@link #claiming}) is given.
 */
public record Reply(int status, String contentType, Supplier<InputStream> body, long contentLength) {
    /** Sent chunked: the client learns the length only by reading. */
    public Reply(int status, String contentType, Supplier<InputStream> body) {
        this(status, contentType, body, -1);
    }

    public Reply {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status must be 100-599");
        }
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
    }

    /**
     * A Content-Length header of {@code claimed} bytes (a body that claims to be enormous), then {@code body}: the
     * server stops when the client hangs up or {@code body} ends, short of the claim.
     */
    public static Reply claiming(int status, String contentType, long claimed, String body) {
        if (claimed < 1) {
            throw new IllegalArgumentException("claimed must be positive");
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return new Reply(status, contentType, () -> new ByteArrayInputStream(bytes), claimed);
    }

    /** A fixed body. */
    public static Reply of(int status, String contentType, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return new Reply(status, contentType, () -> new ByteArrayInputStream(bytes));
    }

    /** {@code prefix}, then {@code filler} repeated without end: only the client can stop it, by closing. */
    public static Reply endless(int status, String contentType, String prefix, String filler) {
        byte[] head = prefix.getBytes(StandardCharsets.UTF_8);
        byte[] unit = filler.getBytes(StandardCharsets.UTF_8);
        if (unit.length == 0) {
            throw new IllegalArgumentException("filler must not be empty");
        }
        return new Reply(status, contentType, () -> new SequenceInputStream(new ByteArrayInputStream(head), new Repeat(unit)));
    }

    /** {@code prefix}, {@code count} times {@code filler}, then {@code suffix}: a long but finite body, made as it is sent. */
    public static Reply repeated(int status, String contentType, String prefix, String filler, long count, String suffix) {
        byte[] head = prefix.getBytes(StandardCharsets.UTF_8);
        byte[] unit = filler.getBytes(StandardCharsets.UTF_8);
        byte[] tail = suffix.getBytes(StandardCharsets.UTF_8);
        return new Reply(status, contentType, () -> new SequenceInputStream(new SequenceInputStream(new ByteArrayInputStream(head),
                new Repeat(unit, count)), new ByteArrayInputStream(tail)));
    }

    /** {@code unit} repeated {@code times} times ({@code -1}: forever). */
    private static final class Repeat extends InputStream {
        private final byte[] block;
        private final long total;
        private long sent;

        Repeat(byte[] unit) {
            this(unit, -1);
        }

        Repeat(byte[] unit, long times) {
            int per = Math.max(1, 8192 / unit.length);
            block = new byte[per * unit.length];
            for (int i = 0; i < per; i++) {
                System.arraycopy(unit, 0, block, i * unit.length, unit.length);
            }
            total = times < 0 ? -1 : times * unit.length;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            long left = total < 0 ? Long.MAX_VALUE : total - sent;
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(Math.min(len, left), block.length);
            int start = (int) (sent % block.length);
            int first = Math.min(n, block.length - start);
            System.arraycopy(block, start, b, off, first);
            if (first < n) {
                System.arraycopy(block, 0, b, off + first, n - first);
            }
            sent += n;
            return n;
        }

        @Override
        public String toString() {
            return "Repeat" + Arrays.toString(Arrays.copyOf(block, Math.min(8, block.length)));
        }
    }
}
