package org.spindle.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.After;
import org.junit.Test;

/**
 * A restart keeps pools, offerings, volumes and their states.
 *
 * <p>Not a Pax Exam test: Pax Exam boots its container once per class and cannot restart it in the middle of a
 * test; two classes sharing a kept runtime folder would depend on their order and on Pax Exam's folder layout.
 * This test runs the distribution as an operator does instead, from its tar.gz, through {@code bin/start},
 * its shell over ssh and {@code bin/stop}: a real JVM exit and a real cold start over the same {@code data/}
 * (H2 file, Config Admin, bundle data areas). The test bundles go in through {@code deploy/} and their factory
 * configurations through {@code etc/PID-NAME.config}, as an operator would add a driver.
 */
public class RestartIT {
    private static final Duration READY = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();

    private KarafProcess karaf;

    @After
    public void stop() throws Exception {
        if (karaf != null) {
            karaf.close();
        }
    }

    @Test
    public void restartKeepsPoolsOfferingsVolumesAndStates() throws Exception {
        karaf = KarafProcess.unpack(Paths.get(System.getProperty("spindle.distribution.tar")), Paths.get("target/restart/spindle"));
        Files.copy(Paths.get(System.getProperty("spindle.itest.driver.jar")), karaf.home.resolve("deploy/org.spindle.itest.driver.jar"));
        Files.copy(Paths.get(System.getProperty("spindle.itest.attach.jar")), karaf.home.resolve("deploy/org.spindle.itest.attach.jar"));
        Files.writeString(karaf.home.resolve("etc/org.spindle.itest.driver-sf1.config"),
                "storage.pool=\"sf1\"\nstorage.zone=\"z1\"\nstorage.tags=[\"gold\"]\n");
        Files.writeString(karaf.home.resolve("etc/org.spindle.itest.attach-h1.config"),
                "hypervisor.hosts=[\"h1\"]\nstorage.zone=\"z1\"\nstorage.protocols=[\"iscsi\"]\n"
                        + "hypervisor.limits=[\"iops\",\"bps\",\"read-write\",\"total\",\"burst\",\"burst-length\"]\nvms=[\"vm1\"]\n");

        long t0 = System.nanoTime();
        karaf.start();
        awaitReady();
        System.out.printf("first start: bin/start -> pool sf1 and host h1 ready in %.1f s%n", (System.nanoTime() - t0) / 1e9);

        KarafProcess.Result setup = karaf.client(
                "storage:offering-create --tags gold --min-iops 500 --max-iops 1000 --burst-iops 1500 --read-iops 400 --write-iops 200 gold",
                "storage:volume-create --offering gold --size 1G r1",
                "storage:volume-create --offering gold --size 2G r2",
                "storage:volume-attach r2 vm1");
        Map<String, String> before = states();
        assertEquals(setup.output(), Map.of("r1", "ALLOCATED", "r2", "ATTACHED"), names(before));
        JsonNode offeringsBefore = json("storage:offering-list --json");

        karaf.stop(Duration.ofSeconds(60));
        long t1 = System.nanoTime();
        karaf.start();
        awaitReady();
        System.out.printf("restart: bin/start -> pool sf1 and host h1 ready in %.1f s%n", (System.nanoTime() - t1) / 1e9);

        assertEquals("volumes (id, name, state) after the restart", before, states());
        assertEquals("offerings after the restart", offeringsBefore, json("storage:offering-list --json"));

        // the persisted attachment and SAN still work: detach what was attached before the restart, attach the other
        karaf.client("storage:volume-detach r2", "storage:volume-attach r1 vm1");
        assertEquals(Map.of("r1", "ATTACHED", "r2", "READY"), names(states()));
        try (Stream<Path> files = Files.walk(karaf.home.resolve("data/cache"))) {
            assertTrue("the test SAN's state is in its bundle's data area",
                    files.anyMatch(f -> f.getFileName().toString().equals("san-sf1.properties")));
        }
    }

    private void awaitReady() throws IOException, InterruptedException {
        karaf.awaitClient(READY, r -> r.output().contains("\"sf1\"") && r.output().contains("\"h1\"")
                && r.output().contains("\"available\" : true"),
                "storage:pool-list --json", "storage:hypervisor-list --json");
    }

    /** id → name + state, from volume-list --all --json. */
    private Map<String, String> states() throws IOException, InterruptedException {
        Map<String, String> m = new TreeMap<>();
        for (JsonNode v : json("storage:volume-list --all --json")) {
            m.put(v.path("id").asText(), v.path("name").asText() + " " + v.path("state").asText());
        }
        return m;
    }

    private static Map<String, String> names(Map<String, String> states) {
        Map<String, String> m = new TreeMap<>();
        states.values().forEach(s -> m.put(s.split(" ")[0], s.split(" ")[1]));
        return m;
    }

    private JsonNode json(String command) throws IOException, InterruptedException {
        String out = karaf.client(command).output();
        int start = Math.min(out.indexOf('[') < 0 ? Integer.MAX_VALUE : out.indexOf('['), out.indexOf('{') < 0 ? Integer.MAX_VALUE : out.indexOf('{'));
        if (start == Integer.MAX_VALUE) {
            throw new AssertionError("no JSON from " + command + ": " + out);
        }
        return JSON.readTree(out.substring(start));
    }
}
