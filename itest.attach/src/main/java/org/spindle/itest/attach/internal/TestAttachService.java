package org.spindle.itest.attach.internal;

import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.ComponentException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.spindle.itest.attach.probe.TestHypervisor;
import org.spindle.storage.api.RequireSpindleStorage;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.attach.HypervisorAttachService;
import org.spindle.storage.api.attach.StaticDisks;
import org.spindle.storage.api.runtime.RejectionReporter;

/**
 * One test hypervisor host or cluster per factory configuration of {@value #PID}. It registers a
 * {@link TestCluster} by hand (as {@link HypervisorAttachService} and {@link TestHypervisor}, and as
 * {@link StaticDisks} too when {@code structures} are configured) so that the configuration keys become the
 * properties of {@link AttachSettings#properties()}.
 *
 * <p>A configuration update is applied to the SAME registration ({@link ServiceRegistration#setProperties}), and
 * what the service attached stays: the core sees the service modified, as when a VM migrates or a host joins a
 * real cluster. Only when {@code structures} appear or go does the service register again (its interfaces
 * change), still with its state. An update that is invalid withdraws the service and reports the rejection; a
 * later valid one brings it back.
 */
@Component(name = TestAttachService.PID, configurationPid = TestAttachService.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true, service = {},
        reference = @Reference(name = TestAttachService.REPORTER, service = RejectionReporter.class,
                cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC))
@Designate(ocd = TestAttachConfig.class, factory = true)
@RequireSpindleStorage
public class TestAttachService {
    static final String PID = "org.spindle.itest.attach";
    static final String REPORTER = "reporter";

    private final ComponentContext component;
    private final String pid;
    private final Ledger ledger = new Ledger();
    private TestCluster cluster;
    private ServiceRegistration<?> registration;
    /** {@code call.latency.ms} of the configuration in force. */
    private volatile long latencyMillis;

    @Activate
    public TestAttachService(TestAttachConfig config, ComponentContext component, Map<String, Object> properties) {
        this.component = component;
        this.pid = String.valueOf(properties.get("service.pid"));
        try {
            apply(config);
        } catch (StorageException e) {
            throw new ComponentException(e.getMessage(), e);
        }
    }

    @Modified
    void modified(TestAttachConfig config) {
        try {
            apply(config);
        } catch (StorageException e) {
            // reported and withdrawn by apply; the component stays, so that a fixed configuration brings it back
        }
    }

    @Deactivate
    synchronized void deactivate() {
        unregister();
    }

    /** Validates {@code config} and registers, or updates the registration of, the service it describes. */
    private synchronized void apply(TestAttachConfig config) {
        RejectionReporter reporter = (RejectionReporter) component.locateService(REPORTER);
        AttachSettings settings;
        try {
            settings = AttachSettings.of(pid, config);
        } catch (StorageException e) {
            unregister();
            if (reporter != null) {
                reporter.rejected(RejectionReporter.Kind.ATTACH_SERVICE, pid,
                        component.getBundleContext().getBundle().getSymbolicName(), config.hypervisor_type(), e.getMessage());
            }
            throw e;
        }
        if (!config.state_dir().isBlank()) {
            synchronized (ledger) {
                ledger.useStateDir(java.nio.file.Path.of(config.state_dir()));
            }
        }
        latencyMillis = config.call_latency_ms();
        boolean disks = !settings.structures().isEmpty();
        if (registration != null && (cluster instanceof StaticDisks) == disks) {
            cluster.update(settings);
            registration.setProperties(settings.properties());
        } else {
            unregister();
            cluster = disks ? new TestClusterWithDisks(ledger, settings) : new TestCluster(ledger, settings);
            registration = register(component.getBundleContext(), cluster, settings, ledger, () -> latencyMillis);
        }
        if (reporter != null) {
            reporter.cleared(pid);
        }
    }

    private static ServiceRegistration<?> register(BundleContext context, TestCluster cluster, AttachSettings settings, Ledger ledger,
                                                   java.util.function.LongSupplier latency) {
        Class<?>[] types = cluster instanceof StaticDisks
                ? new Class<?>[] {HypervisorAttachService.class, StaticDisks.class, TestHypervisor.class}
                : new Class<?>[] {HypervisorAttachService.class, TestHypervisor.class};
        String[] interfaces = java.util.Arrays.stream(types).map(Class::getName).toArray(String[]::new);
        // every call is one step of the (possibly shared) hypervisor: see Ledger.around; a call of the service (not of the
        // probe) waits its round trip (call.latency.ms) first, outside the ledger's lock, so concurrent calls wait together
        Object service = java.lang.reflect.Proxy.newProxyInstance(TestAttachService.class.getClassLoader(), types, (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return method.invoke(cluster, args);
            }
            long wait = method.getDeclaringClass() == TestHypervisor.class ? 0 : latency.getAsLong();
            if (wait > 0) {
                Thread.sleep(wait);
            }
            try {
                return ledger.around(() -> method.invoke(cluster, args));
            } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
            }
        });
        return context.registerService(interfaces, service, settings.properties());
    }

    private void unregister() {
        if (registration == null) {
            return;
        }
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the bundle is stopping
        }
        registration = null;
    }
}
