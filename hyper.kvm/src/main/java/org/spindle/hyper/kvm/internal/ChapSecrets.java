package org.spindle.hyper.kvm.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;

import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.libvirt.Secret;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spindle.storage.api.Chap;
import org.spindle.storage.api.attach.AttachRequest;

/**
 * The libvirt secrets holding CHAP secrets: one per volume and VM, private (libvirt never hands the value back) and
 * persistent (a config-only attach or a VM restart needs it). UUID and usage are derived from the volume and the
 * VM's id (its domain UUID, which a rename keeps), so detach finds the secret even after a restart or a rename,
 * and a leftover of a crash is simply redefined.
 */
final class ChapSecrets {
    private static final Logger LOG = LoggerFactory.getLogger(ChapSecrets.class);

    private final LibvirtConnection libvirt;

    ChapSecrets(LibvirtConnection libvirt) {
        this.libvirt = libvirt;
    }

    static UUID uuid(UUID volumeId, String vmId) {
        return UUID.nameUUIDFromBytes(("spindle-chap:" + volumeId + ":" + vmId).getBytes(StandardCharsets.UTF_8));
    }

    /** The usage id the disk's {@code <auth><secret type='iscsi' usage=…/>} names. */
    static String usage(UUID volumeId, String vmId) {
        return "spindle/" + vmId + "/" + volumeId;
    }

    /** Defines (or redefines) the secret of a volume on a VM with the CHAP secret as its value. */
    void define(AttachRequest r, String vmId, Chap chap) throws LibvirtException {
        if (chap.isMutual()) {
            LOG.warn("volume {}: mutual CHAP is not supported by QEMU's iSCSI initiator; the target is not authenticated",
                    r.volumeId());
        }
        Secret secret = libvirt.get().secretDefineXML(DiskXml.secret(uuid(r.volumeId(), vmId), usage(r.volumeId(), vmId),
                "Spindle CHAP secret of volume " + r.volumeName() + " on vm " + r.vm().name()));
        byte[] value = chap.secret().reveal().getBytes(StandardCharsets.UTF_8);
        try {
            secret.setValue(value);
        } finally {
            Arrays.fill(value, (byte) 0);
            secret.free();
        }
    }

    /** Removes the secret of a volume and VM; nothing to remove is fine. */
    void undefine(UUID volumeId, String vmId) throws LibvirtException {
        Secret s;
        try {
            s = libvirt.get().secretLookupByUUIDString(uuid(volumeId, vmId).toString());
        } catch (LibvirtException e) {
            if (LibvirtErrors.isNotFound(e, ErrorNumber.VIR_ERR_NO_SECRET)) {
                return;
            }
            throw e;
        }
        try {
            s.undefine();
        } finally {
            s.free();
        }
    }
}
