package org.spindle.hyper.vmware.internal.vim;

/**
 * A fault the vSphere server answered: its type without the {@code Fault} suffix (NotAuthenticated, NotFound,
 * AlreadyExists, DuplicateName, ResourceInUse, InvalidArgument, …), the server's message, and the property it
 * names where it names one. Carries no request content, so no secret can travel in it; what the server sent is cut to
 * a few hundred characters on one line.
 */
public final class VimFault extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String type;
    private final String property;

    public VimFault(String type, String message, String property) {
        this(type, message, property, null);
    }

    /** A fault the server answered to {@code method}, which the message names. */
    public VimFault(String type, String message, String property, String method) {
        super(ReplyLimit.clip(type) + (message == null || message.isBlank() ? "" : ": " + ReplyLimit.clip(message))
                + (property == null || property.isBlank() ? "" : " (" + ReplyLimit.clip(property) + ")")
                + (method == null ? "" : ", answering " + method));
        this.type = type;
        this.property = property == null ? "" : ReplyLimit.clip(property);
    }

    public String type() {
        return type;
    }

    public String property() {
        return property;
    }

    public boolean is(String faultType) {
        return type.equals(faultType);
    }
}
