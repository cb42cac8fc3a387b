package org.spindle.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.maven;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.systemTimeout;
import static org.ops4j.pax.exam.CoreOptions.vmOptions;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.keepRuntimeFolder;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.PrivilegedExceptionAction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import javax.security.auth.Subject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.After;
import org.junit.Before;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.ops4j.pax.exam.options.MavenArtifactUrlReference;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;
import org.spindle.itest.attach.probe.TestHypervisor;
import org.spindle.itest.driver.probe.TestSan;
import org.spindle.storage.api.attach.AttachProperties;
import org.spindle.storage.api.driver.DriverProperties;
import org.spindle.storage.api.runtime.AttachServiceInfo;
import org.spindle.storage.api.runtime.ServiceStatus;
import org.spindle.storage.api.runtime.StorageRuntime;

/**
 * Base of the Pax Exam tests: boots the Spindle distribution (the tar.gz from the local repository) with the two
 * test bundles, and gives the tests
 * <ul>
 * <li>{@link #run}/{@link #ok}/{@link #fails}: {@code storage:} commands through Karaf's {@link SessionFactory},
 * output captured, a failed command's exception message surfaced;</li>
 * <li>{@link #json}: a {@code --json} command's output parsed with Jackson;</li>
 * <li>{@link #await}: polling for a condition with a timeout (no fixed sleeps);</li>
 * <li>{@link #driver}/{@link #hypervisor}/{@link #cluster}: factory configurations of the test bundles, made through
 * ConfigurationAdmin, changed by {@link #update} and deleted after each test.</li>
 * </ul>
 * Tests in one class share one Karaf (Pax Exam's default PerClass strategy), so each test names its own
 * zone, pools, hosts, offerings and volumes.
 */
public abstract class SpindleKarafTestSupport {
    protected static final String VERSION = System.getProperty("spindle.version", "0.1.0-SNAPSHOT");
    protected static final Duration TIMEOUT = Duration.ofSeconds(Long.getLong("spindle.itest.timeout.seconds", 60));
    protected static final Duration POLL = Duration.ofMillis(50);
    protected static final String DRIVER_PID = "org.spindle.itest.driver";
    protected static final String ATTACH_PID = "org.spindle.itest.attach";
    /** The core's default hypervisor limits, one factory configuration per hypervisor type. */
    protected static final String LIMITS_PID = "org.spindle.storage.limits";
    protected static final String DRIVER_BSN = "org.spindle.itest.driver";
    protected static final String ATTACH_BSN = "org.spindle.itest.attach";
    /** The initiator the test attach service declares for host {@code h} when none is configured. */
    protected static final String INITIATOR_PREFIX = "iqn.2026-11.org.spindle.test:host.";
    protected static final String ALL_LIMITS = "iops,bps,read-write,total,burst,burst-length";

    protected static final ObjectMapper JSON = new ObjectMapper();
    private static final ExecutorService SHELL = Executors.newCachedThreadPool();

    private final List<Configuration> configurations = new ArrayList<>();

