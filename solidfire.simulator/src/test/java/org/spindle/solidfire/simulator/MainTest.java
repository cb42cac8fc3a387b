package org.spindle.solidfire.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line, out of process: the started line, --cert-out, options, SIGTERM. */
class MainTest {
    @Test
    void startsPrintsOneJsonLineAndServes(@TempDir Path dir) throws Exception {
        Path cert = dir.resolve("sim.pem");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--port", "0", "--bind", "127.0.0.1", "--user", "root", "--password", "pw-123", "--tgt", "off",
                "--unique-id", "cli1", "--svip=10.0.0.9", "--max-iops-ceiling", "50000", "--latency-ms", "15", "--threads", "4", "--cert-out", cert.toString()))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertTrue(line != null && line.startsWith("{"), "first line: " + line);
            JsonNode started = Rpc.JSON.readTree(line);
            assertEquals("started", started.get("event").asText());
            assertEquals("cli1", started.get("uniqueID").asText());
            assertEquals(false, started.get("tgt").asBoolean());
            assertEquals(-1, started.get("lun").asInt());
            assertEquals("10.0.0.9", started.get("svip").asText(), "--svip=V form");
            assertEquals(cert.toAbsolutePath().toString(), started.get("certificatePem").asText());
            String url = started.get("url").asText();
            assertTrue(url.matches("https://127\\.0\\.0\\.1:\\d+"), url);
            String pem = Files.readString(cert);
            assertEquals(started.get("certificateSha256").asText(), Certificates.sha256(Certificates.parsePem(pem)));

            HttpClient http = HttpClient.newBuilder().sslContext(Certificates.trusting(pem)).build();
            HttpRequest req = HttpRequest.newBuilder(URI.create(url + "/json-rpc/8.0"))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("root:pw-123".getBytes(StandardCharsets.UTF_8)))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"method\":\"GetClusterInfo\",\"id\":1}")).build();
            JsonNode info = Rpc.JSON.readTree(http.send(req, HttpResponse.BodyHandlers.ofString()).body());
            assertEquals("cli1", info.at("/result/clusterInfo/uniqueID").asText());
            HttpRequest q = HttpRequest.newBuilder(URI.create(url + "/json-rpc/8.0"))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("root:pw-123".getBytes(StandardCharsets.UTF_8)))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"method\":\"CreateVolume\",\"id\":2,\"params\":{\"name\":\"v\",\"accountID\":1,"
                            + "\"totalSize\":1,\"qos\":{\"minIOPS\":100,\"maxIOPS\":50001,\"burstIOPS\":50001}}}")).build();
            assertEquals("xInvalidParameter", Rpc.JSON.readTree(http.send(q, HttpResponse.BodyHandlers.ofString()).body()).at("/error/name").asText(),
                    "--max-iops-ceiling is applied");
            HttpRequest latency = HttpRequest.newBuilder(URI.create(url + "/sim/latency"))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("root:pw-123".getBytes(StandardCharsets.UTF_8)))
                    .GET().build();
            assertEquals(15, Rpc.JSON.readTree(http.send(latency, HttpResponse.BodyHandlers.ofString()).body()).get("millis").asLong(),
                    "--latency-ms is applied");
        } finally {
            p.destroy(); // SIGTERM: the shutdown hook stops the simulator
            assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        }
        assertEquals(143, p.exitValue());
    }

    @Test
    void badOptionsExitWith2_usageOnStderr_nothingStarted(@TempDir Path dir) throws Exception {
        for (List<String> bad : List.of(List.of("--frobnicate", "1"), List.of("--port"), List.of("--tgt", "maybe"),
                List.of("--port=abc"), List.of("--max-iops-ceiling", "lots"), List.of("--latency-ms", "-5"),
                List.of("--threads", "0"))) {
            Run r = run(dir, bad);
            assertEquals(2, r.exit(), bad + ": " + r.err());
            assertEquals("", r.out(), bad + ": no started line on stdout");
            assertTrue(r.err().startsWith("error: ") && r.err().contains(Main.USAGE), bad + ": " + r.err());
        }
        assertTrue(run(dir, List.of("--frobnicate", "1")).err().contains("unknown option --frobnicate"));
        assertTrue(run(dir, List.of("--port")).err().contains("missing value for --port"));
    }

    @Test
    void helpPrintsUsageOnStdout_andExits0(@TempDir Path dir) throws Exception {
        Run r = run(dir, List.of("--port", "0", "--help"));
        assertEquals(0, r.exit(), r.err());
        assertEquals(Main.USAGE + System.lineSeparator(), r.out());
        assertEquals("", r.err());
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run run(Path dir, List<String> args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(args);
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "exits: " + args);
        return new Run(p.exitValue(), out, Files.readString(err));
    }
}
