package org.spindle.driver.solidfire.internal.element;

/** No usable answer: the cluster could not be reached, the TLS handshake failed, or the answer was lost. */
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
        /** An answer that is not JSON-RPC (HTTP error page, proxy): it may have been applied. */
        BAD_RESPONSE(true),
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
