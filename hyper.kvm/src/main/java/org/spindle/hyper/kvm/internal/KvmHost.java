package org.spindle.hyper.kvm.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;


import org.libvirt.Domain;
import org.libvirt.DomainBlockStats;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spindle.storage.api.Chap;
import org.spindle.storage.api.IoStats;
import org.spindle.storage.api.Protocols;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.attach.AttachRequest;
import org.spindle.storage.api.attach.Attachment;
import org.spindle.storage.api.attach.StaticDiskRequest;
import org.spindle.storage.api.attach.VmInfo;
import org.spindle.storage.api.qos.IoLimits;

/**
 * The attach operations on one KVM host, through its libvirt connection. Operations on one VM are serialized
 * (device names are allocated from its XML). Disks made here carry the user alias {@code ua-spindle-<volume>},
 * which is how later calls find them again, whatever the device name; the VM itself is found by its UUID.
 */
final class KvmHost implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KvmHost.class);

    private final HostSettings settings;
    private final LibvirtConnection libvirt;
    private final Domains domains;
    private final PoolDisks pools;
    private final ChapSecrets secrets;
    private final DiskDetach detaching;
    private final HostCalls calls;
    private final HostMonitor monitor;
    private final HostDisks disks;
    private final DriftWatch drift;

    /** A host without libvirt events (no keepalive) and without monitoring: for tests. */
    KvmHost(HostSettings settings) {
        this(settings, null, null, null);
    }

    /**
     * @param events      libvirt's event loop (keepalive, close callbacks), or null
     * @param privateDir  where the host's credentials are written for libvirt (a temporary directory when null)
     * @param listener    told when the host stops and starts answering; null: not monitored
     */
    KvmHost(HostSettings settings, LibvirtEvents events, Path privateDir, HostMonitor.Listener listener) {
        this.settings = settings;
        String connectUri = settings.remote().connectUri(settings.libvirtUri(), privateDir != null ? privateDir : tempDir());
        HostMonitor[] monitorRef = new HostMonitor[1];
        this.libvirt = new LibvirtConnection(settings.libvirtUri(), connectUri, settings.connectTimeout(),
                settings.keepaliveInterval(), settings.keepaliveCount(), events, reason -> {
                    if (monitorRef[0] != null) {
                        monitorRef[0].connectionClosed(reason);
                    }
                });
        this.domains = new Domains(settings.host(), libvirt);
        this.pools = new PoolDisks(settings, libvirt);
        this.secrets = new ChapSecrets(libvirt);
        this.detaching = new DiskDetach(settings.detachTimeout());
        this.calls = new HostCalls(settings, libvirt);
        this.disks = new HostDisks(settings.host(), libvirt);
        this.drift = listener == null ? null : new DriftWatch(settings.host(), libvirt, listener::drift);
        this.monitor = listener == null ? null
                : new HostMonitor(settings.host(), libvirt, settings.probeInterval(), settings.callTimeout(), listener);
        monitorRef[0] = monitor;
        calls.monitor(monitor);
        if (monitor != null) {
            monitor.afterProbe(drift::check);
            libvirt.onLifecycle((domain, event) -> {
                // on libvirt's event thread: note it, and let the monitor's thread look
                if (event.getType() == org.libvirt.event.DomainEventType.STOPPED
                        && event.getDetail() == org.libvirt.event.StoppedDetail.MIGRATED) {
                    try {
                        drift.migratedAway(Domains.id(domain));
                    } catch (LibvirtException e) {
                        LOG.debug("event of an unknown domain: {}", e.getMessage());
                    }
                }
                monitor.probeSoon();
                return 0;
            });
            monitor.start();
            calls.warmUp();
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("spindle-kvm-host");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Why the host is unavailable now, or null (answering, or not monitored). */
    String unavailableReason() {
        return monitor == null ? null : monitor.unavailableReason();
    }

    HostSettings settings() {
        return settings;
    }

    Optional<VmInfo> findVm(String nameOrId) {
        Domains.checkNameOrId(nameOrId);
        return calls.call("lookup of vm " + nameOrId, () -> {
            Optional<Domain> d = domains.find(nameOrId);
            return d.isEmpty() ? Optional.<VmInfo>empty() : Optional.of(domains.info(d.get()));
        });
    }

    Attachment attach(AttachRequest r) {
        Target t = r.target();
        boolean iscsi = Protocols.ISCSI.equals(t.protocol());
        String what = "attach of volume " + r.volumeName() + " to vm " + r.vm().name()
                + (iscsi ? " (initiator " + settings.initiatorIqn() + ")" : "");
        IoTune iotune = IoTune.of(r.limits());
        if (!iscsi && !Protocols.FILE.equals(t.protocol())) {
            throw StorageException.invalid("target.protocol", "KVM host " + settings.host() + " attaches iscsi"
                    + (settings.structures().isEmpty() ? "" : " and file") + " targets (was " + t.protocol() + ")");
        }
        if (iscsi) {
            t.portal(); // refuses a target without a portal, naming target.portals
        }
        Chap chap = iscsi ? t.chap() : null;
        String secretValue = chap == null ? null : chap.secret().reveal();
        if (drift != null) {
            drift.attaching(r.volumeId()); // its secret comes a moment before its disk: no drift meanwhile
        }
        try {
            return attach(r, what, iscsi, iotune, chap, secretValue);
        } finally {
            if (drift != null) {
                drift.attachEnded(r.volumeId());
            }
        }
    }

    private Attachment attach(AttachRequest r, String what, boolean iscsi, IoTune iotune, Chap chap, String secretValue) {
        Target t = r.target();
        return calls.onVm(r.vm().id(), what, () -> {
            Domain d = domains.byId(r.vm().id());
            String vmId = Domains.id(d);
            DomainState s = DomainState.of(d);
            String alias = DiskXml.alias(r.volumeId());
            Optional<DomainXml.Disk> existing = s.disk(alias);
            if (existing.isPresent()) {
                // an earlier attach whose answer was lost: bring secret and limits up to date; the secret keeps the
                // usage the disk names (an older build's, until the volume is detached)
                String usage = existing.get().secretUsage() != null ? existing.get().secretUsage()
                        : ChapSecrets.usage(r.volumeId(), vmId);
                LOG.info("volume {} is already attached to vm {} as {}", r.volumeId(), d.getName(), existing.get().dev());
                if (chap != null) {
                    secrets.define(r, vmId, chap, usage);
                }
                DiskLimits.apply(d, s, existing.get().dev(), iotune);
                return attachment(r, d, existing.get().dev(), iscsi, usage);
            }
            String usage = ChapSecrets.usage(r.volumeId(), vmId);
            if ("scsi".equals(settings.diskBus())) {
                DeviceSlots.ensureScsiController(d, s);
            }
            String dev = DeviceSlots.freeDev(s, settings.diskBus());
            String xml;
            if (iscsi) {
                xml = DiskXml.iscsiDisk(t.name(), t.lun(), t.portal(), settings.initiatorIqn(), chap, usage, dev,
                        settings.diskBus(), alias, iotune);
            } else {
                PoolDisks.PoolVolume pv = pools.resolve(t);
                xml = DiskXml.volumeDisk(pv.pool(), pv.volume(), dev, settings.diskBus(), alias, iotune);
            }
            long started = System.nanoTime();
            try {
                if (chap != null) {
                    secrets.define(r, vmId, chap, usage);
                }
                d.attachDeviceFlags(xml, s.flags());
                if (DomainState.of(d).disk(alias).isEmpty()) {
                    throw new StorageException(Reason.BACKEND_FAILURE, what + " failed: libvirt reported success but "
                            + dev + " is not in the domain");
                }
            } catch (LibvirtException | RuntimeException e) {
                undo(d, r, vmId, alias, chap != null);
                throw e instanceof LibvirtException le ? LibvirtErrors.map(what, le, secretValue) : (RuntimeException) e;
            }
            LOG.info("attached volume {} ({}) to vm {} ({}) as {} in {} ms{}", r.volumeName(), r.volumeId(), d.getName(),
                    vmId, dev, (System.nanoTime() - started) / 1_000_000,
                    s.running() ? "" : " (configuration only: vm is not running)");
            return attachment(r, d, dev, iscsi, usage);
        }, secretValue);
    }

    /** Detaches the disk and removes the CHAP secret; the target (without credentials) names nothing KVM keeps per host. */
    void detach(Attachment a, Target target) {
        String what = "detach of volume " + a.volumeId() + " from vm " + a.vmName() + " (" + a.vmId() + ")";
        calls.onVm(a.vmId(), what, () -> {
            Optional<Domain> d = domains.byIdIfPresent(a.vmId());
            if (d.isPresent()) {
                detaching.detach(d.get(), a.volumeId(), what);
            } else {
                LOG.info("{}: vm is gone; removing what remains", what);
            }
            if (a.managed() || a.device().isEmpty()) {
                // an interrupted attach (no device reported) may have left its secret without a disk
                secrets.undefine(a.volumeId(), vmId(a));
            }
            if (drift != null) {
                drift.detached(a.volumeId());
            }
            return null;
        });
    }

    /** Every disk of a Spindle volume on this host now, whoever attached it (found by the disks' Spindle alias). */
    List<Attachment> attachments() {
        return calls.call("listing of the Spindle disks on KVM host " + settings.host(), disks::all);
    }

    /** Where the disk of {@code volumeId} is attached on this host now, if anywhere. */
    Optional<Attachment> findAttachment(UUID volumeId) {
        return attachments().stream().filter(a -> a.volumeId().equals(volumeId)).findFirst();
    }

    /** The changes made behind Spindle's back that are known now (empty when the host is not monitored). */
    List<DriftWatch.Drift> drift() {
        return drift == null ? List.of() : drift.current();
    }

    void changeLimits(Attachment a, IoLimits limits) {
        String what = "limit change of volume " + a.volumeId() + " on vm " + a.vmName() + " (" + a.vmId() + ")";
        IoTune iotune = IoTune.of(limits);
        calls.onVm(a.vmId(), what, () -> {
            Domain d = domains.byId(a.vmId());
            DomainState s = DomainState.of(d);
            DomainXml.Disk disk = s.disk(DiskXml.alias(a.volumeId())).orElseThrow(() -> notAttached(a));
            DiskLimits.apply(d, s, disk.dev(), iotune);
            LOG.info("limits of volume {} on vm {} ({}) set to {}", a.volumeId(), d.getName(), disk.dev(),
                    iotune.isEmpty() ? "none" : iotune.xml());
            return null;
        });
    }

    /**
     * The limits in force on the disk now, read from libvirt (QEMU's when the VM runs, else the configuration's): what
     * an operator changed with {@code virsh blkdeviotune} shows here.
     */
    IoLimits limits(Attachment a) {
        return calls.call("limit read-back of volume " + a.volumeId() + " on vm " + a.vmName() + " (" + a.vmId() + ")", () -> {
            Domain d = domains.byId(a.vmId());
            DomainState s = DomainState.of(d);
            DomainXml.Disk disk = s.disk(DiskXml.alias(a.volumeId())).orElseThrow(() -> notAttached(a));
            return DiskLimits.read(d, s, disk.dev());
        });
    }

    /**
     * Makes QEMU, and through it the guest, see the LUN's new size ({@code virDomainBlockResize} in bytes: QEMU
     * re-reads the LUN's capacity and accepts exactly what it finds). A stopped VM has nothing to tell: QEMU
     * reads the size when it starts.
     */
    void grow(Attachment a, long newSizeBytes) {
        if (newSizeBytes <= 0) {
            throw StorageException.invalid("size", "must be positive (was " + newSizeBytes + ")");
        }
        String what = "growth of volume " + a.volumeId() + " on vm " + a.vmName() + " (" + a.vmId() + ") to " + newSizeBytes + " bytes";
        calls.onVm(a.vmId(), what, () -> {
            Domain d = domains.byId(a.vmId());
            DomainState s = DomainState.of(d);
            DomainXml.Disk disk = s.disk(DiskXml.alias(a.volumeId())).orElseThrow(() -> notAttached(a));
            DiskGrowth.grow(d, s, disk, newSizeBytes, what);
            return null;
        });
    }

    /** One host: nothing moves when the service's initiators change; the disk must still be there. */
    Attachment updateHosts(Attachment a, Target target) {
        String what = "host update of volume " + a.volumeId() + " on vm " + a.vmName() + " (" + a.vmId() + ")";
        return calls.onVm(a.vmId(), what, () -> {
            Domain d = domains.byId(a.vmId());
            DomainXml.Disk disk = DomainState.of(d).disk(DiskXml.alias(a.volumeId())).orElseThrow(() -> notAttached(a));
            LOG.info("{}: KVM host {} is a single host; {} stays as it is", what, settings.host(), disk.dev());
            return a;
        });
    }

    IoStats diskStats(Attachment a) {
        return calls.call("stats of volume " + a.volumeId() + " on vm " + a.vmName() + " (" + a.vmId() + ")", () -> {
            Domain d = domains.byId(a.vmId());
            DomainState s = DomainState.of(d);
            DomainXml.Disk disk = s.disk(DiskXml.alias(a.volumeId())).orElseThrow(() -> notAttached(a));
            if (!s.running()) {
                throw new StorageException(Reason.CONFLICT, "vm", "vm " + d.getName() + " is not running: its disks have no I/O counters",
                        null);
            }
            DomainBlockStats b = d.blockStats(disk.dev());
            return new IoStats(b.rd_req, b.wr_req, b.rd_bytes, b.wr_bytes, Instant.now());
        });
    }

    Target createDisk(StaticDiskRequest r) {
        return calls.call("creation of disk " + r.name() + " in " + r.structure(), () -> pools.create(r));
    }

    void deleteDisk(Target disk) {
        calls.call("deletion of disk " + disk.name(), () -> {
            pools.delete(disk);
            return null;
        });
    }

    @Override
    public void close() {
        if (monitor != null) {
            monitor.close();
        }
        calls.close();
        libvirt.close();
    }

    // --- steps

    /** After a failed attach: no disk of ours, no secret. Best effort; the original failure is what gets reported. */
    private void undo(Domain d, AttachRequest r, String vmId, String alias, boolean secret) {
        try {
            detaching.detach(d, r.volumeId(), "cleanup of attach");
        } catch (LibvirtException | RuntimeException e) {
            LOG.warn("cleanup after the failed attach of volume {} to vm {}: could not remove the disk: {}", r.volumeId(),
                    r.vm().name(), LibvirtErrors.oneLine(e.getMessage()));
        }
        if (secret) {
            try {
                secrets.undefine(r.volumeId(), vmId);
            } catch (LibvirtException | RuntimeException e) {
                LOG.warn("cleanup after the failed attach of volume {} to vm {}: could not remove the secret: {}", r.volumeId(),
                        r.vm().name(), LibvirtErrors.oneLine(e.getMessage()));
            }
        }
    }

    // --- helpers

    private Attachment attachment(AttachRequest r, Domain d, String dev, boolean iscsi, String usage) throws LibvirtException {
        Attachment a = new Attachment(r.volumeId(), Domains.id(d), d.getName(), settings.host(), dev, iscsi ? usage : null, iscsi);
        if (drift != null) {
            drift.attached(a);
        }
        return a;
    }

    /** The VM id as the secrets are keyed: libvirt prints UUIDs in lower case. */
    private static String vmId(Attachment a) {
        return a.vmId().toLowerCase(Locale.ROOT);
    }

    private static StorageException notAttached(Attachment a) {
        return new StorageException(Reason.NOT_FOUND, "attachment", "volume " + a.volumeId() + " is not attached to vm "
                + a.vmName() + " (" + a.vmId() + ")", null);
    }
}
