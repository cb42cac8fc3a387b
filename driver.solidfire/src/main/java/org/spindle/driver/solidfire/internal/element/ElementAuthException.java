package org.spindle.driver.solidfire.internal.element;

/** HTTP 401: the cluster refused the admin credentials. */
public final class ElementAuthException extends ElementFailure {
    private static final long serialVersionUID = 1L;

    public ElementAuthException(String method, String user, String mvip) {
        super(method, "bad credentials for cluster admin " + user + " at " + mvip, null);
    }
}
