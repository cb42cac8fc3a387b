package org.spindle.storage.api;

import java.util.regex.Pattern;

/**
 * Block storage protocols, as they appear in the {@code storage.protocols} service property of drivers
 * and attach services. The set is open: a driver may advertise any lower-case token; these are the ones
 * Spindle's own bundles use.
 */
public final class Protocols {
    public static final String ISCSI = "iscsi";
    public static final String FC = "fc";
    public static final String NFS = "nfs";
    public static final String RBD = "rbd";
    /** A file or volume inside a structure the operator created (static pools). */
    public static final String FILE = "file";

    private static final Pattern TOKEN = Pattern.compile("[a-z][a-z0-9-]{0,31}");

    private Protocols() {
    }

    /** Checks that {@code protocol} is a lower-case token, and returns it. */
    public static String check(String field, String protocol) {
        if (protocol == null || !TOKEN.matcher(protocol).matches()) {
            throw StorageException.invalid(field, "must be a lower-case protocol token such as iscsi, fc, nfs, rbd (was '"
                    + protocol + "')");
        }
        return protocol;
    }
}
