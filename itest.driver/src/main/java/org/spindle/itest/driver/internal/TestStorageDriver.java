package org.spindle.itest.driver.internal;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
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
import org.spindle.itest.driver.probe.SanVolumeState;
import org.spindle.itest.driver.probe.TestSan;
import org.spindle.storage.api.Chap;
import org.spindle.storage.api.IoStats;
import org.spindle.storage.api.Protocols;
import org.spindle.storage.api.Secret;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageProtocols;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.driver.DriverProperties;
import org.spindle.storage.api.driver.Initiator;
import org.spindle.storage.api.driver.PoolCapacity;
import org.spindle.storage.api.driver.SanVolume;
import org.spindle.storage.api.driver.SanVolumeRef;
import org.spindle.storage.api.driver.SanVolumeRequest;
import org.spindle.storage.api.driver.StorageDriver;
import org.spindle.storage.api.driver.StorageDriverType;
import org.spindle.storage.api.driver.StorageQosSupport;
import org.spindle.storage.api.qos.StorageQos;
import org.spindle.storage.api.runtime.RejectionReporter;
import org.spindle.storage.api.volume.Names;

/**
 * A {@link StorageDriver} over an {@link InMemorySan}, one per factory configuration of
 * {@value #PID}. Also registered as {@link TestSan} with the same properties, for tests to look inside.
 * Targets are iSCSI on {@code target.portal}, IQN {@code iqn.2026-11.org.spindle.test:<pool>.<volume uuid>},
 * LUN 0, CHAP with a secret generated per volume.
 */
@Component(name = TestStorageDriver.PID, configurationPid = TestStorageDriver.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        service = {StorageDriver.class, TestSan.class},
        property = DriverProperties.MANAGED + ":Boolean=true",
        reference = @Reference(name = TestStorageDriver.REPORTER, service = RejectionReporter.class,
                cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC))
@Designate(ocd = TestDriverConfig.class, factory = true)
@StorageDriverType(type = "test")
@StorageProtocols(protocols = Protocols.ISCSI)
@StorageQosSupport(qos = {DriverProperties.QOS_MIN_IOPS, DriverProperties.QOS_MAX_IOPS, DriverProperties.QOS_BURST_IOPS})
public class TestStorageDriver implements StorageDriver, TestSan {
    static final String PID = "org.spindle.itest.driver";
    static final String REPORTER = "reporter";
    static final String IQN_PREFIX = "iqn.2026-11.org.spindle.test:";

    private final String pool;
    private final String portal;
    private final String protocol;
    private final PoolCapacity capacityLimits;
    private final InMemorySan san;
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Map<String, String> failures = new ConcurrentHashMap<>();

    @Activate
    public TestStorageDriver(TestDriverConfig config, ComponentContext component, Map<String, Object> properties) {
        BundleContext context = component.getBundleContext();
        // looked up, not injected: field injection comes after the constructor, and the core's reporter is optional
        RejectionReporter reporter = (RejectionReporter) component.locateService(REPORTER);
        String pid = String.valueOf(properties.get("service.pid"));
        try {
            this.pool = Names.check(DriverProperties.POOL, config.storage_pool());
            if (config.capacity_bytes() <= 0 || config.capacity_iops() < 0) {
                throw StorageException.invalid("capacity.bytes", "must be positive");
            }
        } catch (StorageException e) {
            if (reporter != null) {
                reporter.rejected(RejectionReporter.Kind.DRIVER, pid, context.getBundle().getSymbolicName(), "test", e.getMessage());
            }
            throw new ComponentException(e.getMessage(), e);
        }
        this.portal = config.target_portal();
        this.protocol = firstProtocol(properties.get(DriverProperties.PROTOCOLS));
        this.capacityLimits = new PoolCapacity(config.capacity_bytes(), 0, config.capacity_iops(), 0);
        java.io.File data = context.getDataFile("san-" + pool + ".properties");
        this.san = new InMemorySan(data == null ? null : data.toPath());
        if (reporter != null) {
            reporter.cleared(pid);
        }
    }

    // --- StorageDriver ---

    @Override
    public SanVolume createVolume(SanVolumeRequest request) {
        count("createVolume");
        synchronized (san) {
            InMemorySan.Vol existing = san.get(request.volumeId());
            if (existing != null) {
                return toSan(existing.state());
            }
            PoolCapacity c = capacity();
            if (c.provisionedBytes() + request.sizeBytes() > c.totalBytes()) {
                throw new StorageException(StorageException.Reason.BACKEND_FAILURE, "size",
                        "test SAN " + pool + " is full: " + c.provisionedBytes() + " of " + c.totalBytes() + " bytes provisioned", null);
            }
            SanVolumeState s = new SanVolumeState(request.volumeId(), san.newSanId(), request.name(), request.tenant(),
                    request.sizeBytes(), request.qos(), IQN_PREFIX + pool + "." + request.volumeId(), List.of());
            san.put(new InMemorySan.Vol(s, InMemorySan.newSecret()));
            return toSan(s);
        }
    }

