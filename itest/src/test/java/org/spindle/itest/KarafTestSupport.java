package org.spindle.itest;

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
import java.nio.charset.StandardCharsets;
import java.security.PrivilegedExceptionAction;
import java.time.Duration;
import java.util.Iterator;
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
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.ops4j.pax.exam.options.MavenArtifactUrlReference;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Base of the Pax Exam tests: boots the Spindle distribution (the tar.gz from the local repository) with the two
 * test bundles, and gives the tests
 * <ul>
 * <li>{@link #run}/{@link #ok}/{@link #fails}: {@code storage:} commands through Karaf's {@link SessionFactory},
 * output captured, a failed command's exception message surfaced;</li>
 * <li>{@link #json}: a {@code --json} command's output parsed with Jackson;</li>
 * <li>{@link #await}: polling for a condition with a timeout (no fixed sleeps);</li>
 * <li>{@link #service}/{@link #bundle}: services and bundles of the container.</li>
 * </ul>
 * {@link SpindleKarafTestSupport} adds Spindle's volumes, pools, test bundles' probes and configurations.
 */
public abstract class KarafTestSupport {
    protected static final String VERSION = System.getProperty("spindle.version", "0.1.0-SNAPSHOT");
    protected static final Duration TIMEOUT = Duration.ofSeconds(Long.getLong("spindle.itest.timeout.seconds", 60));
    protected static final Duration POLL = Duration.ofMillis(50);
    protected static final ObjectMapper JSON = new ObjectMapper();
    private static final ExecutorService SHELL = Executors.newCachedThreadPool();

    @org.ops4j.pax.exam.Configuration
    public Option[] config() {
        MavenArtifactUrlReference distribution = maven().groupId("org.spindle").artifactId("org.spindle.distribution")
                .version(VERSION).type("tar.gz");
        String localRepository = System.getProperty("org.ops4j.pax.url.mvn.localRepository",
                System.getProperty("user.home") + "/.m2/repository");
        FreePorts ports = new FreePorts();
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
            // what bin/karaf opens to Karaf's bundles on Java 9+ (Aries proxy defines classes through java.lang), which
            // Pax Exam's own launch leaves out
            vmOptions("--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/java.util=ALL-UNNAMED",
                    "--add-opens", "java.base/java.security=ALL-UNNAMED", "--add-opens", "java.base/java.net=ALL-UNNAMED"),
            // these tests call Spindle's services as an embedder's bundle does, without a JAAS subject: Karaf's guard
            // of the shipped distribution (karaf.secured.services) would refuse them; SecurityIT tests the guard
            editConfigurationFilePut("etc/system.properties", "karaf.secured.services", "(&(osgi.command.scope=*)(osgi.command.function=*))"),
            // random ports: the tests run beside a running distribution (or another test run)
            editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiRegistryPort", Integer.toString(ports.next())),
            editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiServerPort", Integer.toString(ports.next())),
            editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", Integer.toString(ports.next())),
            editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.localRepository", localRepository),
            editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.repositories",
                    "https://repo1.maven.org/maven2@id=central"),
            Boolean.getBoolean("spindle.itest.keep") ? keepRuntimeFolder() : new org.ops4j.pax.exam.options.DefaultCompositeOption(),
            mavenBundle("org.spindle", "org.spindle.itest.driver", VERSION).start(),
            mavenBundle("org.spindle", "org.spindle.itest.attach", VERSION).start(),
        };
    }


    protected BundleContext context() {
        return FrameworkUtil.getBundle(getClass()).getBundleContext();
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

    protected static Optional<JsonNode> find(JsonNode array, Predicate<JsonNode> test) {
        for (Iterator<JsonNode> i = array.elements(); i.hasNext();) {
            JsonNode n = i.next();
            if (test.test(n)) {
                return Optional.of(n);
            }
        }
        return Optional.empty();
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

    protected Bundle bundle(String symbolicName) {
        for (Bundle b : context().getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("no bundle " + symbolicName);
    }
}
