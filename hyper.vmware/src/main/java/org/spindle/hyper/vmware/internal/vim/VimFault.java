package org.spindle.hyper.vmware.internal.vim;

/**
 * A fault the vSphere server answered: its type without the {@code Fault} suffix (NotAuthenticated, NotFound,
 * AlreadyExists, DuplicateName, ResourceInUse, InvalidArgument, …), the server's message, and the property it
 * names where it names one. Carries no request content, so no secret can travel in it.
 */
public final class VimFault extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String type;
    private final String property;

    public VimFault(String type, String message, String property) {
        super(type + (message == null || message.isBlank() ? "" : ": " + message)
                + (property == null || property.isBlank() ? "" : " (" + property + ")"));
        this.type = type;
        this.property = property == null ? "" : property;
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
