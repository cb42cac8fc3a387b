package org.spindle.driver.solidfire.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spindle.driver.solidfire.internal.element.ElementApi;
import org.spindle.driver.solidfire.internal.element.ElementException;
import org.spindle.driver.solidfire.internal.element.ElementTransportException;
import org.spindle.driver.solidfire.internal.element.Wire;
import org.spindle.storage.api.Chap;
import org.spindle.storage.api.IoStats;
import org.spindle.storage.api.Protocols;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.PoolCapacity;
import org.spindle.storage.api.driver.HostGroup;
import org.spindle.storage.api.driver.SanVolume;
import org.spindle.storage.api.driver.SanVolumeRef;
import org.spindle.storage.api.driver.SanVolumeRequest;
import org.spindle.storage.api.driver.StorageDriver;
import org.spindle.storage.api.qos.StorageQos;

/**
 * One SolidFire cluster as a Spindle pool. {@code sanId} is the Element volumeID (decimal); a ref without one
 * (the create's answer was lost) is found by the {@value VolumeNaming#UUID_ATTRIBUTE} attribute. Sizes are bytes;
 * Element rounds them up (the returned size is the SAN's).
 */
final class SolidFireStorageDriver implements StorageDriver {
    private static final Logger LOG = LoggerFactory.getLogger(SolidFireStorageDriver.class);

    private final ClusterSettings settings;
    private final ClusterSession session;
    private final Accounts accounts;
    private final AccessGroups groups;
    private final QosRules qos;
    private final GuaranteedIops guaranteed;
    /** Spindle volume → Element volumeID, as last seen: lets findVolume read one volume instead of listing all. */
    private final Map<UUID, Long> sanIds = new ConcurrentHashMap<>();
    private final Failures failures;

    SolidFireStorageDriver(ClusterSettings settings, ClusterSession session, Accounts accounts, AccessGroups groups,
                           QosRules qos, GuaranteedIops guaranteed) {
        this.settings = settings;
        this.session = session;
        this.accounts = accounts;
        this.groups = groups;
        this.qos = qos;
        this.guaranteed = guaranteed;
        this.failures = new Failures(settings.mvip());
    }

    @Override
    public SanVolume createVolume(SanVolumeRequest request) {
        return failures.guard("create volume " + request.name(), () -> {
            ClusterFacts facts = session.facts();
            if (request.sizeBytes() < facts.limits().sizeMin()) {
                throw StorageException.invalid("size", "must be at least " + facts.limits().sizeMin()
                        + " bytes on this SolidFire cluster (" + facts.limits().source() + " volumeSizeMin; was "
                        + request.sizeBytes() + ")");
            }
            Wire.Qos q = qos.resolve(request.qos(), facts);
            ElementApi api = session.api();
            Wire.Account account = accounts.ensure(api, request.tenant());
            String sanName = VolumeNaming.sanName(request.name());
            Optional<Wire.Volume> existing = findActive(api.volumesNamed(account.accountID(), sanName), request.volumeId());
            if (existing.isPresent()) {
                LOG.info("Volume {} ({}) exists already as SolidFire volume {}: a repeated create", request.name(),
                        request.volumeId(), existing.get().volumeID());
                seen(existing.get());
                return san(request.volumeId(), existing.get());
            }
            Wire.Volume created;
            try {
                created = api.createVolume(new ElementApi.NewVolume(sanName,
                        account.accountID(), request.sizeBytes(), settings.enable512e(), q, VolumeNaming.attributes(request)));
            } catch (ElementTransportException e) {
                if (!e.ambiguous()) {
                    throw e;
                }
                // the create may have happened: look before anyone creates it again
                Optional<Wire.Volume> made = findActive(api.volumesNamed(account.accountID(), sanName), request.volumeId());
                if (made.isEmpty()) {
                    throw e;
                }
                LOG.info("Volume {}: CreateVolume's answer was lost, but the volume was made (SolidFire volume {})",
                        request.name(), made.get().volumeID());
                created = made.get();
            }
            LOG.info("Volume {} ({}) created as SolidFire volume {} in account {}: {} bytes, QoS {}/{}/{} IOPS",
                    request.name(), request.volumeId(), created.volumeID(), account.username(), created.totalSize(),
                    created.qos().minIOPS(), created.qos().maxIOPS(), created.qos().burstIOPS());
            seen(created);
            return san(request.volumeId(), created);
        });
    }

