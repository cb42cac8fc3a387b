package org.spindle.driver.solidfire.internal;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Supplier;

import org.spindle.solidfire.simulator.CallCounter;
import org.spindle.solidfire.simulator.ElementSimulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Not a test: measures, in one run, what the driver's reads cost against the simulator holding {@code volumes}
 * SAN volumes, each figure as a ratio to its reference measured beside it. Run (from the repository root, after
 * {@code mvn -o -q install -pl solidfire.simulator,driver.solidfire -DskipTests}):
 * <pre>
 * mvn -o -q -pl driver.solidfire dependency:build-classpath -Dmdep.outputFile=/tmp/sf.cp -Dmdep.includeScope=test
 * java -cp driver.solidfire/target/test-classes:driver.solidfire/target/classes:$(cat /tmp/sf.cp) \
 *      org.spindle.driver.solidfire.internal.SanCallsBench 5000 5
 * </pre>
 * Arguments: SAN volumes (default 5000), the call latency in ms for the last figure (default 5).
 */
public final class SanCallsBench {
    private SanCallsBench() {
    }

    public static void main(String[] args) throws Exception {
        int volumes = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        long latencyMs = args.length > 1 ? Long.parseLong(args[1]) : 5;
        try (TestCluster cluster = TestCluster.start(ElementSimulator.TgtMode.OFF, b -> b.threads(4))) {
            ElementSimulator sim = cluster.sim;
            ObjectMapper json = new ObjectMapper();
            long account = sim.invoke("AddAccount", json.createObjectNode().put("username", "spindle_bench"), "12.3")
                    .path("accountID").asLong();
            for (int i = 0; i < volumes; i++) {
                ObjectNode p = json.createObjectNode().put("name", "b" + i).put("accountID", account).put("totalSize", 1_000_000_000L);
                p.putObject("qos").put("minIOPS", 100).put("maxIOPS", 1000).put("burstIOPS", 1000);
                p.putObject("attributes").put("spindle-uuid", UUID.randomUUID().toString());
                sim.invoke("CreateVolume", p, "12.3");
            }
            ClusterSettings s = cluster.settings(cluster.config());
            SolidFireStorageDriver now = driver(s, GuaranteedIops.MAX_AGE);
            SolidFireStorageDriver listing = driver(s, Duration.ZERO); // capacity() as before: a full listing each time
            int n = 30;
            for (int i = 0; i < 3; i++) { // warm-up, and the first listing of each
                now.capacity();
                listing.capacity();
                now.listVolumes();
            }
            Figure before = measure(sim, n, listing::capacity);
            Figure after = measure(sim, n, now::capacity);
            Figure list = measure(sim, n, now::listVolumes);
            System.out.printf("SAN volumes: %d, %d calls each%n", volumes, n);
            System.out.printf("capacity(), full listing each time (before): %.2f ms, Element calls %s%n", before.ms, before.calls);
            System.out.printf("capacity(), tally (now):                     %.2f ms, Element calls %s%n", after.ms, after.calls);
            System.out.printf("  ratio now / before: %.3f%n", after.ms / before.ms);
            System.out.printf("listVolumes() (the audit's read of a pool):  %.2f ms, Element calls %s%n", list.ms, list.calls);

            UUID seen = now.listVolumes().get(volumes / 2).volumeId();
            Figure findSeen = measure(sim, n, () -> now.findVolume(seen));
            Figure findUnseen = measure(sim, n, () -> now.findVolume(UUID.randomUUID())); // never seen: a listing
            System.out.printf("findVolume(), a volume the driver has seen:  %.2f ms, Element calls %s%n", findSeen.ms, findSeen.calls);
            System.out.printf("findVolume(), one it has not (listing):      %.2f ms, Element calls %s%n", findUnseen.ms, findUnseen.calls);
            System.out.printf("  ratio seen / listing: %.3f%n", findSeen.ms / findUnseen.ms);

            Figure bare = measure(sim, n, now::capacity);
            sim.callLatency(Duration.ofMillis(latencyMs));
            Figure slow = measure(sim, n, now::capacity);
            System.out.printf("capacity() with a %d ms call latency: %.2f ms; (that - without latency %.2f ms) / %d ms = %.3f%n",
                    latencyMs, slow.ms, bare.ms, latencyMs, (slow.ms - bare.ms) / latencyMs);
        }
    }

    private record Figure(double ms, CallCounter.Counts calls) {
    }

    private static Figure measure(ElementSimulator sim, int n, Supplier<?> op) {
        CallCounter.Counts before = sim.calls().snapshot();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            op.get();
        }
        double ms = (System.nanoTime() - t0) / 1e6 / n;
        CallCounter.Counts d = sim.calls().snapshot().minus(before);
        java.util.Map<String, Long> per = new java.util.TreeMap<>();
        d.byMethod().forEach((m, c) -> per.put(m, c / n));
        return new Figure(ms, new CallCounter.Counts(per));
    }

    private static SolidFireStorageDriver driver(ClusterSettings s, Duration maxAge) throws ConfigException {
        return new SolidFireStorageDriver(s, new ClusterSession(s, DriverAssembly.client(s), f -> { }),
                new Accounts(s.accountPrefix(), new SecureRandom()), new AccessGroups(new GroupNaming(s.accountPrefix())),
                new QosRules(s), new GuaranteedIops(System::nanoTime, maxAge));
    }
}
