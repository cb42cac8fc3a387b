package org.spindle.driver.solidfire.internal.element;

/** The cluster answered with an error envelope {@code {"error":{"code","name","message"}}}. */
public final class ElementException extends ElementFailure {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final int code;
    private final String elementMessage;

    public ElementException(String method, String name, int code, String elementMessage) {
        super(method, method + " failed: " + name + (elementMessage == null || elementMessage.isBlank()
                || elementMessage.equals(name) ? "" : ": " + elementMessage), null);
        this.name = name;
        this.code = code;
        this.elementMessage = elementMessage;
    }

    /** The machine key clients match on, e.g. {@code xVolumeIDDoesNotExist}. */
    public String name() {
        return name;
    }

    public int code() {
        return code;
    }

    /** The cluster's free-text message (secrets the client knows of are already masked). */
    public String elementMessage() {
        return elementMessage;
    }

    public boolean is(String errorName) {
        return name.equals(errorName);
    }
}
