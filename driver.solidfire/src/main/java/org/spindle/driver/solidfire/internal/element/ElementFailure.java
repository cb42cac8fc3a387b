package org.spindle.driver.solidfire.internal.element;

/**
 * A failed Element call. The message is one line for an operator and never contains a secret: neither the
 * admin password nor a CHAP secret is ever part of it.
 */
public abstract sealed class ElementFailure extends RuntimeException
        permits ElementException, ElementAuthException, ElementTransportException {
    private static final long serialVersionUID = 1L;

    private final String method;

    ElementFailure(String method, String message, Throwable cause) {
        super(message, cause);
        this.method = method;
    }

    /** The Element method that failed. */
    public String method() {
        return method;
    }
}
