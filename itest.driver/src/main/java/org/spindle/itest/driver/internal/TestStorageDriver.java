package org.spindle.itest.driver.internal;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.ComponentException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.spindle.itest.driver.probe.AccessCall;
import org.spindle.itest.driver.probe.SanVolumeState;
import org.spindle.itest.driver.probe.TestSan;
import org.spindle.storage.api.Chap;
import org.spindle.storage.api.IoStats;
import org.spindle.storage.api.PoolCapacity;
import org.spindle.storage.api.Portal;
import org.spindle.storage.api.Protocols;
import org.spindle.storage.api.Secret;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageProtocols;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.driver.DriverProperties;
import org.spindle.storage.api.driver.HostGroup;
import org.spindle.storage.api.driver.SanVolume;
import org.spindle.storage.api.driver.SanVolumeRef;
import org.spindle.storage.api.driver.SanVolumeRequest;
import org.spindle.storage.api.driver.StorageDriver;
import org.spindle.storage.api.driver.StorageDriverType;
import org.spindle.storage.api.driver.StorageQosCapability;
import org.spindle.storage.api.driver.StorageQosSupport;
import org.spindle.storage.api.qos.StorageQos;
import org.spindle.storage.api.runtime.RejectionReporter;

/**
 * A {@link StorageDriver} over an {@link InMemorySan}, one per factory configuration of
 * {@value #PID}. Also registered as {@link TestSan} with the same properties, for tests to look inside.
 * Targets are iSCSI on {@code target.portals}, IQN {@code iqn.2026-11.org.spindle.test:<pool>.<volume uuid>},
 * LUN 0, device id {@code naa.6<31 hex digits of the volume uuid>}, one-way CHAP with a secret generated per
 * volume. Access is kept per volume and host group, with the replace semantics of {@link #grantAccess}.
 */
@Component(name = TestStorageDriver.PID, configurationPid = TestStorageDriver.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        service = {StorageDriver.class, TestSan.class},
        property = DriverProperties.MANAGED + ":Boolean=true",
        reference = @Reference(name = TestStorageDriver.REPORTER, service = RejectionReporter.class,
                cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC))
@Designate(ocd = TestDriverConfig.class, factory = true)
@StorageDriverType("test")
@StorageProtocols(Protocols.ISCSI)
@StorageQosSupport(qos = {StorageQosCapability.MIN_IOPS, StorageQosCapability.MAX_IOPS, StorageQosCapability.BURST_IOPS})
public class TestStorageDriver implements StorageDriver, TestSan {
    static final String PID = "org.spindle.itest.driver";
    static final String REPORTER = "reporter";
    static final String IQN_PREFIX = "iqn.2026-11.org.spindle.test:";

    private final SanSettings settings;
    private final String pool;
    private final InMemorySan san;
    private final List<AccessCall> accessCalls = new ArrayList<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Map<String, StorageException> failures = new ConcurrentHashMap<>();
    /** {@code call.latency.ms}: how long every StorageDriver call waits before it runs. */
    private final long latencyMillis;

    @Activate
    public TestStorageDriver(TestDriverConfig config, ComponentContext component, Map<String, Object> properties) {
        this(settings(config, component, properties), component.getBundleContext(), config.call_latency_ms());
    }

    /** A driver over {@code san}, outside a framework (unit tests). */
    TestStorageDriver(SanSettings settings, InMemorySan san) {
        this(settings, san, 0);
    }

    /** A driver over {@code san} whose every StorageDriver call first waits {@code latencyMillis}, outside a framework. */
    TestStorageDriver(SanSettings settings, InMemorySan san, long latencyMillis) {
        this.settings = settings;
        this.pool = settings.pool();
        this.san = san;
        this.latencyMillis = latency(latencyMillis);
    }

    private TestStorageDriver(SanSettings settings, BundleContext context, long latencyMillis) {
        this(settings, new InMemorySan(dataFile(context, settings.pool())), latencyMillis);
    }

    private static long latency(long millis) {
        if (millis < 0) {
            throw StorageException.invalid("call.latency.ms", "must be 0 or more milliseconds (was " + millis + ")");
        }
        return millis;
    }

    /** The validated settings; a refusal is reported to the core (which lists the driver as rejected) and thrown. */
    private static SanSettings settings(TestDriverConfig config, ComponentContext component, Map<String, Object> properties) {
        // looked up, not injected: field injection comes after the constructor, and the core's reporter is optional
        RejectionReporter reporter = (RejectionReporter) component.locateService(REPORTER);
        String pid = String.valueOf(properties.get("service.pid"));
        try {
            SanSettings settings = SanSettings.of(config, properties);
            latency(config.call_latency_ms());
            if (reporter != null) {
                reporter.cleared(pid);
            }
            return settings;
        } catch (StorageException e) {
            if (reporter != null) {
                reporter.rejected(RejectionReporter.Kind.DRIVER, pid, component.getBundleContext().getBundle().getSymbolicName(),
                        "test", e.getMessage());
            }
            throw new ComponentException(e.getMessage(), e);
        }
    }

