package org.spindle.hyper.kvm.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.libvirt.Domain;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.libvirt.Secret;

/**
 * Spindle's CHAP secrets on a host that no disk uses: an attach defines the secret first and then attaches the disk,
 * so a crash (or a lost connection) between the two leaves a secret without a disk, which holds a CHAP password for
 * nothing. A secret is Spindle's when its usage is {@code spindle-<vm uuid>-<volume uuid>} (or an older build's
 * {@code spindle/<vm uuid>/<volume uuid>}) and its UUID is the one {@link ChapSecrets#uuid} derives from them: a
 * secret someone else named alike is never taken for one. It has no disk when its VM is gone, or the VM has no disk of
 * that volume, live or in its configuration.
 *
 * <p>Only found, never removed here: whether the volume is still being attached, or belongs to another Spindle
 * installation sharing the host, is the core's knowledge; the core removes one by detaching the volume (a detach
 * with an empty device removes the secret).
 */
final class SecretOrphans {
    private static final String ID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
    private static final Pattern USAGE = Pattern.compile("spindle[-/](" + ID + ")[-/](" + ID + ")");

    /**
     * A Spindle secret without a disk.
     *
     * @param secret   the libvirt secret's UUID
     * @param volumeId the volume it was defined for
     * @param vmId     the VM it was defined for (libvirt UUID)
     * @param vmName   that VM's name, or empty when the VM is gone
     */
    record Orphan(UUID secret, UUID volumeId, String vmId, String vmName) {
    }

    private final LibvirtConnection libvirt;
    private final Domains domains;
    private final HostDisks disks;

    SecretOrphans(String host, LibvirtConnection libvirt) {
        this.libvirt = libvirt;
        this.domains = new Domains(host, libvirt);
        this.disks = new HostDisks(host, libvirt);
    }

    /** The volume and VM a secret of this usage and UUID was defined for, if it is Spindle's. */
    static Optional<Orphan> owner(String secretUuid, String usage) {
        Matcher m = usage == null ? null : USAGE.matcher(usage);
        if (m == null || !m.matches()) {
            return Optional.empty();
        }
        String vmId = m.group(1);
        UUID volumeId = UUID.fromString(m.group(2));
        if (!ChapSecrets.uuid(volumeId, vmId).toString().equalsIgnoreCase(secretUuid)) {
            return Optional.empty();
        }
        return Optional.of(new Orphan(UUID.fromString(secretUuid), volumeId, vmId, ""));
    }

    /** Every Spindle secret on the host that no disk uses now. */
    List<Orphan> find() throws LibvirtException {
        List<Orphan> out = new ArrayList<>();
        for (String uuid : libvirt.get().listSecrets()) {
            Optional<Orphan> ours = owner(uuid, usage(uuid));
            if (ours.isEmpty()) {
                continue;
            }
            Orphan o = ours.get();
            Optional<Domain> d = domains.byIdIfPresent(o.vmId());
            if (d.isEmpty()) {
                out.add(o);
                continue;
            }
            try {
                if (disks.of(d.get()).stream().noneMatch(a -> a.volumeId().equals(o.volumeId()))) {
                    out.add(new Orphan(o.secret(), o.volumeId(), o.vmId(), d.get().getName()));
                }
            } finally {
                d.get().free();
            }
        }
        return out;
    }

    /** The usage of secret {@code uuid}, or null when it is gone meanwhile. */
    private String usage(String uuid) throws LibvirtException {
        Secret s;
        try {
            s = libvirt.get().secretLookupByUUIDString(uuid);
        } catch (LibvirtException e) {
            if (LibvirtErrors.isNotFound(e, ErrorNumber.VIR_ERR_NO_SECRET)) {
                return null;
            }
            throw e;
        }
        try {
            return s.getUsageID();
        } finally {
            s.free();
        }
    }
}
