package org.spindle.solidfire.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Comparator;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * A started {@link ElementSimulator}: its HTTPS server and request threads, the cluster's state, the iSCSI exporter
 * (tgt, or none) and the backing files' directory; how they are put together at start and taken apart at stop.
 */
record Running(HttpsServer server, ExecutorService executor, Cluster cluster, ElementApi api, Exporter exporter,
               X509Certificate certificate, String url, Path stateDir, boolean ownsStateDir, Thread shutdownHook) {
    private static final System.Logger LOG = System.getLogger(ElementSimulator.class.getName());

    /**
     * Starts a simulator configured by {@code config}: tgt checked (and required with {@link ElementSimulator.TgtMode#ON}),
     * the cluster made, the HTTPS server listening. {@code running} tells the HTTP front whether the simulator still
     * runs; {@code cleanup} runs at the JVM's shutdown when volumes are served through tgt.
     */
    static Running start(ElementSimulator.Builder config, ObjectMapper json, String basicAuthorization, BooleanSupplier running,
                         Faults faults, CallCounter calls, CallLatency latency, Runnable cleanup) throws IOException {
        String uniqueId = config.uniqueId != null ? config.uniqueId : randomUniqueId();
        Path stateDir = config.stateDir;
        boolean ownsStateDir = false;
        Exporter exporter = new Exporter.None();
        if (config.tgtMode != ElementSimulator.TgtMode.OFF) {
            TgtAdm tgt = new TgtAdm(config.tgtadm, config.tgtTimeout);
            if (tgt.available()) {
                if (stateDir == null) {
                    stateDir = Files.createTempDirectory("solidfire-sim-");
                    ownsStateDir = true;
                } else {
                    Files.createDirectories(stateDir);
                }
                exporter = new TgtExporter(tgt, new LoopDevices("losetup"), stateDir.toAbsolutePath(), "sf-" + uniqueId + "-vol-");
            } else if (config.tgtMode == ElementSimulator.TgtMode.ON) {
                throw new IOException("tgt is required (--tgt on) but '" + config.tgtadm
                        + " --lld iscsi --mode target --op show' does not answer: start tgtd (scripts/tgt.sh start)");
            } else {
                LOG.log(Level.INFO, "tgt not available: volumes will not be served over iSCSI");
            }
        }
        Cluster cluster = new Cluster(json, exporter, Clock.systemUTC(), uniqueId, config.bind, config.svip,
                ElementLimits.of(ElementApi.parse(config.apiVersion), config.maxIopsCeiling), config.clusterMaxIops,
                config.maxProvisionedSpace,
                config.defaultMinIops, config.defaultMaxIops, config.defaultBurstIops);
        ElementApi api = new ElementApi(cluster, json, config.apiVersion);

        Certificates.Server cert;
        SSLContext ssl;
        try {
            cert = Certificates.selfSigned(config.bind);
            ssl = Certificates.serverContext(cert);
        } catch (GeneralSecurityException e) {
            exporter.close();
            throw new IOException("cannot set up TLS", e);
        }
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getByName(config.bind), config.port), 64);
        server.setHttpsConfigurator(new HttpsConfigurator(ssl));
        AtomicInteger n = new AtomicInteger();
        ThreadFactory tf = r -> {
            Thread t = new Thread(r, "solidfire-sim-" + uniqueId + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        ExecutorService executor = Executors.newFixedThreadPool(config.threads, tf);
        server.setExecutor(executor);
        HttpFront front = new HttpFront(json, basicAuthorization, running, cluster, api, exporter,
                config.svip, faults, calls, latency);
        server.createContext("/", front::handle);
        server.start();
        int port = server.getAddress().getPort();
        String url = "https://" + Certificates.hostFor(server.getAddress().getAddress()) + ":" + port;
        Thread hook = null;
        if (exporter.active()) {
            hook = new Thread(cleanup, "solidfire-sim-" + uniqueId + "-cleanup");
            Runtime.getRuntime().addShutdownHook(hook);
        }
        return new Running(server, executor, cluster, api, exporter, cert.certificate(), url, stateDir, ownsStateDir, hook);
    }

    /** Stops the server, removes every tgt target and account the cluster made, deletes its own backing files. */
    void stop() {
        server.stop(0);
        executor.shutdownNow();
        cluster.unexportAll();
        exporter.close();
        if (ownsStateDir) {
            deleteTree(stateDir);
        }
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException ignored) {
                // the JVM is shutting down already
            }
        }
    }

    private static String randomUniqueId() {
        String chars = "abcdefghijklmnopqrstuvwxyz0123456789";
        SecureRandom r = new SecureRandom();
        StringBuilder b = new StringBuilder("s");
        for (int i = 0; i < 3; i++) {
            b.append(chars.charAt(r.nextInt(chars.length())));
        }
        return b.toString();
    }

    private static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            LOG.log(Level.WARNING, "cannot delete {0}: {1}", dir, e.toString());
        }
    }
}