    @org.ops4j.pax.exam.Configuration
    public Option[] config() {
        MavenArtifactUrlReference distribution = maven().groupId("org.spindle").artifactId("org.spindle.distribution")
                .version(VERSION).type("tar.gz");
        String localRepository = System.getProperty("org.ops4j.pax.url.mvn.localRepository",
                System.getProperty("user.home") + "/.m2/repository");
        return new Option[] {
            karafDistributionConfiguration().frameworkUrl(distribution).name("Spindle")
                    .karafVersion(System.getProperty("karaf.version", "4.4.10"))
                    .unpackDirectory(new File("target/exam")).useDeployFolder(false),
            configureConsole().ignoreLocalConsole(),
            configureConsole().ignoreRemoteShell(),
            logLevel(LogLevel.valueOf(System.getProperty("spindle.itest.loglevel", "WARN"))),
            systemTimeout(TIMEOUT.toMillis()),
            KarafProcess.TEST_JVM_OPTIONS.isBlank() ? new org.ops4j.pax.exam.options.DefaultCompositeOption()
                    : vmOptions(KarafProcess.TEST_JVM_OPTIONS.trim().split("\\s+")),
            // random ports: the tests run beside a running distribution (or another test run)
            editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiRegistryPort", freePort()),
            editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiServerPort", freePort()),
            editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", freePort()),
            editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.localRepository", localRepository),
            editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.repositories",
                    "https://repo1.maven.org/maven2@id=central"),
            Boolean.getBoolean("spindle.itest.keep") ? keepRuntimeFolder() : new org.ops4j.pax.exam.options.DefaultCompositeOption(),
            mavenBundle("org.spindle", "org.spindle.itest.driver", VERSION).start(),
            mavenBundle("org.spindle", "org.spindle.itest.attach", VERSION).start(),
        };
    }

    private static String freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return Integer.toString(s.getLocalPort());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    protected BundleContext context() {
        return FrameworkUtil.getBundle(getClass()).getBundleContext();
    }

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

    // ---------------------------------------------------------------- shell

    /** Runs one command as an admin, capturing what it prints; never throws for a failing command. */
    protected CommandResult run(String command) {
        SessionFactory factory = service(SessionFactory.class, null);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Session session = factory.create(new ByteArrayInputStream(new byte[0]), out, out);
        Subject admin = new Subject(false, Set.of(new UserPrincipal("itest"), new RolePrincipal("admin"),
                new RolePrincipal("manager"), new RolePrincipal("viewer"), new RolePrincipal("systembundles")), Set.of(), Set.of());
        Future<Object> result = SHELL.submit(() -> Subject.doAs(admin, (PrivilegedExceptionAction<Object>) () -> session.execute(command)));
        String error = null;
        try {
            Object value = result.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (value != null) {
                out.println(value);
            }
        } catch (ExecutionException e) {
            error = message(e.getCause());
        } catch (TimeoutException e) {
            result.cancel(true);
            error = "timed out after " + TIMEOUT;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        } finally {
            session.close();
        }
        out.flush();
        String output = bytes.toString(StandardCharsets.UTF_8).replaceAll("\u001B\\[[;\\d]*[A-Za-z]", "").strip();
        return new CommandResult(command, output, error);
    }

    private static String message(Throwable t) {
        Throwable cause = t;
        while (cause instanceof java.security.PrivilegedActionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }

    /** Runs a command that must succeed, and returns its output. */
    protected String ok(String command) {
        CommandResult r = run(command);
        if (r.failed()) {
            fail("command failed: " + r);
        }
        return r.output();
    }

    /** Runs a command that must fail, and returns its error message. */
    protected String fails(String command) {
        CommandResult r = run(command);
        assertTrue("command should have failed: " + r, r.failed());
        return r.error();
    }

    /** Runs a {@code --json} command that must succeed, and parses what it printed. */
    protected JsonNode json(String command) {
        String out = ok(command);
        try {
            return JSON.readTree(out);
        } catch (IOException e) {
            throw new AssertionError("not JSON from '" + command + "': " + out, e);
        }
    }

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

    protected static Optional<JsonNode> find(JsonNode array, Predicate<JsonNode> test) {
        for (Iterator<JsonNode> i = array.elements(); i.hasNext();) {
            JsonNode n = i.next();
            if (test.test(n)) {
                return Optional.of(n);
            }
        }
        return Optional.empty();
    }

    protected void awaitPoolAvailable(String pool, boolean available) {
        await("pool " + pool + (available ? " available" : " unavailable"),
                () -> pool(pool).map(p -> p.path("available").asBoolean() == available).orElse(false));
    }

    // ---------------------------------------------------------------- waiting

    /** Polls {@code condition} every {@link #POLL} until it holds or {@link #TIMEOUT} passes. */
    protected static void await(String what, Callable<Boolean> condition) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        Throwable last = null;
        while (true) {
            try {
                if (Boolean.TRUE.equals(condition.call())) {
                    return;
                }
                last = null;
            } catch (Exception | AssertionError e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                AssertionError e = new AssertionError("timed out after " + TIMEOUT + " waiting for: " + what);
                if (last != null) {
                    e.initCause(last);
                }
                throw e;
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what);
            }
        }
    }

    /** The service of {@code type} matching {@code filter} (may be null), waiting for it. */
    protected <T> T service(Class<T> type, String filter) {
        String f = "(objectClass=" + type.getName() + ")";
        if (filter != null) {
            f = "(&" + f + filter + ")";
        }
        ServiceTracker<T, T> tracker;
        try {
            tracker = new ServiceTracker<>(context(), context().createFilter(f), null);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
        tracker.open();
        try {
            assertNotNull("no service " + f + " within " + TIMEOUT, tracker.waitForService(TIMEOUT.toMillis()));
            // got through the test bundle's own context and never released: closing the tracker must not unget it
            // (Configuration Admin, a service factory, invalidates the object it handed out when it is released)
            T service = context().getService(tracker.getServiceReference());
            assertNotNull("service " + f + " went away", service);
            return service;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            tracker.close();
        }
    }

    protected TestSan san(String pool) {
        return service(TestSan.class, "(" + DriverProperties.POOL + "=" + pool + ")");
    }

    /** The probe of the test attach service whose {@code hypervisor.service} is {@code service} (a host's name for one host). */
    protected TestHypervisor hypervisor(String service) {
        return service(TestHypervisor.class, "(" + AttachProperties.SERVICE + "=" + service + ")");
    }

    protected Bundle bundle(String symbolicName) {
        for (Bundle b : context().getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("no bundle " + symbolicName);
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