    private static Path dataFile(BundleContext context, String pool) {
        java.io.File data = context.getDataFile("san-" + pool + ".properties");
        return data == null ? null : data.toPath();
    }

    // --- StorageDriver ---

    @Override
    public SanVolume createVolume(SanVolumeRequest request) {
        pause();
        count("createVolume");
        synchronized (san) {
            InMemorySan.Vol existing = san.get(request.volumeId());
            if (existing != null) {
                return toSan(existing.state());
            }
            if (request.sizeBytes() < settings.minSize()) {
                throw StorageException.invalid("size", "the test SAN " + pool + " makes volumes of at least "
                        + settings.minSize() + " bytes (was " + request.sizeBytes() + ")");
            }
            PoolCapacity c = capacityNow();
            if (c.provisionedBytes() + request.sizeBytes() > c.totalBytes()) {
                throw new StorageException(StorageException.Reason.CAPACITY, "size",
                        "test SAN " + pool + " is full: " + c.provisionedBytes() + " of " + c.totalBytes() + " bytes provisioned", null);
            }
            SanVolumeState s = new SanVolumeState(request.volumeId(), san.newSanId(), request.name(), request.tenant(),
                    request.sizeBytes(), request.qos(), IQN_PREFIX + pool + "." + request.volumeId(),
                    InMemorySan.deviceId(request.volumeId()), Map.of());
            san.put(new InMemorySan.Vol(s, InMemorySan.newSecret()));
            return toSan(s);
        }
    }

    @Override
    public Optional<SanVolume> findVolume(UUID volumeId) {
        pause();
        count("findVolume");
        synchronized (san) {
            return Optional.ofNullable(san.get(volumeId)).map(v -> toSan(v.state()));
        }
    }

    @Override
    public void deleteVolume(SanVolumeRef volume) {
        pause();
        count("deleteVolume");
        synchronized (san) {
            san.remove(volume.volumeId());
        }
    }

    @Override
    public SanVolume resizeVolume(SanVolumeRef volume, long newSizeBytes) {
        pause();
        count("resizeVolume");
        synchronized (san) {
            InMemorySan.Vol v = san.require(volume.volumeId());
            SanVolumeState s = v.state();
            if (newSizeBytes < s.sizeBytes()) {
                throw StorageException.invalid("size", "the test SAN only grows volumes (" + s.sizeBytes() + " to " + newSizeBytes + " bytes refused)");
            }
            SanVolumeState grown = s.withSize(newSizeBytes);
            san.put(new InMemorySan.Vol(grown, v.chapSecret()));
            return toSan(grown);
        }
    }

    @Override
    public void modifyQos(SanVolumeRef volume, StorageQos qos) {
        pause();
        count("modifyQos");
        synchronized (san) {
            InMemorySan.Vol v = san.require(volume.volumeId());
            san.put(new InMemorySan.Vol(v.state().withQos(qos), v.chapSecret()));
        }
    }

    /** Replaces the initiators of {@code group} on this volume (other groups keep theirs). */
    @Override
    public Target grantAccess(SanVolumeRef volume, HostGroup group) {
        pause();
        synchronized (san) {
            accessCalls.add(new AccessCall(AccessCall.GRANT, volume.volumeId(), group));
            count("grantAccess");
            InMemorySan.Vol v = san.require(volume.volumeId());
            Map<String, List<String>> groups = new LinkedHashMap<>(v.state().groups());
            groups.put(group.name(), group.initiators());
            SanVolumeState s = v.state().withGroups(groups);
            san.put(new InMemorySan.Vol(s, v.chapSecret()));
            return target(s).withChap(new Chap("spindle-" + s.tenant(), Secret.of(v.chapSecret())));
        }
    }

