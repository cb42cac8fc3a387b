package org.spindle.driver.solidfire.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.spindle.driver.solidfire.internal.Requests.GB;
import static org.spindle.driver.solidfire.internal.Requests.host;
import static org.spindle.driver.solidfire.internal.Requests.volume;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.spindle.solidfire.simulator.Views;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.driver.SanVolume;
import org.spindle.storage.api.driver.SanVolumeRef;
import org.spindle.storage.api.qos.StorageQos;

/**
 * A full flow, failures included, with the driver's log captured (slf4j-simple at debug, on System.err): neither
 * the admin password (nor its Basic encoding) nor any CHAP secret appears in a log line, an exception message or a
 * value's {@code toString()}.
 */
class NoSecretsTest {
    final List<String> texts = new ArrayList<>();

    void fails(Executable call) {
        StorageException e = assertThrows(StorageException.class, call);
        for (Throwable t = e; t != null; t = t.getCause()) {
            texts.add(String.valueOf(t.getMessage()));
            texts.add(t.toString());
        }
    }

    @Test
    void noSecretInLogsOrMessages() throws IOException, ConfigException {
        try (TestCluster cluster = TestCluster.start(); LogCapture log = new LogCapture()) {
            Map<String, Object> config = cluster.config();
            ClusterSettings settings = cluster.settings(config);
            texts.add(settings.toString());
            texts.add(DriverAssembly.client(settings).toString());

            DriverLifecycle lifecycle = DriverAssembly.assemble(settings, DriverLifecycle.DECLARED, "pid-1", new FakeRegistrar(), texts::add);
            lifecycle.start();
            SolidFireStorageDriver driver = cluster.driver(config);
            SanVolume v = driver.createVolume(volume("v1", "tenant-a", new StorageQos(500, 1000, 0)));
            texts.add(v.toString());
            Target t = driver.grantAccess(v.ref(), host(1));
            texts.add(t.toString());
            texts.add(t.chap().toString());
            texts.add(driver.grantAccess(v.ref(), host(2)).toString());
            driver.resizeVolume(v.ref(), 2 * GB);
            driver.modifyQos(v.ref(), new StorageQos(600, 1200, 2400));
            texts.add(driver.capacity().toString());
            texts.add(driver.volumeStats(v.ref()).toString());
            texts.add(driver.listVolumes().toString());
            driver.revokeAccess(v.ref(), host(1));

            // failures
            fails(() -> driver.resizeVolume(v.ref(), GB));
            fails(() -> driver.modifyQos(v.ref(), new StorageQos(10, 20, 30)));
            fails(() -> driver.grantAccess(new SanVolumeRef(UUID.randomUUID(), "999"), host(1)));
            fails(() -> driver.deleteVolume(new SanVolumeRef(UUID.randomUUID(), v.sanId())));
            cluster.sim.faults().failNext("AddAccount", 1, "xInvalidParameter", "bad account");
            fails(() -> driver.createVolume(volume("v2", "tenant-b")));
            cluster.sim.faults().failNext("GetAccountByID", 6, "xDBVersionMismatch", "busy");
            fails(() -> driver.grantAccess(v.ref(), host(3)));
            Map<String, Object> wrong = cluster.config();
            wrong.put(".password", "wrong-" + TestCluster.PASSWORD);
            fails(() -> cluster.driver(wrong).createVolume(volume("v3", "tenant-a")));
            DriverAssembly.assemble(cluster.settings(wrong), DriverLifecycle.DECLARED, "pid-2", new FakeRegistrar(), texts::add).start();
            Map<String, Object> pin = cluster.config();
            pin.put("tls.fingerprint.sha256", "cd".repeat(32));
            fails(() -> cluster.driver(pin).capacity());

            driver.deleteVolume(v.ref());
            lifecycle.stop();

            String logged = log.text();
            assertTrue(logged.contains("created as SolidFire volume"), "the capture works: " + logged);
            assertTrue(logged.contains("Created SolidFire account spindle_tenant-a"), logged);
            List<String> secrets = new ArrayList<>(List.of(TestCluster.PASSWORD, Base64.getEncoder().encodeToString(
                    (TestCluster.USER + ":" + TestCluster.PASSWORD).getBytes(StandardCharsets.UTF_8))));
            for (Views.Account a : cluster.sim.accounts()) {
                secrets.add(a.initiatorSecret());
                secrets.add(a.targetSecret());
            }
            assertTrue(secrets.size() >= 4);
            String all = logged + "\n" + String.join("\n", texts);
            for (String s : secrets) {
                assertFalse(all.contains(s), "a secret leaked into the log or a message");
            }
        }
    }
}
