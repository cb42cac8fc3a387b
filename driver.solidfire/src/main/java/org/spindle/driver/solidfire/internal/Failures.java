package org.spindle.driver.solidfire.internal;

import java.util.function.Supplier;

import org.spindle.driver.solidfire.internal.element.ElementAuthException;
import org.spindle.driver.solidfire.internal.element.ElementException;
import org.spindle.driver.solidfire.internal.element.ElementFailure;
import org.spindle.driver.solidfire.internal.element.ElementTransportException;
import org.spindle.driver.solidfire.internal.element.TransientErrors;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;

/**
 * Element failures → {@link StorageException}: one line, the operation, the cluster and Element's error name;
 * never a secret (the client's messages hold none).
 */
final class Failures {
    private final String mvip;

    Failures(String mvip) {
        this.mvip = mvip;
    }

    /** Runs {@code work}, translating Element failures; StorageExceptions pass through. */
    <T> T guard(String operation, Supplier<T> work) {
        try {
            return work.get();
        } catch (ElementFailure f) {
            throw translate(operation, f);
        }
    }

    void guard(String operation, Runnable work) {
        guard(operation, () -> {
            work.run();
            return null;
        });
    }

    StorageException translate(String operation, ElementFailure f) {
        String prefix = "SolidFire " + mvip + ": " + operation + ": ";
        if (f instanceof ElementAuthException) {
            return new StorageException(Reason.AUTHENTICATION, null, prefix + f.getMessage(), f);
        }
        if (f instanceof ElementTransportException t) {
            Reason r = switch (t.kind()) {
                case TLS -> Reason.AUTHENTICATION;
                // the cluster answered, with something unusable: asking again later would not help
                case OVERSIZED, MALFORMED -> Reason.BACKEND_FAILURE;
                default -> Reason.UNAVAILABLE;
            };
            return new StorageException(r, null, prefix + f.getMessage(), f);
        }
        ElementException e = (ElementException) f;
        return new StorageException(reason(e.name()), null, prefix + f.getMessage(), f);
    }

    static Reason reason(String name) {
        if (TransientErrors.isTransient(name)) {
            return Reason.UNAVAILABLE;
        }
        return switch (name) {
            case "xVolumeIDDoesNotExist", "xUnknownAccount", "xAccountIDDoesNotExist" -> Reason.NOT_FOUND;
            case "xExceededLimit", "xVolumeAccessGroupIDDoesNotExist", "xDuplicateUsername" -> Reason.CONFLICT;
            case "xInvalidParameter", "xMissingParameter", "xVolumeShrinkProhibited" -> Reason.INVALID_ARGUMENT;
            default -> Reason.BACKEND_FAILURE;
        };
    }
}