    @Override
    public void deleteVolume(SanVolumeRef ref) {
        failures.guard("delete volume " + ref.volumeId(), () -> {
            ElementApi api = session.api();
            List<Wire.Volume> targets;
            if (ref.sanId() != null) {
                Optional<Wire.Volume> v = api.getVolume(volumeId(ref));
                if (v.isPresent() && !VolumeNaming.belongsTo(v.get(), ref.volumeId())) {
                    throw new StorageException(Reason.CONFLICT, "sanId", "SolidFire " + settings.mvip() + ": volume "
                            + ref.sanId() + " is not Spindle volume " + ref.volumeId() + "; refusing to delete it", null);
                }
                targets = v.stream().toList();
            } else {
                targets = listActive(api).stream().filter(v -> VolumeNaming.belongsTo(v, ref.volumeId())).toList();
                if (targets.isEmpty()) {
                    targets = api.listDeletedVolumes().stream().filter(v -> VolumeNaming.belongsTo(v, ref.volumeId())).toList();
                }
            }
            if (targets.isEmpty()) {
                LOG.info("Volume {}: nothing to delete on SolidFire (gone already)", ref.volumeId());
            }
            for (Wire.Volume v : targets) {
                deleteAndPurge(api, v);
            }
        });
    }

    private void deleteAndPurge(ElementApi api, Wire.Volume v) {
        if (v.active()) {
            try {
                api.deleteVolume(v.volumeID());
            } catch (ElementException e) {
                if (!e.is("xVolumeIDDoesNotExist")) {
                    throw e;
                }
            }
        }
        guaranteed.removed(v.volumeID());
        UUID owner = VolumeNaming.owner(v);
        if (owner != null) {
            sanIds.remove(owner, v.volumeID());
        }
        try {
            api.purgeDeletedVolume(v.volumeID());
        } catch (ElementException e) {
            if (!e.is("xVolumeIDDoesNotExist")) {
                throw e;
            }
        }
        LOG.info("Volume {}: SolidFire volume {} deleted and purged", v.attribute(VolumeNaming.UUID_ATTRIBUTE), v.volumeID());
    }

    @Override
    public SanVolume resizeVolume(SanVolumeRef ref, long newSizeBytes) {
        return failures.guard("resize volume " + ref.volumeId(), () -> {
            ElementApi api = session.api();
            Wire.Volume v = require(api, ref);
            if (newSizeBytes <= v.totalSize()) {
                if (newSizeBytes > v.totalSize() - (1L << 20)) {
                    return san(ref.volumeId(), v); // rounds to the size it has
                }
                throw StorageException.invalid("size", "SolidFire volumes only grow: volume " + ref.volumeId() + " has "
                        + v.totalSize() + " bytes, asked " + newSizeBytes);
            }
            Wire.Volume grown = api.modifyVolume(v.volumeID(), newSizeBytes, null);
            seen(grown);
            LOG.info("Volume {}: SolidFire volume {} grown from {} to {} bytes", ref.volumeId(), v.volumeID(),
                    v.totalSize(), grown.totalSize());
            return san(ref.volumeId(), grown);
        });
    }

    @Override
    public void modifyQos(SanVolumeRef ref, StorageQos requested) {
        failures.guard("change the QoS of volume " + ref.volumeId(), () -> {
            Wire.Qos q = qos.resolve(requested, session.facts());
            ElementApi api = session.api();
            long id = ref.sanId() != null ? volumeId(ref) : require(api, ref).volumeID();
            Wire.Volume changed = api.modifyVolume(id, null, q);
            seen(changed);
            LOG.info("Volume {}: SolidFire volume {} QoS now {}/{}/{} IOPS", ref.volumeId(), id, changed.qos().minIOPS(),
                    changed.qos().maxIOPS(), changed.qos().burstIOPS());
        });
    }

