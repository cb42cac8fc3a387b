package org.spindle.driver.solidfire.internal;

import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spindle.storage.api.Protocols;
import org.spindle.storage.api.RequireSpindleStorage;
import org.spindle.storage.api.StorageProtocols;
import org.spindle.storage.api.driver.StorageDriverType;
import org.spindle.storage.api.driver.StorageQosCapability;
import org.spindle.storage.api.driver.StorageQosSupport;
import org.spindle.storage.api.driver.StorageDriver;
import org.spindle.storage.api.runtime.RejectionReporter;

/**
 * One factory configuration {@value #PID} = one SolidFire cluster = one {@link StorageDriver} service.
 *
 * <p>The component declares the driver's type, protocols and QoS with the API's component property types; their
 * values travel in its properties to the service it registers. It provides no service itself: it registers the
 * driver through the {@link BundleContext} once a probe of the cluster has run, because some properties (the QoS
 * ranges, the smallest volume) depend on what the cluster reports, and may change when an unreachable cluster is discovered later
 * ({@code ServiceRegistration.setProperties}). The probe runs on the component's own thread so that activation
 * never waits for the network. An invalid configuration registers nothing and is reported to the core's
 * {@link RejectionReporter}, whenever that appears.
 */
@Component(name = SolidFireDriverComponent.PID, configurationPid = SolidFireDriverComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, service = {}, immediate = true)
@Designate(ocd = SolidFireConfig.class, factory = true)
@RequireSpindleStorage
@StorageDriverType(DriverLifecycle.DRIVER_TYPE)
@StorageProtocols(Protocols.ISCSI)
@StorageQosSupport(qos = {StorageQosCapability.MIN_IOPS, StorageQosCapability.MAX_IOPS, StorageQosCapability.BURST_IOPS})
public class SolidFireDriverComponent {
    public static final String PID = "org.spindle.driver.solidfire";
    private static final Logger LOG = LoggerFactory.getLogger(SolidFireDriverComponent.class);

    private volatile RejectionReporter reporter;
    private volatile String rejection;
    private String pid;
    private String bundle;
    private DriverLifecycle lifecycle;
    private ExecutorService executor;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setReporter(RejectionReporter r) {
        reporter = r;
        String why = rejection;
        if (why != null) {
            r.rejected(RejectionReporter.Kind.DRIVER, pid, bundle, DriverLifecycle.DRIVER_TYPE, why);
        }
    }

    void unsetReporter(RejectionReporter r) {
        if (reporter == r) {
            reporter = null;
        }
    }

    @Activate
    void activate(BundleContext context, SolidFireConfig config, Map<String, Object> properties) {
        pid = String.valueOf(properties.getOrDefault(Constants.SERVICE_PID, PID));
        bundle = context.getBundle().getSymbolicName();
        try {
            lifecycle = DriverAssembly.assemble(ClusterSettings.from(config, properties),
                    DriverLifecycle.declared(properties), pid, registrar(context), this::rejected);
        } catch (ConfigException e) {
            LOG.error("SolidFire configuration {} rejected: {}", pid, e.getMessage());
            rejected(e.getMessage());
            return;
        }
        executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "spindle-solidfire-" + pid);
            t.setDaemon(true);
            return t;
        });
        executor.execute(lifecycle::start);
    }

    @Deactivate
    void deactivate() {
        if (executor != null) {
            executor.shutdownNow();
        }
        if (lifecycle != null) {
            lifecycle.stop();
        }
        RejectionReporter r = reporter;
        if (rejection != null && r != null) {
            r.cleared(pid);
        }
        rejection = null;
    }

    private void rejected(String reason) {
        rejection = reason;
        RejectionReporter r = reporter;
        if (r != null) {
            r.rejected(RejectionReporter.Kind.DRIVER, pid, bundle, DriverLifecycle.DRIVER_TYPE, reason);
        }
    }

    private static DriverLifecycle.Registrar registrar(BundleContext context) {
        return (driver, properties) -> {
            ServiceRegistration<StorageDriver> reg = context.registerService(StorageDriver.class, driver,
                    new Hashtable<>(properties));
            return new DriverLifecycle.Registration() {
                @Override
                public void update(Map<String, Object> p) {
                    reg.setProperties(new Hashtable<>(p));
                }

                @Override
                public void unregister() {
                    reg.unregister();
                }
            };
        };
    }
}
