package org.spindle.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.After;
import org.junit.Before;
import org.osgi.framework.Bundle;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.spindle.itest.attach.probe.TestHypervisor;
import org.spindle.itest.driver.probe.TestSan;
import org.spindle.storage.api.attach.AttachProperties;
import org.spindle.storage.api.driver.DriverProperties;
import org.spindle.storage.api.runtime.AttachServiceInfo;
import org.spindle.storage.api.runtime.ServiceStatus;
import org.spindle.storage.api.runtime.StorageRuntime;

/**
 * Base of the Pax Exam tests of Spindle: on top of {@link KarafTestSupport} (the container, the shell, waiting), the
 * volumes and pools as {@code storage:} commands show them, the probes of the test bundles ({@link #san},
 * {@link #hypervisor}), and their factory configurations ({@link #driver}, {@link #hypervisor}, {@link #cluster}, …),
 * made through ConfigurationAdmin, changed by {@link #update} and deleted after each test.
 * Tests in one class share one Karaf (Pax Exam's default PerClass strategy), so each test names its own
 * zone, pools, hosts, offerings and volumes.
 */
public abstract class SpindleKarafTestSupport extends KarafTestSupport {
    protected static final String DRIVER_PID = "org.spindle.itest.driver";
    protected static final String ATTACH_PID = "org.spindle.itest.attach";
    /** The core's default hypervisor limits, one factory configuration per hypervisor type. */
    protected static final String LIMITS_PID = "org.spindle.storage.limits";
    protected static final String DRIVER_BSN = "org.spindle.itest.driver";
    protected static final String ATTACH_BSN = "org.spindle.itest.attach";
    /** The initiator the test attach service declares for host {@code h} when none is configured. */
    protected static final String INITIATOR_PREFIX = "iqn.2026-11.org.spindle.test:host.";
    protected static final String ALL_LIMITS = "iops,bps,read-write,total,burst,burst-length";

    private final List<Configuration> configurations = new ArrayList<>();

    /** Waits until the core and the storage: commands answer. */
    @Before
    public void awaitSpindle() {
        service(StorageRuntime.class, null);
        await("storage:pool-list answers", () -> !run("storage:pool-list").failed());
    }

    /** Deletes the configurations the test made; their services go, the core marks their pools unavailable. */
    @After
    public void deleteConfigurations() throws IOException {
        for (Configuration c : configurations) {
            try {
                c.delete();
            } catch (IllegalStateException alreadyDeleted) {
                // deleted by the test
            }
        }
        configurations.clear();
    }

    // ---------------------------------------------------------------- volumes and pools

    /** The volume named {@code name} from {@code storage:volume-show --json NAME} (options first: Karaf stops reading options at the first argument). */
    protected JsonNode volume(String name) {
        return json("storage:volume-show --json " + name);
    }

    protected String state(String volume) {
        return volume(volume).path("state").asText();
    }

    /** All volumes, destroyed ones too, from {@code storage:volume-list --all --json}. */
    protected JsonNode volumes() {
        return json("storage:volume-list --all --json");
    }

    protected Optional<JsonNode> pool(String name) {
        return find(json("storage:pool-list --json"), n -> name.equals(n.path("name").asText()));
    }

    protected void awaitPoolAvailable(String pool, boolean available) {
        await("pool " + pool + (available ? " available" : " unavailable"),
                () -> pool(pool).map(p -> p.path("available").asBoolean() == available).orElse(false));
    }

    // ---------------------------------------------------------------- probes

    protected TestSan san(String pool) {
        return service(TestSan.class, "(" + DriverProperties.POOL + "=" + pool + ")");
    }

    /** The probe of the test attach service whose {@code hypervisor.service} is {@code service} (a host's name for one host). */
    protected TestHypervisor hypervisor(String service) {
        return service(TestHypervisor.class, "(" + AttachProperties.SERVICE + "=" + service + ")");
    }

    // ---------------------------------------------------------------- configurations

    /** A test driver for {@code pool} in {@code zone} with {@code tags}; waits until the core lists the pool available. */
    protected Configuration driver(String pool, String zone, String protocol, String... tags) {
        Dictionary<String, Object> p = new Hashtable<>();
        p.put(DriverProperties.POOL, pool);
        p.put(DriverProperties.ZONE, zone);
        p.put(DriverProperties.TAGS, tags);
        p.put(DriverProperties.PROTOCOLS, new String[] {protocol});
        Configuration c = factoryConfiguration(DRIVER_PID, pool, p);
        san(pool);
        awaitPoolAvailable(pool, true);
        return c;
    }

    /**
     * A test hypervisor of one host, {@code host}, in {@code zone} (its {@code hypervisor.service} is the host's name);
     * {@code limits} comma-separated. Waits until the core has bound it.
     */
    protected Configuration hypervisor(String host, String zone, String protocol, String limits, String... vms) {
        Dictionary<String, Object> p = attachProperties(zone, protocol, limits, vms);
        p.put(AttachProperties.HOSTS, new String[] {host});
        Configuration c = factoryConfiguration(ATTACH_PID, host, p);
        awaitBound(host, a -> true);
        return c;
    }

