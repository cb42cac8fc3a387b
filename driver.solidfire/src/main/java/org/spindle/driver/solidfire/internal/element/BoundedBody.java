package org.spindle.driver.solidfire.internal.element;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body read into memory up to a limit. The body is pulled one buffer at a time; the moment it passes the
 * limit (or its Content-Length says it will) the subscription is cancelled, which makes the JDK client close the
 * connection: nothing more is read, and at most the limit plus one network buffer is ever held.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {

    /** The body passed the limit; {@link #received} is how much had arrived when it was cut off. */
    static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        final long limit;
        final long received;
        final boolean declared;

        TooLarge(long limit, long received, boolean declared) {
            super(declared ? "Content-Length " + received + " is over the limit of " + limit + " bytes"
                    : "more than " + limit + " bytes");
            this.limit = limit;
            this.received = received;
            this.declared = declared;
        }
    }

    private final long limit;
    private final long declaredLength;
    private final boolean discard;
    private final CompletableFuture<byte[]> body = new CompletableFuture<>();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private Flow.Subscription subscription;
    private long received;

    private BoundedBody(long limit, long declaredLength, boolean discard) {
        this.limit = limit;
        this.declaredLength = declaredLength;
        this.discard = discard;
    }

    /**
     * One exchange's body handler: bodies of at most {@code limit} bytes; the body of a 401 is not read at all (the
     * status says everything). {@link #abort()} stops reading the body from another thread (the caller's deadline: the
     * JDK client's request timeout ends when the headers arrive, not the body).
     */
    static final class Exchange implements HttpResponse.BodyHandler<byte[]> {
        private final long limit;
        private volatile BoundedBody body;
        private volatile boolean aborted;

        Exchange(long limit) {
            this.limit = limit;
        }

        @Override
        public HttpResponse.BodySubscriber<byte[]> apply(HttpResponse.ResponseInfo info) {
            BoundedBody b = new BoundedBody(limit, info.headers().firstValueAsLong("Content-Length").orElse(-1),
                    info.statusCode() == 401);
            body = b;
            if (aborted) {
                b.abort();
            }
            return b;
        }

        /** Cancels the body's subscription (which closes the connection), if the body is being read. */
        void abort() {
            aborted = true;
            BoundedBody b = body;
            if (b != null) {
                b.abort();
            }
        }
    }

    private synchronized void abort() {
        if (subscription != null) {
            subscription.cancel();
        }
        body.completeExceptionally(new IOException("the body was not complete by the deadline"));
    }

    @Override
    public synchronized void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (discard) {
            s.cancel();
            body.complete(new byte[0]);
        } else if (declaredLength > limit) {
            s.cancel();
            body.completeExceptionally(new TooLarge(limit, declaredLength, true));
        } else {
            s.request(1);
        }
    }

    @Override
    public synchronized void onNext(List<ByteBuffer> item) {
        if (body.isDone()) {
            return;
        }
        for (ByteBuffer b : item) {
            received += b.remaining();
            if (received > limit) {
                subscription.cancel();
                bytes.reset();
                body.completeExceptionally(new TooLarge(limit, received, false));
                return;
            }
            byte[] chunk = new byte[b.remaining()];
            b.get(chunk);
            bytes.write(chunk, 0, chunk.length);
        }
        subscription.request(1);
    }

    @Override
    public void onError(Throwable t) {
        body.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
        body.complete(bytes.toByteArray());
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return body;
    }
}
