package org.spindle.hyper.kvm.internal;

import java.util.List;

import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.libvirt.StoragePool;
import org.libvirt.StorageVol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spindle.storage.api.Protocols;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.attach.StaticDiskRequest;

/**
 * Static pools: volumes inside libvirt storage pools the operator defined and listed in {@code structures}.
 * A disk's target is {@code file:<pool>/<volume>}.
 */
final class PoolDisks {
    private static final Logger LOG = LoggerFactory.getLogger(PoolDisks.class);

    /** A volume of a pool. */
    record PoolVolume(String pool, String volume) {
    }

    private final HostSettings settings;
    private final LibvirtConnection libvirt;

    PoolDisks(HostSettings settings, LibvirtConnection libvirt) {
        this.settings = settings;
        this.libvirt = libvirt;
    }

    /** The volume name of a Spindle volume: unique, and a valid file name in a dir pool. */
    static String volumeName(StaticDiskRequest r) {
        return "spindle-" + r.volumeId() + ".raw";
    }

    Target create(StaticDiskRequest r) throws LibvirtException {
        if (r.sizeBytes() <= 0) {
            throw StorageException.invalid("sizeBytes", "must be positive (was " + r.sizeBytes() + ")");
        }
        StoragePool pool = pool(r.structure());
        try {
            String name = volumeName(r);
            StorageVol existing = volume(pool, name);
            if (existing != null) {
                long capacity = existing.getInfo().capacity;
                existing.free();
                if (capacity != r.sizeBytes()) {
                    throw new StorageException(Reason.ALREADY_EXISTS, "name", "volume " + name + " exists in pool "
                            + r.structure() + " with " + capacity + " bytes, not " + r.sizeBytes(), null);
                }
                LOG.info("volume {} already exists in pool {}", name, r.structure());
            } else {
                pool.storageVolCreateXML(DiskXml.rawVolume(name, r.sizeBytes()), 0).free();
                LOG.info("created volume {} ({} bytes) in pool {} for {}", name, r.sizeBytes(), r.structure(), r.name());
            }
            return new Target(Protocols.FILE, List.of(), r.structure() + "/" + name, 0, null, null);
        } finally {
            pool.free();
        }
    }

    void delete(Target disk) throws LibvirtException {
        PoolVolume pv = parse(disk);
        StoragePool pool = pool(pv.pool());
        try {
            StorageVol v = volume(pool, pv.volume());
            if (v == null) {
                LOG.info("volume {} is not in pool {} (nothing to delete)", pv.volume(), pv.pool());
                return;
            }
            try {
                v.delete(0);
            } finally {
                v.free();
            }
            LOG.info("deleted volume {} from pool {}", pv.volume(), pv.pool());
        } finally {
            pool.free();
        }
    }

    /** The pool and volume of a {@code file} target, after checking both exist. */
    PoolVolume resolve(Target disk) throws LibvirtException {
        PoolVolume pv = parse(disk);
        StoragePool pool = pool(pv.pool());
        try {
            StorageVol v = volume(pool, pv.volume());
            if (v == null) {
                throw new StorageException(Reason.NOT_FOUND, "target.name", "volume " + pv.volume() + " is not in pool " + pv.pool(), null);
            }
            v.free();
            return pv;
        } finally {
            pool.free();
        }
    }

    private PoolVolume parse(Target disk) {
        if (!Protocols.FILE.equals(disk.protocol())) {
            throw StorageException.invalid("target.protocol", "static disks of a KVM host are file targets (was " + disk.protocol() + ")");
        }
        int slash = disk.name().indexOf('/');
        if (slash <= 0 || slash == disk.name().length() - 1) {
            throw StorageException.invalid("target.name", "a static disk is <pool>/<volume> (was '" + disk.name() + "')");
        }
        return new PoolVolume(disk.name().substring(0, slash), disk.name().substring(slash + 1));
    }

    private StoragePool pool(String name) throws LibvirtException {
        if (!settings.structures().contains(name)) {
            throw new StorageException(Reason.NOT_FOUND, "structure", "KVM host " + settings.host() + " has no static structure '"
                    + name + "'" + (settings.structures().isEmpty() ? " (none configured)" : " (configured: "
                    + String.join(", ", settings.structures()) + ")"), null);
        }
        StoragePool pool;
        try {
            pool = libvirt.get().storagePoolLookupByName(name);
        } catch (LibvirtException e) {
            if (LibvirtErrors.isNotFound(e, ErrorNumber.VIR_ERR_NO_STORAGE_POOL)) {
                throw new StorageException(Reason.NOT_FOUND, "structure", "libvirt on " + settings.host() + " has no storage pool '"
                        + name + "'", null);
            }
            throw e;
        }
        if (pool.isActive() != 1) {
            pool.free();
            throw new StorageException(Reason.CONFLICT, "structure", "storage pool " + name + " on " + settings.host()
                    + " is not active (virsh pool-start " + name + ")", null);
        }
        return pool;
    }

    private static StorageVol volume(StoragePool pool, String name) throws LibvirtException {
        try {
            return pool.storageVolLookupByName(name);
        } catch (LibvirtException e) {
            if (LibvirtErrors.isNotFound(e, ErrorNumber.VIR_ERR_NO_STORAGE_VOL)) {
                return null;
            }
            throw e;
        }
    }
}
