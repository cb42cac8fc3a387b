package org.spindle.driver.solidfire.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spindle.driver.solidfire.internal.element.ApiVersion;
import org.spindle.driver.solidfire.internal.element.ElementAuthException;
import org.spindle.driver.solidfire.internal.element.ElementException;
import org.spindle.driver.solidfire.internal.element.ElementTransportException;
import org.spindle.storage.api.Protocols;
import org.spindle.storage.api.driver.DriverProperties;
import org.spindle.storage.api.driver.StorageDriver;
import org.spindle.storage.api.driver.StorageQosCapability;

/**
 * Publishes one cluster's driver, free of OSGi types so that it can be tested without a framework. {@link #start()}
 * probes the cluster once, then:
 * <ul>
 * <li>bad credentials, a refused certificate, or a pinned API version the cluster lacks → rejected (nothing is
 * registered): these are configuration errors;</li>
 * <li>an answer → registered with the QoS ranges and smallest size of the cluster (GetLimits);</li>
 * <li>no answer → registered anyway (the pool exists, its calls fail with UNAVAILABLE until the cluster answers),
 * with the ranges every version accepts; the properties are updated when a later call discovers the cluster.</li>
 * </ul>
 */
final class DriverLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(DriverLifecycle.class);

    static final String DRIVER_TYPE = "solidfire";
    /**
     * What {@link SolidFireDriverComponent}'s component property types declare ({@code @StorageDriverType},
     * {@code @StorageProtocols}, {@code @StorageQosSupport}); used when the component properties lack them
     * (tests without a framework). {@link #declared} reads the component's own.
     */
    static final Map<String, Object> DECLARED = Map.of(DriverProperties.TYPE, DRIVER_TYPE,
            DriverProperties.PROTOCOLS, new String[] {Protocols.ISCSI},
            DriverProperties.QOS, new String[] {StorageQosCapability.MIN_IOPS.name(), StorageQosCapability.MAX_IOPS.name(),
                    StorageQosCapability.BURST_IOPS.name()});
    /** Vendor properties, for introspection only. */
    static final String PROP_MVIP = "solidfire.mvip";
    static final String PROP_API_VERSION = "solidfire.api.version";
    static final String PROP_CLUSTER = "solidfire.cluster";

    /** Registers a driver service; the OSGi version wraps {@code BundleContext.registerService}. */
    interface Registrar {
        Registration register(StorageDriver driver, Map<String, Object> properties);
    }

    /** A registered driver service. */
    interface Registration {
        void update(Map<String, Object> properties);

        void unregister();
    }

    /** Where rejections go: the core's RejectionReporter (when present) and the log. */
    interface Rejections {
        void rejected(String reason);
    }

    private final ClusterSettings settings;
    private final Map<String, Object> declared;
    private final String pid;
    private final Registrar registrar;
    private final Rejections rejections;
    private ClusterSession session;
    private StorageDriver driver;
    private Registration registration;
    private boolean stopped;

    DriverLifecycle(ClusterSettings settings, String pid, Registrar registrar, Rejections rejections) {
        this(settings, DECLARED, pid, registrar, rejections);
    }

    DriverLifecycle(ClusterSettings settings, Map<String, Object> declared, String pid, Registrar registrar,
                    Rejections rejections) {
        this.settings = settings;
        this.declared = Map.copyOf(declared);
        this.pid = pid;
        this.registrar = registrar;
        this.rejections = rejections;
    }

    /** Wires the driver to its session (the session reports discoveries back here). */
    synchronized void bind(ClusterSession s, StorageDriver d) {
        this.session = s;
        this.driver = d;
    }

    /** Probes the cluster and registers the driver, or rejects the configuration. Blocks for one attempt. */
    void start() {
        try {
            session.probe();
        } catch (ElementAuthException e) {
            reject("username/.password: " + e.getMessage());
            return;
        } catch (ElementTransportException e) {
            if (e.kind() == ElementTransportException.Kind.TLS) {
                reject((settings.fingerprint().isPresent() ? "tls.fingerprint.sha256: " : "tls.truststore: ") + e.getMessage());
                return;
            }
            LOG.warn("SolidFire cluster {} for pool {} does not answer ({}); the pool is registered and its calls fail "
                    + "until the cluster answers", settings.mvip(), settings.pool(), e.getMessage());
        } catch (ElementException e) {
            if (settings.apiVersion().isPresent() && (e.is("xUnknownAPIVersion") || e.is("xUnknownAPIMethod"))) {
                reject("api.version: the cluster at " + settings.mvip() + " does not serve API "
                        + settings.apiVersion().get() + " (" + e.getMessage() + ")");
                return;
            }
            LOG.warn("SolidFire cluster {} for pool {} is not ready ({}); the pool is registered and its calls retry "
                    + "discovery", settings.mvip(), settings.pool(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("SolidFire cluster {} for pool {}: discovery failed ({}); the pool is registered and its calls "
                    + "retry discovery", settings.mvip(), settings.pool(), e.getMessage());
        }
        synchronized (this) {
            if (stopped || registration != null) {
                return;
            }
            registration = registrar.register(driver, properties(session.known()));
            LOG.info("Pool {} served by SolidFire cluster {} (configuration {})", settings.pool(), settings.mvip(), pid);
        }
    }

    /** Called by the session when discovery succeeds (maybe after registration): refresh the properties. */
    synchronized void discovered(ClusterFacts facts) {
        if (registration != null && !stopped) {
            registration.update(properties(facts));
        }
    }

    synchronized void stop() {
        stopped = true;
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
            registration = null;
            LOG.info("Pool {} no longer served: configuration {} removed or changed", settings.pool(), pid);
        }
    }

    synchronized boolean registered() {
        return registration != null;
    }

    private void reject(String reason) {
        LOG.error("SolidFire configuration {} rejected: {}", pid, reason);
        rejections.rejected(reason);
    }

    /** The type, protocols and QoS a component declares, from its properties (or {@link #DECLARED}). */
    static Map<String, Object> declared(Map<String, ?> componentProperties) {
        Map<String, Object> d = new LinkedHashMap<>(DECLARED);
        for (String key : DECLARED.keySet()) {
            Object v = componentProperties.get(key);
            if (v != null) {
                d.put(key, v);
            }
        }
        return d;
    }

    /** The service properties; {@code facts} may be null (not discovered yet). */
    Map<String, Object> properties(ClusterFacts facts) {
        ApiVersion version = facts != null ? facts.version() : settings.apiVersion().orElse(null);
        ClusterLimits limits = facts != null ? facts.limits() : ClusterLimits.of(version);
        QosLimits qos = QosLimits.of(limits, settings.maxIopsCeiling());
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(DriverProperties.POOL, settings.pool());
        p.put(DriverProperties.TYPE, declared.get(DriverProperties.TYPE));
        p.put(DriverProperties.ZONE, settings.zone());
        p.put(DriverProperties.TAGS, settings.tags().toArray(new String[0]));
        p.put(DriverProperties.PROTOCOLS, declared.get(DriverProperties.PROTOCOLS));
        p.put(DriverProperties.MANAGED, Boolean.TRUE);
        p.put(DriverProperties.QOS, declared.get(DriverProperties.QOS));
        p.put(DriverProperties.QOS_MIN_IOPS_FLOOR, qos.minFloor());
        p.put(DriverProperties.QOS_MIN_IOPS_CEILING, qos.minCeiling());
        p.put(DriverProperties.QOS_MAX_IOPS_FLOOR, qos.maxFloor());
        p.put(DriverProperties.QOS_MAX_IOPS_CEILING, qos.maxCeiling());
        p.put(DriverProperties.VOLUME_SIZE_MIN, limits.sizeMin());
        p.put(PROP_MVIP, settings.mvip());
        if (version != null) {
            p.put(PROP_API_VERSION, version.toString());
        }
        if (facts != null) {
            p.put(PROP_CLUSTER, facts.clusterName());
        }
        if (pid != null) {
            p.put("service.pid", pid);
        }
        return p;
    }
}