    /** Takes exactly the given initiators away from {@code group} on this volume; the group goes when none is left. */
    @Override
    public void revokeAccess(SanVolumeRef volume, HostGroup group) {
        pause();
        synchronized (san) {
            accessCalls.add(new AccessCall(AccessCall.REVOKE, volume.volumeId(), group));
            count("revokeAccess");
            InMemorySan.Vol v = san.get(volume.volumeId());
            if (v == null || !v.state().groups().containsKey(group.name())) {
                return;
            }
            Map<String, List<String>> groups = new LinkedHashMap<>(v.state().groups());
            TreeSet<String> left = new TreeSet<>(groups.get(group.name()));
            left.removeAll(group.initiators());
            if (left.isEmpty()) {
                groups.remove(group.name());
            } else {
                groups.put(group.name(), List.copyOf(left));
            }
            san.put(new InMemorySan.Vol(v.state().withGroups(groups), v.chapSecret()));
        }
    }

    @Override
    public PoolCapacity capacity() {
        pause();
        return capacityNow();
    }

    /** {@link #capacity()} without the round trip, for a call that has waited its own already (createVolume). */
    private PoolCapacity capacityNow() {
        count("capacity");
        synchronized (san) {
            return new PoolCapacity(settings.capacity().totalBytes(), san.provisionedBytes(), settings.capacity().totalIops(),
                    san.provisionedIops());
        }
    }

    @Override
    public IoStats volumeStats(SanVolumeRef volume) {
        pause();
        count("volumeStats");
        synchronized (san) {
            SanVolumeState s = san.require(volume.volumeId()).state();
            // a fake but monotonic figure: what a volume of this size would have seen, one op per MiB
            long ops = s.sizeBytes() >> 20;
            return new IoStats(ops, ops, ops << 12, ops << 12, Instant.now());
        }
    }

    @Override
    public List<SanVolume> listVolumes() {
        pause();
        count("listVolumes");
        synchronized (san) {
            return san.all().stream().map(v -> toSan(v.state())).toList();
        }
    }

    // --- TestSan ---

    @Override
    public String pool() {
        return pool;
    }

    @Override
    public List<SanVolumeState> volumes() {
        synchronized (san) {
            return san.all().stream().map(InMemorySan.Vol::state).toList();
        }
    }

    @Override
    public Optional<SanVolumeState> volume(UUID volumeId) {
        synchronized (san) {
            return Optional.ofNullable(san.get(volumeId)).map(InMemorySan.Vol::state);
        }
    }

    @Override
    public List<String> initiators(UUID volumeId) {
        return volume(volumeId).map(SanVolumeState::initiators).orElse(List.of());
    }

    @Override
    public Map<String, List<String>> groups(UUID volumeId) {
        return volume(volumeId).map(SanVolumeState::groups).orElse(Map.of());
    }

    @Override
    public List<AccessCall> accessCalls() {
        synchronized (san) {
            return List.copyOf(accessCalls);
        }
    }

    @Override
    public Map<String, Integer> calls() {
        Map<String, Integer> m = new TreeMap<>();
        calls.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    @Override
    public int calls(String method) {
        AtomicInteger c = calls.get(method);
        return c == null ? 0 : c.get();
    }

    @Override
    public void failNext(String method, String message) {
        failNext(method, StorageException.Reason.BACKEND_FAILURE, message);
    }

    @Override
    public void failNext(String method, StorageException.Reason reason, String message) {
        failures.put(method, new StorageException(reason, message));
    }

    @Override
    public void reset() {
        synchronized (san) {
            san.clear();
            accessCalls.clear();
        }
        calls.clear();
        failures.clear();
    }

    // --- helpers ---

    /** The SAN's round trip ({@code call.latency.ms}), before the call takes the SAN's lock: concurrent calls wait together. */
    private void pause() {
        if (latencyMillis == 0) {
            return;
        }
        try {
            Thread.sleep(latencyMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException(StorageException.Reason.BACKEND_FAILURE, "interrupted while waiting for the test SAN " + pool);
        }
    }

    private void count(String method) {
        calls.computeIfAbsent(method, k -> new AtomicInteger()).incrementAndGet();
        StorageException failure = failures.remove(method);
        if (failure != null) {
            throw failure;
        }
    }

    /** iSCSI: the IQN on the portals; any other protocol (e.g. nfs, configured to test routing): a made-up address. */
    private Target target(SanVolumeState s) {
        String protocol = settings.protocol();
        List<Portal> portals = settings.portals();
        return Protocols.ISCSI.equals(protocol)
                ? new Target(protocol, portals, s.iqn(), 0, s.deviceId(), null)
                : new Target(protocol, portals, protocol + "://" + portals.get(0) + "/" + pool + "/" + s.volumeId(), 0,
                        null, null);
    }

    private SanVolume toSan(SanVolumeState s) {
        return new SanVolume(s.volumeId(), s.sanId(), s.sizeBytes(), s.qos(), target(s));
    }

    @Override
    public String toString() {
        return "TestStorageDriver[" + pool + "]";
    }
}
