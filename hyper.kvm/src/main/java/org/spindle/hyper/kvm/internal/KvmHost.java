package org.spindle.hyper.kvm.internal;

import static org.spindle.hyper.kvm.internal.jna.BlockIoTune.AFFECT_CONFIG;
import static org.spindle.hyper.kvm.internal.jna.BlockIoTune.AFFECT_LIVE;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.DomainBlockStats;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spindle.hyper.kvm.internal.jna.BlockIoTune;
import org.spindle.hyper.kvm.internal.jna.LibvirtCallException;
import org.spindle.storage.api.Chap;
import org.spindle.storage.api.IoStats;
import org.spindle.storage.api.Protocols;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.attach.AttachRequest;
import org.spindle.storage.api.attach.Attachment;
import org.spindle.storage.api.attach.VmInfo;
import org.spindle.storage.api.qos.IoLimits;

/**
 * The attach operations on one KVM host, through its libvirt connection. Operations on one VM are serialized
 * (device names are allocated from its XML). Disks made here carry the user alias {@code ua-spindle-<volume>},
 * which is how detach and limit changes find them again, whatever the device name.
 */
final class KvmHost implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KvmHost.class);
    /** {@code VIR_DOMAIN_XML_INACTIVE}: the persistent configuration. */
    private static final int XML_INACTIVE = 2;

    private final HostSettings settings;
    private final LibvirtConnection libvirt;
    private final PoolDisks pools;
    private final ChapSecrets secrets;
    private final ConcurrentHashMap<String, Object> vmLocks = new ConcurrentHashMap<>();

    KvmHost(HostSettings settings) {
        this.settings = settings;
        this.libvirt = new LibvirtConnection(settings.libvirtUri(), settings.connectTimeout());
        this.pools = new PoolDisks(settings, libvirt);
        this.secrets = new ChapSecrets(libvirt);
    }

    HostSettings settings() {
        return settings;
    }

    Optional<VmInfo> findVm(String vm) {
        return call("lookup of vm " + vm, () -> {
            Optional<Domain> d = lookup(vm);
            return d.isEmpty() ? Optional.<VmInfo>empty() : Optional.of(new VmInfo(vm, settings.host(), running(d.get())));
        });
    }

    Attachment attach(AttachRequest r) {
        Target t = r.target();
        boolean iscsi = Protocols.ISCSI.equals(t.protocol());
        String what = "attach of volume " + r.volumeName() + " to vm " + r.vm()
                + (iscsi ? " (initiator " + settings.initiatorIqn() + ")" : "");
        IoTune iotune = IoTune.of(r.limits());
        if (!iscsi && !Protocols.FILE.equals(t.protocol())) {
            throw StorageException.invalid("target.protocol", "KVM host " + settings.host() + " attaches iscsi"
                    + (settings.structures().isEmpty() ? "" : " and file") + " targets (was " + t.protocol() + ")");
        }
        if (iscsi && t.portals().isEmpty()) {
            throw StorageException.invalid("target.portals", "an iSCSI target needs a portal host:port");
        }
        Chap chap = iscsi ? t.chap() : null;
        String secretValue = chap == null ? null : chap.secret().reveal();
        synchronized (lock(r.vm())) {
            return call(what, () -> {
                Domain d = lookup(r.vm()).orElseThrow(() -> vmNotFound(r.vm()));
                State s = state(d);
                String alias = DiskXml.alias(r.volumeId());
                String usage = ChapSecrets.usage(r.volumeId(), r.vm());
                Optional<DomainXml.Disk> existing = s.current().diskByAlias(alias);
                if (existing.isPresent()) {
                    // an earlier attach whose answer was lost: bring secret and limits up to date
                    LOG.info("volume {} is already attached to vm {} as {}", r.volumeId(), r.vm(), existing.get().dev());
                    if (chap != null) {
                        secrets.define(r, chap);
                    }
                    applyLimits(d, s, existing.get().dev(), iotune);
                    return attachment(r, existing.get().dev(), iscsi, usage);
                }
                if ("scsi".equals(settings.diskBus())) {
                    ensureScsiController(d, s);
                }
                String dev = freeDev(s);
                String xml;
                if (iscsi) {
                    String[] portal = portal(t.portals().get(0));
                    xml = DiskXml.iscsiDisk(t.name(), t.lun(), portal[0], Integer.parseInt(portal[1]), settings.initiatorIqn(),
                            chap, usage, dev, settings.diskBus(), alias, iotune);
                } else {
                    PoolDisks.PoolVolume pv = pools.resolve(t);
                    xml = DiskXml.volumeDisk(pv.pool(), pv.volume(), dev, settings.diskBus(), alias, iotune);
                }
                long started = System.nanoTime();
                try {
                    if (chap != null) {
                        secrets.define(r, chap);
                    }
                    d.attachDeviceFlags(xml, s.flags());
                    State after = state(d);
                    if (after.current().diskByAlias(alias).isEmpty()) {
                        throw new StorageException(Reason.BACKEND_FAILURE, what + " failed: libvirt reported success but "
                                + dev + " is not in the domain");
                    }
                } catch (LibvirtException | RuntimeException e) {
                    undo(d, r, alias, chap != null);
                    throw e instanceof LibvirtException le ? LibvirtErrors.map(what, le, secretValue) : (RuntimeException) e;
                }
                LOG.info("attached volume {} ({}) to vm {} as {} in {} ms{}", r.volumeName(), r.volumeId(), r.vm(), dev,
                        (System.nanoTime() - started) / 1_000_000, s.running() ? "" : " (configuration only: vm is not running)");
                return attachment(r, dev, iscsi, usage);
            }, secretValue);
        }
    }

    void detach(Attachment a) {
        String what = "detach of volume " + a.volumeId() + " from vm " + a.vm();
        synchronized (lock(a.vm())) {
            call(what, () -> {
                Optional<Domain> d = lookup(a.vm());
                if (d.isPresent()) {
                    detachDisk(d.get(), a, what);
                } else {
                    LOG.info("{}: vm is gone; removing what remains", what);
                }
                if (a.managed()) {
                    secrets.undefine(a.volumeId(), a.vm());
                }
                return null;
            });
        }
    }

    void changeLimits(Attachment a, IoLimits limits) {
        String what = "limit change of volume " + a.volumeId() + " on vm " + a.vm();
        IoTune iotune = IoTune.of(limits);
        synchronized (lock(a.vm())) {
            call(what, () -> {
                Domain d = lookup(a.vm()).orElseThrow(() -> vmNotFound(a.vm()));
                State s = state(d);
                DomainXml.Disk disk = s.current().diskByAlias(DiskXml.alias(a.volumeId()))
                        .orElseThrow(() -> notAttached(a));
                applyLimits(d, s, disk.dev(), iotune);
                LOG.info("limits of volume {} on vm {} ({}) set to {}", a.volumeId(), a.vm(), disk.dev(), iotune.isEmpty() ? "none" : iotune.xml());
                return null;
            });
        }
    }

    IoStats diskStats(Attachment a) {
        return call("stats of volume " + a.volumeId() + " on vm " + a.vm(), () -> {
            Domain d = lookup(a.vm()).orElseThrow(() -> vmNotFound(a.vm()));
            State s = state(d);
            DomainXml.Disk disk = s.current().diskByAlias(DiskXml.alias(a.volumeId())).orElseThrow(() -> notAttached(a));
            if (!s.running()) {
                throw new StorageException(Reason.CONFLICT, "vm", "vm " + a.vm() + " is not running: its disks have no I/O counters", null);
            }
            DomainBlockStats b = d.blockStats(disk.dev());
            return new IoStats(b.rd_req, b.wr_req, b.rd_bytes, b.wr_bytes, Instant.now());
        });
    }

    Target createDisk(org.spindle.storage.api.attach.StaticDiskRequest r) {
        return call("creation of disk " + r.name() + " in " + r.structure(), () -> pools.create(r));
    }

    void deleteDisk(Target disk) {
        call("deletion of disk " + disk.name(), () -> {
            pools.delete(disk);
            return null;
        });
    }

    @Override
    public void close() {
        libvirt.close();
    }

    // --- steps

    /** Live and persistent views of a domain, and the flags an attach to it takes. */
    private record State(boolean running, boolean persistent, DomainXml live, DomainXml config) {
        /** What an attach changes: the running domain when it runs (and its config when persistent), else the config. */
        int flags() {
            return running ? AFFECT_LIVE | (persistent ? AFFECT_CONFIG : 0) : AFFECT_CONFIG;
        }

        DomainXml current() {
            return running ? live : config;
        }
    }

    private State state(Domain d) throws LibvirtException {
        boolean running = running(d);
        boolean persistent = d.isPersistent() == 1;
        DomainXml live = DomainXml.parse(d.getXMLDesc(0));
        DomainXml config = persistent && running ? DomainXml.parse(d.getXMLDesc(XML_INACTIVE)) : live;
        return new State(running, persistent, live, config);
    }

    private void ensureScsiController(Domain d, State s) throws LibvirtException {
        int flags = 0;
        if (s.running() && !s.live().hasScsiController()) {
            flags |= AFFECT_LIVE;
        }
        if (s.persistent() && !s.config().hasScsiController()) {
            flags |= AFFECT_CONFIG;
        }
        if (flags != 0) {
            d.attachDeviceFlags(DiskXml.virtioScsiController(0), flags);
            LOG.info("added a virtio-scsi controller to vm {}", d.getName());
        }
    }

    /** The first device name of the bus's kind ({@code sd*} or {@code vd*}) used neither live nor in the config. */
    private String freeDev(State s) {
        Set<String> used = new HashSet<>();
        s.live().disks().forEach(x -> used.add(x.dev()));
        s.config().disks().forEach(x -> used.add(x.dev()));
        String prefix = "virtio".equals(settings.diskBus()) ? "vd" : "sd";
        for (int i = 0; i < 26 * 27; i++) {
            String suffix = i < 26 ? String.valueOf((char) ('a' + i))
                    : String.valueOf((char) ('a' + i / 26 - 1)) + (char) ('a' + i % 26);
            if (!used.contains(prefix + suffix)) {
                return prefix + suffix;
            }
        }
        throw new StorageException(Reason.CONFLICT, "vm", "no free " + prefix + "* device name left", null);
    }

    private void applyLimits(Domain d, State s, String dev, IoTune iotune) throws LibvirtException {
        try {
            BlockIoTune.set(d, dev, iotune.parameters(), s.flags());
            List<String> diffs = s.running() ? iotune.differences(BlockIoTune.get(d, dev, AFFECT_LIVE)) : List.of();
            if (diffs.isEmpty() && s.persistent()) {
                diffs = iotune.differences(BlockIoTune.get(d, dev, AFFECT_CONFIG));
            }
            if (!diffs.isEmpty()) {
                throw new StorageException(Reason.BACKEND_FAILURE, "limits", "limits of " + dev + " on vm " + d.getName()
                        + " read back differently: " + String.join(", ", diffs), null);
            }
        } catch (LibvirtCallException e) {
            throw LibvirtErrors.map("limit change of " + dev + " on vm " + d.getName(), e);
        }
    }

    private void detachDisk(Domain d, Attachment a, String what) throws LibvirtException {
        String alias = DiskXml.alias(a.volumeId());
        State s = state(d);
        Optional<DomainXml.Disk> live = s.running() ? s.live().diskByAlias(alias) : Optional.empty();
        Optional<DomainXml.Disk> config = s.persistent() ? s.config().diskByAlias(alias) : Optional.empty();
        if (live.isEmpty() && config.isEmpty()) {
            LOG.info("{}: not attached (nothing to do)", what);
            return;
        }
        int flags = (live.isPresent() ? AFFECT_LIVE : 0) | (config.isPresent() ? AFFECT_CONFIG : 0);
        String xml = live.orElseGet(config::get).xml();
        try {
            d.detachDeviceFlags(xml, flags);
        } catch (LibvirtException e) {
            // gone meanwhile (or a guest finished an earlier request): the check below decides
            LOG.debug("{}: libvirt said {}", what, e.getMessage());
            if (stillThere(d, alias, live.isPresent(), config.isPresent())) {
                throw LibvirtErrors.map(what, e);
            }
        }
        // verify: libvirt may report success while the device is still being unplugged
        long deadline = System.nanoTime() + settings.detachTimeout().toNanos();
        while (stillThere(d, alias, live.isPresent(), config.isPresent())) {
            if (System.nanoTime() > deadline) {
                throw new StorageException(Reason.CONFLICT, "vm", what + " failed: " + live.orElseGet(config::get).dev()
                        + " is still attached after " + settings.detachTimeout().toSeconds()
                        + " s (the guest has not released it); retry the detach", null);
            }
            sleep(50);
        }
        LOG.info("detached volume {} ({}) from vm {}", a.volumeId(), live.orElseGet(config::get).dev(), a.vm());
    }

    private boolean stillThere(Domain d, String alias, boolean checkLive, boolean checkConfig) throws LibvirtException {
        State now = state(d);
        return (checkLive && now.running() && now.live().diskByAlias(alias).isPresent())
                || (checkConfig && now.persistent() && now.config().diskByAlias(alias).isPresent());
    }

    /** After a failed attach: no disk of ours, no secret. Best effort; the original failure is what gets reported. */
    private void undo(Domain d, AttachRequest r, String alias, boolean secret) {
        try {
            State s = state(d);
            if (s.live().diskByAlias(alias).isPresent() || s.config().diskByAlias(alias).isPresent()) {
                detachDisk(d, new Attachment(r.volumeId(), r.vm(), settings.host(), "?", null, false), "cleanup of attach");
            }
        } catch (LibvirtException | RuntimeException e) {
            LOG.warn("cleanup after the failed attach of volume {} to vm {}: could not remove the disk: {}", r.volumeId(), r.vm(),
                    LibvirtErrors.oneLine(e.getMessage()));
        }
        if (secret) {
            try {
                secrets.undefine(r.volumeId(), r.vm());
            } catch (LibvirtException | RuntimeException e) {
                LOG.warn("cleanup after the failed attach of volume {} to vm {}: could not remove the secret: {}", r.volumeId(),
                        r.vm(), LibvirtErrors.oneLine(e.getMessage()));
            }
        }
    }

    // --- helpers

    private Attachment attachment(AttachRequest r, String dev, boolean iscsi, String usage) {
        return new Attachment(r.volumeId(), r.vm(), settings.host(), dev, iscsi ? usage : null, iscsi);
    }

    private Optional<Domain> lookup(String vm) throws LibvirtException {
        try {
            return Optional.of(libvirt.get().domainLookupByName(vm));
        } catch (LibvirtException e) {
            if (LibvirtErrors.isNotFound(e, ErrorNumber.VIR_ERR_NO_DOMAIN)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static boolean running(Domain d) throws LibvirtException {
        return d.isActive() == 1;
    }

    private StorageException vmNotFound(String vm) {
        return new StorageException(Reason.NOT_FOUND, "vm", "vm " + vm + " does not exist on KVM host " + settings.host(), null);
    }

    private static StorageException notAttached(Attachment a) {
        return new StorageException(Reason.NOT_FOUND, "attachment", "volume " + a.volumeId() + " is not attached to vm " + a.vm(), null);
    }

    private static String[] portal(String portal) {
        int colon = portal.lastIndexOf(':');
        String host = colon < 0 ? portal : portal.substring(0, colon);
        String port = colon < 0 ? "3260" : portal.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty() || !port.matches("\\d{1,5}")) {
            throw StorageException.invalid("target.portals", "a portal is host:port (was '" + portal + "')");
        }
        return new String[] {host, port};
    }

    private Object lock(String vm) {
        return vmLocks.computeIfAbsent(vm, k -> new Object());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException(Reason.UNAVAILABLE, "interrupted");
        }
    }

    /** A libvirt step. */
    interface Step<T> {
        T run() throws LibvirtException;
    }

    /** Runs {@code step}, turning libvirt failures into StorageExceptions; a lost connection is reopened next time. */
    private <T> T call(String what, Step<T> step, String... secretValues) {
        try {
            return step.run();
        } catch (LibvirtException e) {
            StorageException se = LibvirtErrors.map(what, e, secretValues);
            if (se.reason() == Reason.UNAVAILABLE) {
                libvirt.reset();
            }
            throw se;
        } catch (LibvirtCallException e) {
            throw LibvirtErrors.map(what, e, secretValues);
        }
    }
}
