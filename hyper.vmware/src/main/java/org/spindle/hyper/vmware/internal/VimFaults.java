package org.spindle.hyper.vmware.internal;

import java.util.function.Supplier;

import org.spindle.hyper.vmware.internal.vim.VimFault;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;

/**
 * A vSphere fault as the SPI's one failure type: what the attach service's callers see is a {@link StorageException}
 * whose reason says what vCenter meant, and whose message names the operation and the vCenter method that failed
 * (the fault's own message does: {@code "<type>: <vCenter's message>, answering <method>"}). A NotAuthenticated that
 * reaches here survived the connection's one re-login (the account's password changed or it was locked out).
 */
final class VimFaults {
    private VimFaults() {
    }

    /** The reason a fault of {@code type} stands for. */
    static Reason reason(String type) {
        return switch (type) {
            case "NotFound", "ManagedObjectNotFound", "FileNotFound" -> Reason.NOT_FOUND;
            case "AlreadyExists", "DuplicateName", "FileAlreadyExists" -> Reason.ALREADY_EXISTS;
            case "InvalidArgument", "InvalidProperty", "InvalidRequest", "InvalidType", "InvalidDeviceSpec" -> Reason.INVALID_ARGUMENT;
            case "InvalidState", "InvalidPowerState", "InvalidHostState", "InvalidDatastoreState", "ResourceInUse" -> Reason.CONFLICT;
            case "ConcurrentAccess", "TaskInProgress" -> Reason.BUSY;
            case "NotAuthenticated", "InvalidLogin", "NoPermission", "NotAuthorized" -> Reason.AUTHENTICATION;
            case "HostNotConnected", "HostNotReachable", "HostCommunication", "Timeout", "Interrupted", "RequestCanceled" ->
                    Reason.UNAVAILABLE;
            default -> Reason.BACKEND_FAILURE;
        };
    }

    /** {@code f} as a StorageException of {@code operation} ("attach of volume …"). */
    static StorageException translate(VimFault f, String operation) {
        Reason reason = reason(f.type());
        String field = reason == Reason.INVALID_ARGUMENT && !f.property().isEmpty() ? f.property() : null;
        String what = switch (reason) {
            case AUTHENTICATION -> "vCenter refused the credentials or privileges of the service's user";
            case UNAVAILABLE -> "vCenter or a host could not be reached";
            default -> "vCenter failed";
        };
        return new StorageException(reason, field, what + " in " + operation + ": " + f.getMessage(), f);
    }

    /** Runs {@code call}; a vSphere fault comes out as a StorageException of {@code operation}. */
    static <T> T translated(String operation, Supplier<T> call) {
        try {
            return call.get();
        } catch (VimFault f) {
            throw translate(f, operation);
        }
    }

    static void run(String operation, Runnable call) {
        translated(operation, () -> {
            call.run();
            return null;
        });
    }
}