    @Override
    public Target grantAccess(SanVolumeRef ref, HostGroup group) {
        return failures.guard("grant host group " + group.name() + " access to volume " + ref.volumeId(), () -> {
            ClusterFacts facts = session.facts();
            ElementApi api = session.api();
            Wire.Volume v = require(api, ref);
            Wire.Account account = api.getAccountById(v.accountID());
            groups.grant(api, v, group, facts.limits());
            LOG.info("Volume {}: SolidFire volume {} granted to host group {} ({} initiator(s))", ref.volumeId(),
                    v.volumeID(), group.name(), group.initiators().size());
            Target t = target(facts, v);
            return account.initiatorSecret() == null ? t : t.withChap(new Chap(account.username(), account.initiatorSecret()));
        });
    }

    @Override
    public void revokeAccess(SanVolumeRef ref, HostGroup group) {
        failures.guard("revoke host group " + group.name() + " access to volume " + ref.volumeId(), () -> {
            ElementApi api = session.api();
            Long id = ref.sanId() != null ? Long.valueOf(volumeId(ref)) : find(api, ref).map(Wire.Volume::volumeID).orElse(null);
            groups.revoke(api, id, group);
            LOG.info("Volume {}: SolidFire volume {} revoked from host group {}", ref.volumeId(), id, group.name());
        });
    }

    /**
     * A volume this driver has seen (created, listed, found) is read alone ({@code ListVolumes volumeIDs}); one it
     * has not, or one no longer there under that id, is looked for in one listing of the active volumes.
     */
    @Override
    public Optional<SanVolume> findVolume(UUID volumeId) {
        return failures.guard("find volume " + volumeId, () -> {
            ClusterFacts facts = session.facts();
            ElementApi api = session.api();
            Long known = sanIds.get(volumeId);
            if (known != null) {
                Optional<Wire.Volume> v = api.getVolume(known).filter(x -> x.active() && VolumeNaming.belongsTo(x, volumeId));
                if (v.isPresent()) {
                    return v.map(x -> san(volumeId, x, facts));
                }
                sanIds.remove(volumeId, known);
            }
            return findActive(listActive(api), volumeId).map(v -> san(volumeId, v, facts));
        });
    }

    /**
     * One {@code GetClusterCapacity}; the guaranteed IOPS come from {@link GuaranteedIops}, which lists the volumes
     * only when no listing of the last {@link GuaranteedIops#MAX_AGE} is known.
     */
    @Override
    public PoolCapacity capacity() {
        return failures.guard("read the capacity", () -> {
            ElementApi api = session.api();
            Wire.Capacity c = api.getClusterCapacity();
            OptionalLong sum = guaranteed.sum();
            long provisionedIops = sum.isPresent() ? sum.getAsLong()
                    : listActive(api).stream().mapToLong(v -> v.qos().minIOPS()).sum();
            long iops = settings.capacityIops() > 0 ? settings.capacityIops() : c.maxIOPS();
            return new PoolCapacity(c.maxProvisionedSpace(), c.provisionedSpace(), iops, provisionedIops);
        });
    }

    @Override
    public IoStats volumeStats(SanVolumeRef ref) {
        return failures.guard("read the statistics of volume " + ref.volumeId(), () -> {
            ElementApi api = session.api();
            long id = ref.sanId() != null ? volumeId(ref) : require(api, ref).volumeID();
            Wire.VolumeStats s = api.getVolumeStats(id);
            return new IoStats(s.readOps(), s.writeOps(), s.readBytes(), s.writeBytes(), s.timestamp());
        });
    }

