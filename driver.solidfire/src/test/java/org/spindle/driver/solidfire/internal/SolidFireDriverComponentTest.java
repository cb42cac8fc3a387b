package org.spindle.driver.solidfire.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.spindle.storage.api.driver.StorageDriver;
import org.spindle.storage.api.runtime.RejectionReporter;

/** The DS component with a recording BundleContext: what it registers, reports and withdraws. */
class SolidFireDriverComponentTest {
    static final String PID = "org.spindle.driver.solidfire.cluster1";

    /** What the fake framework saw. */
    static final class Framework {
        final List<String> events = Collections.synchronizedList(new ArrayList<>());
        volatile Dictionary<String, ?> properties;

        BundleContext context() {
            Bundle bundle = (Bundle) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Bundle.class},
                    (p, m, a) -> m.getName().equals("getSymbolicName") ? "org.spindle.driver.solidfire" : null);
            return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BundleContext.class},
                    (p, m, a) -> switch (m.getName()) {
                        case "getBundle" -> bundle;
                        case "registerService" -> {
                            assertEquals(StorageDriver.class, a[0]);
                            assertTrue(a[1] instanceof StorageDriver);
                            properties = (Dictionary<String, ?>) a[2];
                            events.add("registered " + properties.get("storage.pool"));
                            yield registration();
                        }
                        default -> throw new UnsupportedOperationException(m.getName());
                    });
        }

        ServiceRegistration<?> registration() {
            return (ServiceRegistration<?>) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {ServiceRegistration.class}, (p, m, a) -> {
                        events.add(m.getName());
                        return null;
                    });
        }
    }

    /** A RejectionReporter that records its calls. */
    static final class Reporter implements RejectionReporter {
        final List<String> calls = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void rejected(Kind kind, String pid, String bundle, String type, String reason) {
            calls.add(kind + " " + pid + " " + bundle + " " + type + ": " + reason);
        }

        @Override
        public void cleared(String pid) {
            calls.add("cleared " + pid);
        }
    }

    TestCluster cluster;
    Framework framework;
    Reporter reporter;

    @BeforeEach
    void start() throws IOException {
        cluster = TestCluster.start();
        framework = new Framework();
        reporter = new Reporter();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    static Map<String, Object> componentProperties(Map<String, Object> config) {
        Map<String, Object> p = new HashMap<>(config);
        p.put("service.pid", PID);
        return p;
    }

    @Test
    void anInvalidConfigurationIsReportedAndRegistersNothing() {
        Map<String, Object> c = cluster.config();
        c.remove("storage.zone");
        SolidFireDriverComponent component = new SolidFireDriverComponent();
        component.setReporter(reporter);
        component.activate(framework.context(), Configs.of(c), componentProperties(c));
        assertEquals(List.of("DRIVER " + PID + " org.spindle.driver.solidfire solidfire: storage.zone: is missing"), reporter.calls);
        component.deactivate();
        assertEquals("cleared " + PID, reporter.calls.get(1));
        assertEquals(List.of(), framework.events);
    }

    @Test
    void aReporterArrivingLaterHearsOfTheRejection() {
        Map<String, Object> c = cluster.config();
        c.put("burst.factor", "0.5");
        SolidFireDriverComponent component = new SolidFireDriverComponent();
        component.activate(framework.context(), Configs.of(c), componentProperties(c));
        component.setReporter(reporter);
        assertEquals(List.of("DRIVER " + PID + " org.spindle.driver.solidfire solidfire: burst.factor: must be between 1.0 "
                + "and 100 (was 0.5)"), reporter.calls);
        component.unsetReporter(reporter);
        component.deactivate();
        assertEquals(1, reporter.calls.size());
    }

    @Test
    void aValidConfigurationRegistersTheDriverAndDeletingItUnregisters() throws InterruptedException {
        Map<String, Object> c = cluster.config();
        SolidFireDriverComponent component = new SolidFireDriverComponent();
        component.setReporter(reporter);
        component.activate(framework.context(), Configs.of(c), componentProperties(c));
        for (int i = 0; i < 100 && framework.events.isEmpty(); i++) {
            Thread.sleep(50);
        }
        assertEquals(List.of("registered sf-gold"), framework.events);
        assertEquals(50L, framework.properties.get("storage.qos.min-iops.floor"));
        assertEquals(PID, framework.properties.get("service.pid"));
        component.deactivate();
        assertEquals(List.of("registered sf-gold", "unregister"), framework.events);
        assertEquals(List.of(), reporter.calls);
    }

    @Test
    void badCredentialsFoundByTheProbeAreReported() throws InterruptedException {
        Map<String, Object> c = cluster.config();
        c.put(".password", "wrong-password-1");
        SolidFireDriverComponent component = new SolidFireDriverComponent();
        component.setReporter(reporter);
        component.activate(framework.context(), Configs.of(c), componentProperties(c));
        for (int i = 0; i < 100 && reporter.calls.isEmpty(); i++) {
            Thread.sleep(50);
        }
        assertEquals(List.of("DRIVER " + PID + " org.spindle.driver.solidfire solidfire: username/.password: bad credentials "
                + "for cluster admin admin at " + cluster.mvip()), reporter.calls);
        component.deactivate();
        assertEquals(List.of(), framework.events);
    }
}
