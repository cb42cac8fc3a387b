package org.spindle.hyper.kvm.internal;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import org.libvirt.Domain;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;
import org.spindle.storage.api.attach.VmInfo;

/**
 * Finds the domains of one host. A VM is named by the caller with its libvirt name or UUID; once attached it is
 * found by its UUID only ({@link VmInfo#id()}, {@code Attachment.vmId()}), which survives a rename.
 */
final class Domains {
    /** libvirt's UUID form (virsh prints it so; lookups ignore case). */
    private static final Pattern UUID_FORM = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    /** Longer names are not a VM anyone typed; libvirt itself only refuses '/' and an empty name. */
    static final int MAX_NAME = 255;

    private final String host;
    private final LibvirtConnection libvirt;

    Domains(String host, LibvirtConnection libvirt) {
        this.host = host;
        this.libvirt = libvirt;
    }

    /**
     * The domain whose UUID or name is {@code nameOrId}. A UUID-shaped value is looked up as a UUID and as a
     * name; should it be the UUID of one domain and the name of another, the caller must say which.
     */
    Optional<Domain> find(String nameOrId) throws LibvirtException {
        checkNameOrId(nameOrId);
        if (!UUID_FORM.matcher(nameOrId).matches()) {
            return byName(nameOrId);
        }
        Optional<Domain> byId = byUuid(nameOrId);
        Optional<Domain> byName = byName(nameOrId);
        if (byId.isPresent() && byName.isPresent() && !byId.get().getUUIDString().equals(byName.get().getUUIDString())) {
            throw new StorageException(Reason.CONFLICT, "vm", "'" + nameOrId + "' is the UUID of vm " + byId.get().getName()
                    + " and the name of the vm with UUID " + byName.get().getUUIDString() + " on KVM host " + host
                    + ": name the vm by its UUID", null);
        }
        return byId.isPresent() ? byId : byName;
    }

    /** The domain with UUID {@code vmId} (an attachment's or a request's VM id); NOT_FOUND naming {@code vm} when gone. */
    Domain byId(String vmId) throws LibvirtException {
        return byIdIfPresent(vmId).orElseThrow(() -> new StorageException(Reason.NOT_FOUND, "vm",
                "vm " + vmId + " does not exist on KVM host " + host, null));
    }

    /** The domain with UUID {@code vmId}, if it is still defined. */
    Optional<Domain> byIdIfPresent(String vmId) throws LibvirtException {
        if (vmId == null || !UUID_FORM.matcher(vmId).matches()) {
            throw StorageException.invalid("vm.id", "a KVM vm id is the libvirt domain UUID, e.g. "
                    + "4dea22b3-1d52-d8f3-2516-782e98ab3fa0 (was '" + vmId + "')");
        }
        return byUuid(vmId);
    }

    /** What a caller learns about a domain. */
    VmInfo info(Domain d) throws LibvirtException {
        return new VmInfo(id(d), d.getName(), host, running(d));
    }

    /** The stable id of a domain: its UUID, in lower case. */
    static String id(Domain d) throws LibvirtException {
        return d.getUUIDString().toLowerCase(Locale.ROOT);
    }

    static boolean running(Domain d) throws LibvirtException {
        return d.isActive() == 1;
    }

    /** Refuses what cannot be a libvirt domain name or UUID, naming the field {@code vm}. */
    static void checkNameOrId(String nameOrId) {
        if (nameOrId == null || nameOrId.isBlank()) {
            throw StorageException.invalid("vm", "must be a libvirt domain name or UUID (was empty)");
        }
        if (nameOrId.length() > MAX_NAME) {
            throw StorageException.invalid("vm", "must be a libvirt domain name or UUID of at most " + MAX_NAME
                    + " characters (was " + nameOrId.length() + ")");
        }
        for (char c : nameOrId.toCharArray()) {
            if (c == '/' || Character.isISOControl(c)) {
                throw StorageException.invalid("vm", "a libvirt domain name contains no '/' and no control character");
            }
        }
    }

    private Optional<Domain> byName(String name) throws LibvirtException {
        try {
            return Optional.of(libvirt.get().domainLookupByName(name));
        } catch (LibvirtException e) {
            if (LibvirtErrors.isNotFound(e, ErrorNumber.VIR_ERR_NO_DOMAIN)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private Optional<Domain> byUuid(String uuid) throws LibvirtException {
        try {
            return Optional.of(libvirt.get().domainLookupByUUIDString(uuid.toLowerCase(Locale.ROOT)));
        } catch (LibvirtException e) {
            if (LibvirtErrors.isNotFound(e, ErrorNumber.VIR_ERR_NO_DOMAIN)) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
