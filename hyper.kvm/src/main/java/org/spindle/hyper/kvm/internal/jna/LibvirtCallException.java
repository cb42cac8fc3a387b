package org.spindle.hyper.kvm.internal.jna;

/** A libvirt call made through this package's own bindings failed: libvirt's error code and message. */
public final class LibvirtCallException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int code;

    public LibvirtCallException(String function, int code, String message) {
        super(function + ": " + (message == null ? "unknown libvirt error" : message));
        this.code = code;
    }

    /** The {@code virErrorNumber}. */
    public int code() {
        return code;
    }
}
