package org.spindle.storage.api;

import java.util.Objects;

/**
 * The one failure type of the Spindle contracts. The message is a single line meant for an operator;
 * {@link #reason()} is meant for code, {@link #field()} names the offending input when there is one.
 * Messages never contain secrets.
 */
public class StorageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why an operation failed. */
    public enum Reason {
        /** An input value is out of range or malformed; {@link #field()} names it. */
        INVALID_ARGUMENT,
        /** A named object (volume, offering, pool, VM, host) does not exist. */
        NOT_FOUND,
        /** The object exists already (duplicate name). */
        ALREADY_EXISTS,
        /** The object is in a state that does not allow the operation (retrying will not help until it changes). */
        CONFLICT,
        /** Another operation on the object is in flight, or changed it concurrently: retry later. */
        BUSY,
        /** QoS that nobody would enforce or that contradicts itself. */
        QOS_REFUSED,
        /** No pool or attach service matches what is asked. */
        NO_ROUTE,
        /** Pools match, but none has room (bytes or guaranteed IOPS) for what is asked. */
        CAPACITY,
        /** The pool's driver (or the attach service) is not there at the moment. */
        UNAVAILABLE,
        /** The SAN or hypervisor refused or failed the operation. */
        BACKEND_FAILURE,
        /** Credentials were refused by the SAN or hypervisor. */
        AUTHENTICATION
    }

    private final Reason reason;
    private final String field;

    public StorageException(Reason reason, String field, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.field = field;
    }

    public StorageException(Reason reason, String message) {
        this(reason, null, message, null);
    }

    /** An invalid value of {@code field}; {@code message} says what is allowed. */
    public static StorageException invalid(String field, String message) {
        return new StorageException(Reason.INVALID_ARGUMENT, field, field + ": " + message, null);
    }

    public Reason reason() {
        return reason;
    }

    /** The input field that was refused, or {@code null}. */
    public String field() {
        return field;
    }
}
