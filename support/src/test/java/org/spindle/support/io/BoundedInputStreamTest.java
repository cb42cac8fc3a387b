package org.spindle.support.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

class BoundedInputStreamTest {

    /** An endless reply, as a hostile peer sends it; records whether it was closed. */
    private static final class Endless extends InputStream {
        final AtomicBoolean closed = new AtomicBoolean();
        long served;

        @Override
        public int read() {
            served++;
            return 'x';
        }

        @Override
        public int read(byte[] b, int off, int len) {
            java.util.Arrays.fill(b, off, off + len, (byte) 'x');
            served += len;
            return len;
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    @Test
    void aReplyUpToTheLimitIsReadWhole() throws IOException {
        byte[] reply = new byte[4096];
        assertArrayEquals(reply, BoundedInputStream.readAll(new ByteArrayInputStream(reply), 4096));
    }

    @Test
    void anEndlessReplyIsCutOffJustPastTheLimitAndClosed() {
        Endless peer = new Endless();
        BoundedInputStream.TooLarge e = assertThrows(BoundedInputStream.TooLarge.class, () -> BoundedInputStream.readAll(peer, 1 << 20));
        assertTrue(peer.closed.get(), "the stream is closed, so the connection is dropped");
        assertTrue(peer.served < (1 << 20) + (1 << 16), "read no further than the limit and one buffer: " + peer.served);
        assertEquals("the reply is larger than 1048576 bytes, the limit for one reply; it was cut off", e.getMessage());
    }

    @Test
    void singleByteReadsAndSkipsCountToo() throws IOException {
        try (InputStream in = new BoundedInputStream(new Endless(), 10)) {
            assertEquals(5, in.skip(5));
            for (int i = 0; i < 5; i++) {
                assertEquals('x', in.read());
            }
            assertThrows(BoundedInputStream.TooLarge.class, in::read);
        }
    }

    @Test
    void clipMakesOneShortLine() {
        assertEquals("a b c", BoundedInputStream.clip("a\nb\u001bc", 10));
        assertEquals("abc… (6 characters)", BoundedInputStream.clip("abcdef", 3));
        assertEquals("", BoundedInputStream.clip(null, 3));
    }
}
