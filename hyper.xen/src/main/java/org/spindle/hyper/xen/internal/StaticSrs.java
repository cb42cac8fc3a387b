package org.spindle.hyper.xen.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.spindle.storage.api.Protocols;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.attach.StaticDiskRequest;

import com.xensource.xenapi.SR;
import com.xensource.xenapi.Types;
import com.xensource.xenapi.VDI;

/**
 * Disks in SRs the operator made and named in {@code static.srs}: a VDI per volume, labelled like a managed one
 * ({@code name_description = spindle:<volume uuid>}), addressed as {@code xen:<SR name_label>/<VDI uuid>}.
 */
final class StaticSrs {
    static final String PREFIX = "xen:";
    private final XenClient xen;
    private final List<String> names;

    StaticSrs(XenClient xen, List<String> names) {
        this.xen = xen;
        this.names = List.copyOf(names);
    }

    List<String> names() {
        return names;
    }

    Target createDisk(StaticDiskRequest request) {
        if (!names.contains(request.structure())) {
            throw new StorageException(StorageException.Reason.NOT_FOUND, "structure", "SR '" + request.structure()
                    + "' is not one of this pool's static SRs " + names, null);
        }
        String label = SrStructure.label(request.volumeId());
        String vdiUuid = xen.call("VDI.create", c -> {
            Set<SR> srs = SR.getByNameLabel(c, request.structure());
            if (srs.size() != 1) {
                throw new StorageException(StorageException.Reason.CONFLICT, "structure", srs.size() + " SRs are named '"
                        + request.structure() + "' in the pool: name exactly one so", null);
            }
            SR sr = srs.iterator().next();
            for (VDI v : sr.getVDIs(c)) {
                if (label.equals(v.getNameDescription(c))) {
                    return v.getUuid(c);
                }
            }
            VDI.Record r = new VDI.Record();
            r.nameLabel = request.name();
            r.nameDescription = label;
            r.SR = sr;
            r.virtualSize = request.sizeBytes();
            r.type = Types.VdiType.USER;
            r.sharable = false;
            r.readOnly = false;
            r.otherConfig = Map.of(VbdDisks.LABEL, request.volumeId().toString());
            r.xenstoreData = Map.of();
            r.smConfig = Map.of();
            r.tags = Set.of();
            return VDI.create(c, r).getUuid(c);
        });
        return new Target(Protocols.FILE, List.of(), PREFIX + request.structure() + "/" + vdiUuid, 0, null, null);
    }

    /** The VDI a static target names. */
    VDI vdi(Target disk) {
        String uuid = vdiUuid(disk);
        return xen.call("VDI.get_by_uuid", c -> {
            try {
                return VDI.getByUuid(c, uuid);
            } catch (Types.UuidInvalid e) {
                throw new StorageException(StorageException.Reason.NOT_FOUND, "target.name", "VDI " + uuid + " is not in the pool", null);
            }
        });
    }

    void deleteDisk(Target disk) {
        String uuid = vdiUuid(disk);
        xen.call("VDI.destroy", c -> {
            try {
                VDI.getByUuid(c, uuid).destroy(c);
            } catch (Types.UuidInvalid gone) {
                // already deleted
            } catch (Types.VdiInUse e) {
                throw new StorageException(StorageException.Reason.CONFLICT, "volume", "VDI " + uuid + " is still attached", null);
            }
            return null;
        });
    }

    static String vdiUuid(Target disk) {
        String name = disk.name();
        int slash = name.lastIndexOf('/');
        if (!Protocols.FILE.equals(disk.protocol()) || !name.startsWith(PREFIX) || slash < 0) {
            throw StorageException.invalid("target.name", "a Xen static disk is file xen:<SR>/<VDI uuid> (was " + disk.protocol()
                    + " '" + name + "')");
        }
        String uuid = name.substring(slash + 1);
        try {
            return UUID.fromString(uuid).toString();
        } catch (IllegalArgumentException e) {
            throw StorageException.invalid("target.name", "ends in no VDI uuid: '" + name + "'");
        }
    }
}
