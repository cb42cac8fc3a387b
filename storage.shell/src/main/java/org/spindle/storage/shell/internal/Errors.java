package org.spindle.storage.shell.internal;

import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;

/** Failures the shell itself reports, in the API's one exception type. */
public final class Errors {
    private Errors() {
    }

    /** {@code kind} (volume, pool) named {@code name} does not exist. */
    public static StorageException notFound(String kind, String name) {
        return new StorageException(Reason.NOT_FOUND, kind, kind + ": no " + kind + " named '" + name + "'", null);
    }
}
