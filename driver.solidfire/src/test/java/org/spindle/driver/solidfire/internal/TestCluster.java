package org.spindle.driver.solidfire.internal;

import java.io.IOException;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;

import org.spindle.solidfire.simulator.ElementSimulator;

/** A simulator plus the driver configuration that reaches it. */
final class TestCluster implements AutoCloseable {
    static final String USER = "admin";
    static final String PASSWORD = "Adm1n-pa55word";

    final ElementSimulator sim;

    private TestCluster(ElementSimulator sim) {
        this.sim = sim;
    }

    static TestCluster start() throws IOException {
        return start(ElementSimulator.TgtMode.OFF, b -> b);
    }

    static TestCluster start(ElementSimulator.TgtMode tgt, UnaryOperator<ElementSimulator.Builder> tweak) throws IOException {
        ElementSimulator.Builder b = ElementSimulator.builder().credentials(USER, PASSWORD).tgt(tgt)
                .uniqueId("d" + UUID.randomUUID().toString().substring(0, 5));
        return new TestCluster(tweak.apply(b).start());
    }

    String mvip() {
        return URI.create(sim.url()).getAuthority();
    }

    /** The LUN the simulator serves volumes at: 1 through tgt, else the real SolidFire's 0. */
    int lun() {
        return Math.max(0, sim.lun());
    }

    /** A valid configuration for this simulator; the map is mutable. */
    Map<String, Object> config() {
        Map<String, Object> c = new HashMap<>();
        c.put("mvip", mvip());
        c.put("username", USER);
        c.put(".password", PASSWORD);
        c.put("tls.fingerprint.sha256", sim.certificateSha256());
        c.put("storage.pool", "sf-gold");
        c.put("storage.zone", "zone1");
        c.put("storage.tags", "gold,ssd");
        c.put("target.lun", lun());
        c.put("retry.backoff.ms", 5);
        c.put("timeout.request.ms", 10_000);
        return c;
    }

    ClusterSettings settings(Map<String, ?> config) {
        try {
            return ClusterSettings.from(Configs.of(config));
        } catch (ConfigException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    SolidFireStorageDriver driver() {
        return driver(config());
    }

    SolidFireStorageDriver driver(Map<String, ?> config) {
        ClusterSettings s = settings(config);
        try {
            return DriverAssembly.driver(s, new ClusterSession(s, DriverAssembly.client(s), f -> { }));
        } catch (ConfigException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        sim.stop();
    }
}