    @Override
    public void deleteVolume(SanVolumeRef volume) {
        count("deleteVolume");
        synchronized (san) {
            san.remove(volume.volumeId());
        }
    }

    @Override
    public SanVolume resizeVolume(SanVolumeRef volume, long newSizeBytes) {
        count("resizeVolume");
        synchronized (san) {
            InMemorySan.Vol v = san.require(volume.volumeId());
            SanVolumeState s = v.state();
            if (newSizeBytes < s.sizeBytes()) {
                throw StorageException.invalid("size", "the test SAN only grows volumes (" + s.sizeBytes() + " to " + newSizeBytes + " bytes refused)");
            }
            SanVolumeState grown = new SanVolumeState(s.volumeId(), s.sanId(), s.name(), s.tenant(), newSizeBytes, s.qos(), s.iqn(), s.initiators());
            san.put(new InMemorySan.Vol(grown, v.chapSecret()));
            return toSan(grown);
        }
    }

    @Override
    public void modifyQos(SanVolumeRef volume, StorageQos qos) {
        count("modifyQos");
        synchronized (san) {
            InMemorySan.Vol v = san.require(volume.volumeId());
            SanVolumeState s = v.state();
            san.put(new InMemorySan.Vol(new SanVolumeState(s.volumeId(), s.sanId(), s.name(), s.tenant(), s.sizeBytes(), qos,
                    s.iqn(), s.initiators()), v.chapSecret()));
        }
    }

    @Override
    public Target grantAccess(SanVolumeRef volume, Initiator initiator) {
        count("grantAccess");
        synchronized (san) {
            InMemorySan.Vol v = san.require(volume.volumeId());
            SanVolumeState s = v.state();
            if (!s.initiators().contains(initiator.address())) {
                List<String> granted = new ArrayList<>(s.initiators());
                granted.add(initiator.address());
                s = new SanVolumeState(s.volumeId(), s.sanId(), s.name(), s.tenant(), s.sizeBytes(), s.qos(), s.iqn(), granted);
                san.put(new InMemorySan.Vol(s, v.chapSecret()));
            }
            return target(s).withChap(new Chap("spindle-" + s.tenant(), Secret.of(v.chapSecret()), null));
        }
    }

    @Override
    public void revokeAccess(SanVolumeRef volume, Initiator initiator) {
        count("revokeAccess");
        synchronized (san) {
            InMemorySan.Vol v = san.get(volume.volumeId());
            if (v == null || !v.state().initiators().contains(initiator.address())) {
                return;
            }
            SanVolumeState s = v.state();
            List<String> granted = new ArrayList<>(s.initiators());
            granted.remove(initiator.address());
            san.put(new InMemorySan.Vol(new SanVolumeState(s.volumeId(), s.sanId(), s.name(), s.tenant(), s.sizeBytes(), s.qos(),
                    s.iqn(), granted), v.chapSecret()));
        }
    }

    @Override
    public PoolCapacity capacity() {
        count("capacity");
        synchronized (san) {
            long bytes = 0;
            long iops = 0;
            for (InMemorySan.Vol v : san.all()) {
                bytes += v.state().sizeBytes();
                iops += v.state().qos().minIops();
            }
            return new PoolCapacity(capacityLimits.totalBytes(), bytes, capacityLimits.totalIops(), iops);
        }
    }

    @Override
    public IoStats volumeStats(SanVolumeRef volume) {
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
        failures.put(method, message);
    }

    @Override
    public void reset() {
        synchronized (san) {
            san.clear();
        }
        calls.clear();
        failures.clear();
    }

    // --- helpers ---

    private void count(String method) {
        calls.computeIfAbsent(method, k -> new AtomicInteger()).incrementAndGet();
        String failure = failures.remove(method);
        if (failure != null) {
            throw new StorageException(StorageException.Reason.BACKEND_FAILURE, failure);
        }
    }

    /** iSCSI: the IQN on the portal; any other protocol (e.g. nfs, configured to test routing): a made-up address. */
    private Target target(SanVolumeState s) {
        return Protocols.ISCSI.equals(protocol)
                ? new Target(protocol, List.of(portal), s.iqn(), 0, null)
                : new Target(protocol, List.of(portal), protocol + "://" + portal + "/" + pool + "/" + s.volumeId(), 0, null);
    }

    private static String firstProtocol(Object configured) {
        if (configured instanceof String[] a && a.length > 0) {
            return Protocols.check(DriverProperties.PROTOCOLS, a[0]);
        }
        if (configured instanceof java.util.Collection<?> c && !c.isEmpty()) {
            return Protocols.check(DriverProperties.PROTOCOLS, String.valueOf(c.iterator().next()));
        }
        return configured instanceof String one ? Protocols.check(DriverProperties.PROTOCOLS, one) : Protocols.ISCSI;
    }

    private SanVolume toSan(SanVolumeState s) {
        return new SanVolume(s.volumeId(), s.sanId(), s.sizeBytes(), s.qos(), target(s));
    }

    @Override
    public String toString() {
        return "TestStorageDriver[" + pool + "]";
    }
}
