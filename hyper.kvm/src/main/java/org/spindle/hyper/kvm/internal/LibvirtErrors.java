package org.spindle.hyper.kvm.internal;

import java.util.Locale;

import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.spindle.hyper.kvm.internal.jna.LibvirtCallException;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;

/**
 * Turns libvirt failures into one-line {@link StorageException}s with a reason code. libvirt's own message is
 * kept (it is what an operator can act on), folded to one line, with any secret value blanked out.
 */
final class LibvirtErrors {
    private LibvirtErrors() {
    }

    /** {@code what} says what was being done ("attach of volume v1 to vm web1"). */
    static StorageException map(String what, LibvirtException e, String... secrets) {
        ErrorNumber code = e.getError() == null ? ErrorNumber.VIR_ERR_UNKNOWN : e.getError().getCode();
        String message = e.getError() == null ? e.getMessage() : e.getError().getMessage();
        return map(what, code, message, e, secrets);
    }

    static StorageException map(String what, LibvirtCallException e, String... secrets) {
        ErrorNumber[] all = ErrorNumber.values();
        ErrorNumber code = e.code() >= 0 && e.code() < all.length ? all[e.code()] : ErrorNumber.VIR_ERR_UNKNOWN;
        return map(what, code, e.getMessage(), e, secrets);
    }

    static StorageException map(String what, ErrorNumber code, String libvirtMessage, Throwable libvirtCause, String... secrets) {
        // the cause carries libvirt's unredacted text: keep it only where no secret was in play
        Throwable cause = secrets.length == 0 ? libvirtCause : null;
        String detail = oneLine(libvirtMessage, secrets);
        String lower = detail.toLowerCase(Locale.ROOT);
        String message = what + " failed: " + detail;
        // libiscsi's login errors come back inside QEMU's blockdev-add error text
        if (lower.contains("authentication failure") || code == ErrorNumber.VIR_ERR_AUTH_FAILED) {
            return new StorageException(Reason.AUTHENTICATION, "target.chap",
                    what + " failed: the iSCSI target refused the CHAP credentials (" + detail + ")", cause);
        }
        if (lower.contains("target not found")) {
            // tgt and most SANs also answer so when the target exists but does not admit the initiator
            return new StorageException(Reason.NOT_FOUND, "target.name", what + " failed: the portal does not know the iSCSI"
                    + " target, or the target does not admit this host's initiator (" + detail + ")", cause);
        }
        if (lower.contains("authorization failure") || lower.contains("initiator") && lower.contains("not allowed")) {
            return new StorageException(Reason.AUTHENTICATION, "target", what
                    + " failed: the iSCSI target does not admit this host's initiator (" + detail + ")", cause);
        }
        if (lower.contains("cannot grow iscsi devices")) {
            // QEMU re-read the LUN's capacity and found less than asked
            return new StorageException(Reason.BACKEND_FAILURE, "size", what
                    + " failed: the LUN is smaller than the size asked, the SAN has not grown it (" + detail + ")", cause);
        }
        return switch (code) {
            case VIR_ERR_NO_DOMAIN -> new StorageException(Reason.NOT_FOUND, "vm", message, cause);
            case VIR_ERR_NO_STORAGE_POOL -> new StorageException(Reason.NOT_FOUND, "structure", message, cause);
            case VIR_ERR_NO_STORAGE_VOL, VIR_ERR_NO_SECRET -> new StorageException(Reason.NOT_FOUND, null, message, cause);
            case VIR_ERR_STORAGE_VOL_EXIST -> new StorageException(Reason.ALREADY_EXISTS, null, message, cause);
            case VIR_ERR_OPERATION_INVALID -> new StorageException(Reason.CONFLICT,
                    lower.contains("domain is not running") ? "vm" : null, message, cause);
            case VIR_ERR_NO_CONNECT, VIR_ERR_INVALID_CONN, VIR_ERR_RPC, VIR_ERR_SYSTEM_ERROR, VIR_ERR_NO_SERVER,
                 VIR_ERR_OPERATION_TIMEOUT, VIR_ERR_SSH, VIR_ERR_LIBSSH, VIR_ERR_GNUTLS_ERROR ->
                    new StorageException(Reason.UNAVAILABLE, null, message, cause);
            case VIR_ERR_AUTH_CANCELLED, VIR_ERR_AUTH_UNAVAILABLE, VIR_ERR_ACCESS_DENIED, VIR_ERR_OPERATION_DENIED ->
                    new StorageException(Reason.AUTHENTICATION, null, message, cause);
            case VIR_ERR_XML_ERROR, VIR_ERR_XML_DETAIL, VIR_ERR_CONFIG_UNSUPPORTED, VIR_ERR_INVALID_ARG ->
                    new StorageException(Reason.INVALID_ARGUMENT, null, message, cause);
            default -> new StorageException(Reason.BACKEND_FAILURE, null, message, cause);
        };
    }

    /** Whether {@code e} says the object looked up does not exist. */
    static boolean isNotFound(LibvirtException e, ErrorNumber expected) {
        return e.getError() != null && e.getError().getCode() == expected;
    }

    static String oneLine(String message, String... secrets) {
        String m = message == null ? "unknown libvirt error" : message;
        for (String s : secrets) {
            if (s != null && !s.isEmpty()) {
                m = m.replace(s, "********");
            }
        }
        return m.replaceAll("\\s+", " ").trim();
    }
}
