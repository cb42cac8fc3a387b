package org.spindle.solidfire.simulator;

/**
 * An Element API error: becomes {@code {"error":{"code":500,"name":name,"message":message}}} on the wire.
 * Messages never contain CHAP secrets or passwords.
 */
public final class ElementException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String name;
    private final int code;

    public ElementException(String name, String message) {
        this(name, 500, message);
    }

    public ElementException(String name, int code, String message) {
        super(message, null, false, false);
        this.name = name;
        this.code = code;
    }

    /** The machine key clients match on, e.g. {@code xVolumeIDDoesNotExist}. */
    public String name() {
        return name;
    }

    public int code() {
        return code;
    }

    static ElementException missing(String member) {
        return new ElementException("xMissingParameter", "Missing member=[" + member + "]");
    }

    static ElementException invalid(String message) {
        return new ElementException("xInvalidParameter", message);
    }

    static ElementException volumeNotFound(long id) {
        return new ElementException("xVolumeIDDoesNotExist", "VolumeID " + id + " does not exist.");
    }

    static ElementException accountNotFound(long id) {
        return new ElementException("xAccountIDDoesNotExist", "Illegal AccountID " + id);
    }

    static ElementException vagNotFound(long id) {
        return new ElementException("xVolumeAccessGroupIDDoesNotExist", "VolumeAccessGroupID " + id + " does not exist.");
    }
}