    /**
     * A test attach service for the cluster {@code cluster} (also its {@code hypervisor.service}) of {@code hosts},
     * whose initiators are {@code initiators}, in {@code zone}, iSCSI, with every limit; {@code vms} are
     * {@code name@host}. Waits until the core has bound it.
     */
    protected Configuration cluster(String cluster, List<String> hosts, List<String> initiators, String zone, String... vms) {
        Dictionary<String, Object> p = attachProperties(zone, "iscsi", ALL_LIMITS, vms);
        p.put(AttachProperties.SERVICE, cluster);
        p.put(AttachProperties.CLUSTER, cluster);
        p.put(AttachProperties.HOSTS, hosts.toArray(new String[0]));
        p.put(AttachProperties.INITIATORS, initiators.toArray(new String[0]));
        Configuration c = factoryConfiguration(ATTACH_PID, cluster, p);
        awaitBound(cluster, a -> a.hosts().equals(hosts));
        return c;
    }

    /** A test hypervisor of one host, {@code host}, of hypervisor type {@code type}, with every limit. Waits until bound. */
    protected Configuration hypervisorOfType(String type, String host, String zone, String... vms) {
        Dictionary<String, Object> p = attachProperties(zone, "iscsi", ALL_LIMITS, vms);
        p.put(AttachProperties.HOSTS, new String[] {host});
        p.put(AttachProperties.HYPERVISOR_TYPE, type);
        Configuration c = factoryConfiguration(ATTACH_PID, host, p);
        awaitBound(host, a -> type.equals(a.type()));
        return c;
    }

    /**
     * The core's default hypervisor limits for attach services of hypervisor type {@code type}: a factory
     * configuration of {@value #LIMITS_PID} with {@code limits} ({@code read.iops}, … {@code weight}). Waits until the
     * core holds them (its bundle uses the service the configuration made).
     */
    protected Configuration defaultLimits(String type, java.util.Map<String, Object> limits) {
        Dictionary<String, Object> p = new Hashtable<>(limits);
        p.put(AttachProperties.HYPERVISOR_TYPE, type);
        Configuration c = factoryConfiguration(LIMITS_PID, type, p);
        Bundle core = bundle("org.spindle.storage.core");
        await("the core holds the default limits of hypervisor type " + type, () -> {
            org.osgi.framework.ServiceReference<?>[] refs = context().getAllServiceReferences(null,
                    "(&(|(service.factoryPid=" + LIMITS_PID + ")(service.pid=" + LIMITS_PID + "~*))("
                            + AttachProperties.HYPERVISOR_TYPE + "=" + type + "))");
            return refs != null && refs.length == 1 && refs[0].getUsingBundles() != null
                    && java.util.Arrays.asList(refs[0].getUsingBundles()).contains(core);
        });
        return c;
    }

    private static Dictionary<String, Object> attachProperties(String zone, String protocol, String limits, String... vms) {
        Dictionary<String, Object> p = new Hashtable<>();
        p.put(AttachProperties.ZONE, zone);
        p.put(AttachProperties.PROTOCOLS, new String[] {protocol});
        p.put(AttachProperties.LIMITS, limits.isEmpty() ? new String[0] : limits.split(","));
        p.put("vms", vms);
        return p;
    }

    /** Waits until the core lists attach service {@code service} bound and {@code test} holds for what it lists. */
    protected AttachServiceInfo awaitBound(String service, Predicate<AttachServiceInfo> test) {
        hypervisor(service);
        StorageRuntime runtime = service(StorageRuntime.class, null);
        await("the core binds attach service " + service, () -> bound(runtime, service).filter(test).isPresent());
        return bound(runtime, service).orElseThrow();
    }

    private static Optional<AttachServiceInfo> bound(StorageRuntime runtime, String service) {
        return runtime.attachServices().stream()
                .filter(a -> service.equals(a.service()) && a.status() == ServiceStatus.BOUND).findFirst();
    }

    /**
     * Updates configuration {@code c}: {@code key} becomes {@code value}, the other properties stay. The test
     * services change their registration's properties in place (a VM migrates, a host joins).
     */
    protected static void update(Configuration c, String key, Object value) {
        update(c, java.util.Map.of(key, value));
    }

    /** Updates configuration {@code c} with {@code changes} at once (one update, one change of the registration). */
    protected static void update(Configuration c, java.util.Map<String, Object> changes) {
        Dictionary<String, Object> p = c.getProperties();
        changes.forEach(p::put);
        try {
            c.update(p);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    protected Configuration factoryConfiguration(String factoryPid, String name, Dictionary<String, Object> properties) {
        try {
            ConfigurationAdmin cm = service(ConfigurationAdmin.class, null);
            // "?": not bound to one bundle location, so it survives the test bundle being uninstalled and installed again
            Configuration c = cm.getFactoryConfiguration(factoryPid, name, "?");
            c.update(properties);
            configurations.add(c);
            return c;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    // ---------------------------------------------------------------- assertions

    protected static void assertOneLineNaming(String field, String error) {
        assertNotNull(error);
        assertFalse("one line expected: " + error, error.strip().contains("\n"));
        assertTrue("the error should name '" + field + "': " + error, error.contains(field));
    }

    protected static void assertState(String expected, JsonNode volume) {
        assertEquals("state of " + volume.path("name").asText(), expected, volume.path("state").asText());
    }
}
