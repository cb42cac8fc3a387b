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
 *
 * <p>The usage is {@code spindle-<vm uuid>-<volume uuid>}: libvirt's schema allows only letters, digits, '_', '+'
 * and '-' in a disk's {@code <secret usage>} and no '/' in a secret's usage target. Builds before this one used
 * {@code spindle/<vm uuid>/<volume uuid>} under the same derived UUID; such a secret is found by that UUID, so
 * detach removes it, and an attach that finds it redefines it under the usage its disk names.
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

    /** The usage id the disk's {@code <auth><secret type='iscsi' usage=…/>} names (valid in libvirt's schema). */
    static String usage(UUID volumeId, String vmId) {
        return "spindle-" + vmId + "-" + volumeId;
    }

    /** The usage id builds before this one gave the secret (under the same UUID); libvirt's schema refuses it. */
    static String legacyUsage(UUID volumeId, String vmId) {
        return "spindle/" + vmId + "/" + volumeId;
    }

    /**
     * Defines (or redefines) the secret of a volume on a VM with the CHAP secret as its value, under {@code usage}
     * ({@link #usage} for a new disk; for a disk that is already there, the usage it names). libvirt refuses to change
     * the usage of a defined secret, so a secret of ours (the same UUID) under another usage is removed first.
     */
    void define(AttachRequest r, String vmId, Chap chap, String usage) throws LibvirtException {
        if (chap.isMutual()) {
            LOG.warn("volume {}: mutual CHAP is not supported by QEMU's iSCSI initiator; the target is not authenticated",
                    r.volumeId());
        }
        UUID uuid = uuid(r.volumeId(), vmId);
        Secret old = lookup(uuid);
        if (old != null) {
            try {
                String oldUsage = old.getUsageID();
                if (!usage.equals(oldUsage)) {
                    LOG.info("volume {} on vm {}: secret {} has usage {}; redefining it as {}", r.volumeId(), vmId, uuid,
                            oldUsage, usage);
                    old.undefine();
                }
            } finally {
                old.free();
            }
        }
        Secret secret = libvirt.get().secretDefineXML(DiskXml.secret(uuid, usage,
                "Spindle CHAP secret of volume " + r.volumeName() + " on vm " + r.vm().name()));
        byte[] value = chap.secret().reveal().getBytes(StandardCharsets.UTF_8);
        try {
            secret.setValue(value);
        } finally {
            Arrays.fill(value, (byte) 0);
            secret.free();
        }
    }

    /** Removes the secret of a volume and VM, whatever its usage (this build's or an older one's); nothing to remove is fine. */
    void undefine(UUID volumeId, String vmId) throws LibvirtException {
        Secret s = lookup(uuid(volumeId, vmId));
        if (s == null) {
            return;
        }
        try {
            s.undefine();
        } finally {
            s.free();
        }
    }

    private Secret lookup(UUID uuid) throws LibvirtException {
        try {
            return libvirt.get().secretLookupByUUIDString(uuid.toString());
        } catch (LibvirtException e) {
            if (LibvirtErrors.isNotFound(e, ErrorNumber.VIR_ERR_NO_SECRET)) {
                return null;
            }
            throw e;
        }
    }
}
