package org.spindle.solidfire.simulator;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** 1000 GetClusterInfo calls over one keep-alive HTTPS connection; prints mean and p99. */
class LatencyTest {
    @Test
    void getClusterInfoLatency() throws IOException, InterruptedException {
        try (ElementSimulator sim = ElementSimulator.builder().tgt(ElementSimulator.TgtMode.OFF).start()) {
            Rpc rpc = new Rpc(sim);
            HttpRequest req = HttpRequest.newBuilder(sim.endpoint("8.0")).timeout(Duration.ofSeconds(10))
                    .header("Authorization", sim.basicAuthorization())
                    .POST(HttpRequest.BodyPublishers.ofString("{\"method\":\"GetClusterInfo\",\"params\":{},\"id\":1}")).build();
            for (int i = 0; i < 200; i++) { // warm-up
                rpc.http.send(req, HttpResponse.BodyHandlers.ofString());
            }
            int n = 1000;
            long[] nanos = new long[n];
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                HttpResponse<String> r = rpc.http.send(req, HttpResponse.BodyHandlers.ofString());
                nanos[i] = System.nanoTime() - t0;
                assertEquals(200, r.statusCode());
            }
            Arrays.sort(nanos);
            double mean = Arrays.stream(nanos).average().orElseThrow() / 1e6;
            double p99 = nanos[(int) Math.ceil(n * 0.99) - 1] / 1e6;
            System.out.printf("GetClusterInfo over HTTPS, %d calls: mean %.3f ms, p50 %.3f ms, p99 %.3f ms, max %.3f ms%n",
                    n, mean, nanos[n / 2] / 1e6, p99, nanos[n - 1] / 1e6);
            assertEquals(n + 200, sim.faults().calls("GetClusterInfo"));
            assertTrue(p99 < 250, "p99 " + p99 + " ms");
        }
    }
}
