package org.spindle.hyper.vmware.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.spindle.hyper.vmware.internal.vim.VimFault;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;
import org.spindle.storage.api.attach.Attachment;

/**
 * A fault vCenter answers leaves the attach service as the SPI's StorageException, never as the client's own
 * VimFault: its reason says what vCenter meant, its message names the operation and the vCenter method, the
 * property vCenter named is the field of an invalid argument, and the fault is kept as the cause.
 */
class VimFaultsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "NotFound, NOT_FOUND", "ManagedObjectNotFound, NOT_FOUND", "AlreadyExists, ALREADY_EXISTS",
            "DuplicateName, ALREADY_EXISTS", "InvalidArgument, INVALID_ARGUMENT", "InvalidProperty, INVALID_ARGUMENT",
            "InvalidState, CONFLICT", "InvalidPowerState, CONFLICT", "ResourceInUse, CONFLICT", "TaskInProgress, BUSY",
            "NotAuthenticated, AUTHENTICATION", "InvalidLogin, AUTHENTICATION", "NoPermission, AUTHENTICATION",
            "HostNotConnected, UNAVAILABLE", "Timeout, UNAVAILABLE", "HostConfigFault, BACKEND_FAILURE",
            "SystemError, BACKEND_FAILURE", "SoapFault, BACKEND_FAILURE", "InvalidResponse, BACKEND_FAILURE"})
    void aFaultTypeStandsForTheMatchingReason(String type, Reason reason) {
        StorageException e = VimFaults.translate(new VimFault(type, "vCenter's words", null, "SomeMethod"), "attach of volume v");
        assertEquals(reason, e.reason());
        assertTrue(e.getMessage().contains("in attach of volume v: " + type + ": vCenter's words, answering SomeMethod"), e.getMessage());
    }

    @Test
    void anInvalidArgumentNamesThePropertyAsItsField() {
        VimFault f = new VimFault("InvalidArgument", "targets[0].address is required", "targets[0].address", "AddInternetScsiStaticTargets");
        StorageException e = VimFaults.translate(f, "attach of volume v");
        assertEquals("targets[0].address", e.field());
        assertSame(f, e.getCause());
        assertNull(VimFaults.translate(new VimFault("NotFound", "gone", "ignored", "X"), "op").field(), "only an invalid argument has a field");
        assertTrue(VimFaults.translate(new VimFault("InvalidLogin", "no", null, "Login"), "op").getMessage()
                .startsWith("vCenter refused the credentials or privileges of the service's user in op: InvalidLogin"));
    }

    /** A vCenter whose every call answers {@code fault}. */
    private static VmwareAttachService serviceFailingWith(VimFault fault) {
        InvocationHandler h = (proxy, method, args) -> {
            if (method.getName().equals("close")) {
                return null;
            }
            throw fault;
        };
        VSphere v = (VSphere) Proxy.newProxyInstance(VSphere.class.getClassLoader(), new Class<?>[] {VSphere.class}, h);
        return new VmwareAttachService(new VmwareCluster(v, "C0"));
    }

    @Test
    void theServicesCallersSeeAStorageExceptionNamingTheOperationAndTheMethod() {
        UUID id = UUID.randomUUID();
        VmwareAttachService s = serviceFailingWith(new VimFault("NotFound", "no VM vm-9", null, "RetrievePropertiesEx"));
        StorageException e = assertThrows(StorageException.class, () -> s.findVm("vm-9"));
        assertEquals(Reason.NOT_FOUND, e.reason());
        assertTrue(e.getMessage().equals("vCenter failed in finding VM vm-9: NotFound: no VM vm-9, answering RetrievePropertiesEx"),
                e.getMessage());

        VmwareAttachService busy = serviceFailingWith(new VimFault("InvalidState", "the host is in maintenance", null, "RescanHba"));
        Attachment a = new Attachment(id, "vm-uuid", "vm", "h0", "", "spindle-x", true);
        StorageException d = assertThrows(StorageException.class, () -> busy.detach(a, null));
        assertEquals(Reason.CONFLICT, d.reason());
        assertTrue(d.getMessage().contains("detach of volume " + id) && d.getMessage().endsWith("answering RescanHba"), d.getMessage());

        VmwareAttachService locked = serviceFailingWith(new VimFault("NotAuthenticated", "session ended", null, "RetrievePropertiesEx"));
        assertEquals(Reason.AUTHENTICATION, assertThrows(StorageException.class, () -> locked.findAttachment(id)).reason());
        assertEquals(Reason.AUTHENTICATION, assertThrows(StorageException.class, locked::attachments).reason());
        assertEquals(Reason.AUTHENTICATION, assertThrows(StorageException.class, () -> locked.limits(a)).reason());
    }
}
