package org.spindle.driver.solidfire.internal.element;

/**
 * No usable answer: the cluster could not be reached, the TLS handshake failed, the answer was lost, or it was not a
 * JSON-RPC answer the driver can read (too long, not JSON, members of the wrong type).
 */
public final class ElementTransportException extends ElementFailure {
    private static final long serialVersionUID = 1L;

    /** What went wrong, and whether the request may have been applied. */
    public enum Kind {
        /** No connection was made: the request was certainly not applied. */
        UNREACHABLE(false),
        /** The server's certificate was refused: nothing was sent. */
        TLS(false),
        /** The request was sent and no answer arrived in time: it may have been applied. */
        TIMEOUT(true),
        /** The connection closed before a complete answer: the request may have been applied. */
        NO_RESPONSE(true),
        /** An answer that is not JSON-RPC (HTTP error page, proxy, broken JSON): it may have been applied. */
        BAD_RESPONSE(true),
        /**
         * An answer longer than the client's limit, cut off while it streamed in (nothing more was read): it may have
         * been applied. Not retried: the same question would get the same answer.
         */
        OVERSIZED(true),
        /**
         * A JSON-RPC result without a member the driver reads, or with one of the wrong type or range (a string for
         * a volumeID, a negative size, a page out of order): it may have been applied.
         */
        MALFORMED(true),
        /** The calling thread was interrupted. */
        INTERRUPTED(true);

        private final boolean ambiguous;

        Kind(boolean ambiguous) {
            this.ambiguous = ambiguous;
        }
    }

    private final Kind kind;

    public ElementTransportException(String method, Kind kind, String message, Throwable cause) {
        super(method, message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** Whether the cluster may have applied the request although no answer came back. */
    public boolean ambiguous() {
        return kind.ambiguous;
    }
}
