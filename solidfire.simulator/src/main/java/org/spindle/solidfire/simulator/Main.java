package org.spindle.solidfire.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * Command line: {@code java -jar org.spindle.solidfire.simulator-<v>.jar [options]}.
 * Prints one JSON line on stdout once it serves, e.g.
 * {@code {"event":"started","url":"https://127.0.0.1:41234","certificateSha256":"ab…","uniqueID":"sim1","svip":"127.0.0.1","tgt":true,"lun":1}},
 * then runs until SIGTERM/SIGINT, when it removes its tgt targets and backing files.
 */
public final class Main {
    private Main() {
    }

    static final String USAGE = String.join("\n",
            "usage: java -jar org.spindle.solidfire.simulator.jar [options]",
            "  --port N               HTTPS port, 0 = ephemeral (default 0)",
            "  --bind ADDR            listen address / MVIP (default 127.0.0.1)",
            "  --user U --password P  cluster admin credentials (default admin/admin)",
            "  --state-dir DIR        backing files (default: a temporary directory)",
            "  --tgt on|off|auto      serve volumes through tgtd (default auto)",
            "  --svip ADDR            SVIP reported to clients (default 127.0.0.1)",
            "  --unique-id ID         cluster unique ID used in IQNs (default random)",
            "  --api-version V        Element version the cluster reports, e.g. 9.0 (default 12.3); limits follow it",
            "  --max-iops-ceiling N   upper limit of maxIOPS/burstIOPS (default: the version's, 100000 or 200000)",
            "  --cluster-max-iops N   GetClusterCapacity.maxIOPS (default 200000)",
            "  --latency-ms N         every Element call takes N ms before it is handled (default 0; benchmarks)",
            "  --threads N            request-handling threads (default 16; a call waiting out its latency holds one)",
            "  --cert-out FILE        write the server certificate (PEM) to FILE",
            "  --tgtadm PATH          tgtadm executable (default tgtadm)");

    public static void main(String[] args) throws Exception {
        ElementSimulator.Builder b = ElementSimulator.builder();
        String user = "admin";
        String password = "admin";
        Path certOut = null;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("-h") || a.equals("--help")) {
                    System.out.println(USAGE);
                    return;
                }
                String v = a.contains("=") ? a.substring(a.indexOf('=') + 1) : (i + 1 < args.length ? args[++i] : null);
                String k = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
                if (v == null) {
                    throw new IllegalArgumentException("missing value for " + k);
                }
                switch (k) {
                    case "--port" -> b.port(Integer.parseInt(v));
                    case "--bind" -> b.bind(v);
                    case "--user" -> user = v;
                    case "--password" -> password = v;
                    case "--state-dir" -> b.stateDir(Path.of(v));
                    case "--tgt" -> b.tgt(ElementSimulator.TgtMode.valueOf(v.toUpperCase(Locale.ROOT)));
                    case "--svip" -> b.svip(v);
                    case "--unique-id" -> b.uniqueId(v);
                    case "--api-version" -> b.apiVersion(v);
                    case "--max-iops-ceiling" -> b.maxIopsCeiling(Long.parseLong(v));
                    case "--cluster-max-iops" -> b.clusterMaxIops(Long.parseLong(v));
                    case "--latency-ms" -> b.callLatency(Duration.ofMillis(Long.parseLong(v)));
                    case "--threads" -> b.threads(Integer.parseInt(v));
                    case "--cert-out" -> certOut = Path.of(v);
                    case "--tgtadm" -> b.tgtadm(v);
                    default -> throw new IllegalArgumentException("unknown option " + k);
                }
            }
            b.credentials(user, password);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        ElementSimulator sim;
        try {
            sim = b.start();
        } catch (IOException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(1);
            return;
        }
        if (certOut != null) {
            Path parent = certOut.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(certOut, sim.certificatePem(), StandardCharsets.US_ASCII);
        }
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sim.stop();
            done.countDown();
        }, "solidfire-sim-main-stop"));
        ObjectNode line = new ObjectMapper().createObjectNode();
        line.put("event", "started");
        line.put("url", sim.url());
        line.put("certificateSha256", sim.certificateSha256());
        line.put("uniqueID", sim.uniqueId());
        line.put("svip", sim.svip());
        line.put("tgt", sim.tgtActive());
        line.put("lun", sim.lun());
        if (certOut != null) {
            line.put("certificatePem", certOut.toAbsolutePath().toString());
        }
        System.out.println(line);
        System.out.flush();
        done.await();
    }
}
