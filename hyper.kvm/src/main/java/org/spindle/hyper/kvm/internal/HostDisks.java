package org.spindle.hyper.kvm.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.libvirt.Domain;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.spindle.storage.api.attach.Attachment;

/**
 * The disks of Spindle volumes on one host, as libvirt shows them now, whoever attached them: every domain (running
 * or not) whose live or persistent XML has a disk with a Spindle alias ({@code ua-spindle-<volume>}).
 */
final class HostDisks {
    private static final String PREFIX = "ua-spindle-";
    /** {@code VIR_CONNECT_LIST_DOMAINS}: 0 lists every domain, active and inactive. */
    private static final int ALL = 0;

    private final String host;
    private final LibvirtConnection libvirt;

    HostDisks(String host, LibvirtConnection libvirt) {
        this.host = host;
        this.libvirt = libvirt;
    }

    /** Every Spindle disk on the host, one per volume and VM. */
    List<Attachment> all() throws LibvirtException {
        List<Attachment> out = new ArrayList<>();
        for (Domain d : libvirt.get().listAllDomains(ALL)) {
            try {
                out.addAll(of(d));
            } catch (LibvirtException e) {
                if (!LibvirtErrors.isNotFound(e, ErrorNumber.VIR_ERR_NO_DOMAIN)) {
                    throw e; // a domain undefined while listing is simply not there
                }
            } finally {
                d.free();
            }
        }
        return out;
    }

    /** The Spindle disks of one domain (live and persistent views together). */
    List<Attachment> of(Domain d) throws LibvirtException {
        DomainState s = DomainState.of(d);
        Map<UUID, DomainXml.Disk> disks = new LinkedHashMap<>();
        for (DomainXml xml : List.of(s.current(), s.config())) {
            for (DomainXml.Disk disk : xml.disks()) {
                volume(disk).ifPresent(id -> disks.putIfAbsent(id, disk));
            }
        }
        String vmId = Domains.id(d);
        String name = d.getName();
        List<Attachment> out = new ArrayList<>();
        disks.forEach((id, disk) -> out.add(new Attachment(id, vmId, name, host, disk.dev(), disk.secretUsage(), disk.isNetwork())));
        return out;
    }

    /** The Spindle volume a disk belongs to, from its alias. */
    static Optional<UUID> volume(DomainXml.Disk disk) {
        String alias = disk.alias();
        if (alias == null || !alias.startsWith(PREFIX)) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(alias.substring(PREFIX.length())));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