    @Override
    public List<SanVolume> listVolumes() {
        return failures.guard("list volumes", () -> {
            ClusterFacts facts = session.facts();
            ElementApi api = session.api();
            List<Wire.Volume> spindle = listActive(api).stream().filter(v -> VolumeNaming.owner(v) != null).toList();
            Set<Long> ours = accounts.ownedAmong(api, spindle.stream().map(Wire.Volume::accountID).collect(Collectors.toSet()));
            return spindle.stream()
                    .filter(v -> ours.contains(v.accountID()))
                    .map(v -> san(VolumeNaming.owner(v), v, facts))
                    .toList();
        });
    }

    // ---- helpers

    private long volumeId(SanVolumeRef ref) {
        try {
            return Long.parseLong(ref.sanId());
        } catch (NumberFormatException e) {
            throw StorageException.invalid("sanId", "is not a SolidFire volumeID (was '" + ref.sanId() + "')");
        }
    }

    /** The active SAN volume of a ref: by volumeID (checking it carries the UUID), or by UUID. */
    private Wire.Volume require(ElementApi api, SanVolumeRef ref) {
        return find(api, ref).filter(Wire.Volume::active).orElseThrow(() -> new StorageException(Reason.NOT_FOUND,
                "volume", "SolidFire " + settings.mvip() + ": volume " + ref.volumeId()
                + (ref.sanId() != null ? " (SolidFire volume " + ref.sanId() + ")" : "") + " does not exist", null));
    }

    private Optional<Wire.Volume> find(ElementApi api, SanVolumeRef ref) {
        if (ref.sanId() == null) {
            return findActive(listActive(api), ref.volumeId());
        }
        Optional<Wire.Volume> v = api.getVolume(volumeId(ref));
        if (v.isPresent() && !VolumeNaming.belongsTo(v.get(), ref.volumeId())) {
            throw new StorageException(Reason.CONFLICT, "sanId", "SolidFire " + settings.mvip() + ": volume "
                    + ref.sanId() + " is not Spindle volume " + ref.volumeId(), null);
        }
        return v;
    }

    /** Every active volume of the cluster; the listing also refreshes the guaranteed IOPS and the known volumeIDs. */
    private List<Wire.Volume> listActive(ElementApi api) {
        long startedAt = guaranteed.now();
        List<Wire.Volume> all = api.listActiveVolumes();
        guaranteed.listed(all, startedAt);
        for (Wire.Volume v : all) {
            UUID owner = VolumeNaming.owner(v);
            if (owner != null) {
                sanIds.put(owner, v.volumeID());
            }
        }
        return all;
    }

    /** A volume the driver made or changed, as the SAN answered. */
    private void seen(Wire.Volume v) {
        guaranteed.put(v);
        UUID owner = VolumeNaming.owner(v);
        if (owner != null && v.active()) {
            sanIds.put(owner, v.volumeID());
        }
    }

    private static Optional<Wire.Volume> findActive(List<Wire.Volume> volumes, UUID id) {
        return volumes.stream().filter(v -> v.active() && VolumeNaming.belongsTo(v, id)).findFirst();
    }

    private SanVolume san(UUID id, Wire.Volume v) {
        return san(id, v, session.facts());
    }

    private SanVolume san(UUID id, Wire.Volume v, ClusterFacts facts) {
        return new SanVolume(id, Long.toString(v.volumeID()), v.totalSize(),
                new StorageQos(v.qos().minIOPS(), v.qos().maxIOPS(), v.qos().burstIOPS()), target(facts, v));
    }

    /** svip:3260, the volume's IQN and LUN, and its NAA id when the cluster reports one. */
    private Target target(ClusterFacts facts, Wire.Volume v) {
        return new Target(Protocols.ISCSI, List.of(facts.portal()), v.iqn(), settings.targetLun(), deviceId(v), null);
    }

    static String deviceId(Wire.Volume v) {
        String naa = v.scsiNAADeviceID().strip().toLowerCase(Locale.ROOT);
        return naa.matches("[0-9a-f]{8,64}") ? "naa." + naa : null;
    }
}
