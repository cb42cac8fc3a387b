package org.spindle.solidfire.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A stateful SolidFire Element API simulator: HTTPS JSON-RPC on {@code /json-rpc/<version>}, Basic auth, and
 * (with tgt) a real iSCSI target per volume. Everything is per instance; run as many as you like.
 *
 * <pre>{@code
 * try (ElementSimulator sim = ElementSimulator.builder().uniqueId("sim1").tgt(TgtMode.AUTO).build().start()) {
 *     HttpClient http = HttpClient.newBuilder().sslContext(sim.clientSslContext()).build();
 *     // POST sim.endpoint("8.0") with Basic sim.adminUser()/sim.adminPassword()
 * }
 * }</pre>
 *
 * State lives in memory only: a restart loses it. Backing files are deleted on purge and on {@link #stop()}.
 */
public final class ElementSimulator implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ElementSimulator.class.getName());
    private static final Pattern RPC_PATH = Pattern.compile("/json-rpc/([^/]+)/?");

    static {
        // The JDK HttpServer writes the status line/headers and the body as separate TLS records; without TCP_NODELAY,
        // Nagle + the client's delayed ACK add ~40 ms to every call. The JDK reads this property once, when the first
        // HttpServer of the JVM starts, so set it early (or pass -Dsun.net.httpserver.nodelay=true). An explicit
        // setting wins.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /** Whether volumes are served through tgt. */
    public enum TgtMode {
        /** Serve through tgt; {@link #start()} fails when tgtadm does not answer. */
        ON,
        /** No iSCSI at all: volumes are state only. */
        OFF,
        /** Serve through tgt when {@code tgtadm} answers at start, otherwise like OFF. */
        AUTO
    }

    private final Builder config;
    private final ObjectMapper json = new ObjectMapper();
    private final Faults faults = new Faults();
    private volatile State state;

    private record State(HttpsServer server, ExecutorService executor, Cluster cluster, ElementApi api,
                         Exporter exporter, X509Certificate certificate, String url, Path stateDir,
                         boolean ownsStateDir, Thread shutdownHook) {
    }

    private ElementSimulator(Builder config) {
        this.config = config;
    }

    public static Builder builder() {
        return new Builder();
    }

    // =====================================================================================
    // lifecycle

    /** Starts the server (and checks tgt). Returns this. */
    public synchronized ElementSimulator start() throws IOException {
        if (state != null) {
            throw new IllegalStateException("already started");
        }
        String uniqueId = config.uniqueId != null ? config.uniqueId : randomUniqueId();
        Path stateDir = config.stateDir;
        boolean ownsStateDir = false;
        Exporter exporter = new Exporter.None();
        if (config.tgtMode != TgtMode.OFF) {
            TgtAdm tgt = new TgtAdm(config.tgtadm, config.tgtTimeout);
            if (tgt.available()) {
                if (stateDir == null) {
                    stateDir = Files.createTempDirectory("solidfire-sim-");
                    ownsStateDir = true;
                } else {
                    Files.createDirectories(stateDir);
                }
                exporter = new TgtExporter(tgt, new LoopDevices("losetup"), stateDir.toAbsolutePath(), "sf-" + uniqueId + "-vol-");
            } else if (config.tgtMode == TgtMode.ON) {
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
        server.createContext("/", this::handle);
        server.start();
        int port = server.getAddress().getPort();
        String url = "https://" + Certificates.hostFor(server.getAddress().getAddress()) + ":" + port;
        Thread hook = null;
        if (exporter.active()) {
            hook = new Thread(this::stopQuietly, "solidfire-sim-" + uniqueId + "-cleanup");
            Runtime.getRuntime().addShutdownHook(hook);
        }
        state = new State(server, executor, cluster, api, exporter, cert.certificate(), url, stateDir, ownsStateDir, hook);
        return this;
    }

    /** Stops the server, removes every tgt target/account it created and deletes its backing files. Idempotent. */
    public synchronized void stop() {
        State s = state;
        if (s == null) {
            return;
        }
        state = null;
        s.server().stop(0);
        s.executor().shutdownNow();
        s.cluster().unexportAll();
        s.exporter().close();
        if (s.ownsStateDir()) {
            deleteTree(s.stateDir());
        }
        if (s.shutdownHook() != null && Thread.currentThread() != s.shutdownHook()) {
            try {
                Runtime.getRuntime().removeShutdownHook(s.shutdownHook());
            } catch (IllegalStateException ignored) {
                // the JVM is shutting down already
            }
        }
    }

    private void stopQuietly() {
        try {
            stop();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cleanup failed: {0}", e.toString());
        }
    }

    @Override
    public void close() {
        stop();
    }

    public boolean running() {
        return state != null;
    }

    private State state() {
        State s = state;
        if (s == null) {
            throw new IllegalStateException("the simulator is not running");
        }
        return s;
    }

    // =====================================================================================
    // connection facts

    /** The base URL, e.g. {@code https://127.0.0.1:41234} (the MVIP). */
    public String url() {
        return state().url();
    }

    /** The JSON-RPC endpoint of an API version, e.g. {@code endpoint("8.0")} → {@code https://127.0.0.1:41234/json-rpc/8.0}. */
    public URI endpoint(String version) {
        return URI.create(url() + "/json-rpc/" + version);
    }

    public int port() {
        return state().server().getAddress().getPort();
    }

    public String adminUser() {
        return config.user;
    }

    public String adminPassword() {
        return config.password;
    }

    /** The Basic {@code Authorization} header value for the admin credentials. */
    public String basicAuthorization() {
        return "Basic " + Base64.getEncoder().encodeToString((config.user + ":" + config.password).getBytes(StandardCharsets.UTF_8));
    }

    public X509Certificate certificate() {
        return state().certificate();
    }

    /** Lower-case hex SHA-256 of the server certificate (DER), no separators. */
    public String certificateSha256() {
        return Certificates.sha256(certificate());
    }

    public String certificatePem() {
        return Certificates.pem(certificate());
    }

    /** An SSLContext that trusts exactly this simulator's certificate. */
    public SSLContext clientSslContext() {
        return Certificates.trusting(certificatePem());
    }

    /** The cluster unique ID used in IQNs. */
    public String uniqueId() {
        return state().cluster().uniqueId;
    }

    /** The SVIP clients connect to for iSCSI (port 3260). */
    public String svip() {
        return config.svip;
    }

    /** Whether volumes are being served through tgt. */
    public boolean tgtActive() {
        return state().exporter().active();
    }

    /** The LUN number volumes are served at through tgt: 1 (tgt reserves LUN 0), or -1 without tgt. */
    public int lun() {
        return state().exporter().lun();
    }

    /** The directory of the backing files, or empty without tgt. */
    public Optional<Path> stateDir() {
        State s = state();
        return s.exporter().active() ? Optional.of(s.stateDir()) : Optional.empty();
    }

    public Faults faults() {
        return faults;
    }

    // =====================================================================================
    // state inspection

    public List<Views.Volume> volumes() {
        return state().cluster().volumeViews();
    }

    public Optional<Views.Volume> volume(long volumeId) {
        return state().cluster().volumeView(volumeId);
    }

    /** A volume exactly as the wire shows it. */
    public Optional<JsonNode> volumeJson(long volumeId) {
        return state().cluster().volumeWire(volumeId);
    }

    public List<Views.Account> accounts() {
        return state().cluster().accountViews();
    }

    public Optional<Views.Account> account(String username) {
        return accounts().stream().filter(a -> a.username().equals(username)).findFirst();
    }

    public List<Views.AccessGroup> accessGroups() {
        return state().cluster().accessGroupViews();
    }

    /** The backing file of a volume (exists while the volume is not purged), or empty without tgt. */
    public Optional<Path> backingFile(long volumeId) {
        return Optional.ofNullable(state().exporter().backingFile(volumeId));
    }

    /** Calls an Element method in-process (no HTTP, no faults, not counted). Throws {@link ElementException}. */
    public JsonNode invoke(String method, JsonNode params, String version) {
        State s = state();
        double v = s.api().version(version);
        return s.api().lookup(method, v, version).handler().apply(new Params(params), v);
    }

    // =====================================================================================
    // HTTP

    private void handle(HttpExchange ex) throws IOException {
        try {
            State s = state;
            if (s == null) {
                ex.close();
                return;
            }
            String path = ex.getRequestURI().getPath();
            if (!authorized(ex)) {
                byte[] body = "401 Unauthorized.\n".getBytes(StandardCharsets.US_ASCII);
                ex.getResponseHeaders().set("Content-Type", "text/plain; charset=us-ascii");
                ex.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"SolidFire\"");
                drain(ex);
                send(ex, 401, body);
                return;
            }
            Matcher m = RPC_PATH.matcher(path);
            if (m.matches()) {
                handleRpc(ex, s, m.group(1));
            } else if (path.startsWith("/sim/")) {
                handleAdmin(ex, s, path);
            } else {
                drain(ex);
                send(ex, 404, "404 Not Found.\n".getBytes(StandardCharsets.US_ASCII));
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.DEBUG, "request failed: {0}", e.toString());
            throw e;
        } finally {
            ex.close();
        }
    }

    private boolean authorized(HttpExchange ex) {
        String h = ex.getRequestHeaders().getFirst("Authorization");
        if (h == null || !h.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        byte[] expected = basicAuthorization().substring(6).getBytes(StandardCharsets.US_ASCII);
        byte[] got = h.substring(6).trim().getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, got);
    }

    private void handleRpc(HttpExchange ex, State s, String versionText) throws IOException {
        byte[] body = drain(ex);
        JsonNode id = null;
        String method = null;
        ObjectNode response;
        int status = 200;
        boolean drop = false;
        JsonNode req = null;
        String parseError = null;
        try {
            req = json.readTree(body);
            if (req != null && req.isObject()) {
                id = req.get("id");
            }
        } catch (JsonProcessingException e) {
            parseError = e.getOriginalMessage();
        }
        try {
            double version = s.api().version(versionText);
            if (!"POST".equalsIgnoreCase(ex.getRequestMethod())) {
                throw new ElementException("xUnknownRPCMethod", "JSON-RPC calls must be POSTed, got " + ex.getRequestMethod());
            }
            if (parseError != null) {
                throw new ElementException("xUnknownRPCMethod", "The request is not valid JSON: " + parseError);
            }
            if (req == null || !req.isObject()) {
                throw new ElementException("xUnknownRPCMethod", "The request must be a JSON object with a method");
            }
            JsonNode mn = req.get("method");
            if (mn == null || !mn.isTextual()) {
                throw new ElementException("xUnknownRPCMethod", "The request has no method member (a string)");
            }
            method = mn.asText();
            faults.countCall(method);
            long latency = faults.latencyFor(method);
            if (latency > 0) {
                Thread.sleep(latency);
            }
            Optional<ElementException> injected = faults.takeFailure(method);
            if (injected.isPresent()) {
                throw injected.get();
            }
            ElementApi.Method m = s.api().lookup(method, version, versionText);
            Params params = new Params(req.get("params"));
            ObjectNode result = m.handler().apply(params, version);
            drop = faults.takeDrop(method);
            response = json.createObjectNode();
            response.set("id", id);
            response.set("result", result);
        } catch (ElementException e) {
            if ("xUnknownAPIVersion".equals(e.name())) {
                status = 404;
            }
            response = json.createObjectNode();
            response.set("id", id);
            ObjectNode err = response.putObject("error");
            err.put("code", e.code());
            err.put("message", e.getMessage());
            err.put("name", e.name());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "internal error in {0}: {1}", method, e.toString());
            response = json.createObjectNode();
            response.set("id", id);
            ObjectNode err = response.putObject("error");
            err.put("code", 500);
            err.put("message", "Internal simulator error: " + e.getClass().getSimpleName());
            err.put("name", "xInternalError");
        }
        if (drop) {
            // the change is applied; the client gets no response: close the connection without a status line
            LOG.log(Level.DEBUG, "dropping the response of {0}", method);
            return;
        }
        if (!response.has("id")) {
            response.putNull("id");
        }
        ex.getResponseHeaders().set("Content-Type", "application/json");
        send(ex, status, json.writeValueAsBytes(response));
    }

    private void handleAdmin(HttpExchange ex, State s, String path) throws IOException {
        byte[] body = drain(ex);
        String verb = ex.getRequestMethod().toUpperCase(Locale.ROOT);
        ObjectNode out = json.createObjectNode();
        int status = 200;
        try {
            switch (path.replaceAll("/+$", "")) {
                case "/sim/calls" -> {
                    if (verb.equals("DELETE") || (verb.equals("POST"))) {
                        faults.resetCalls();
                    }
                    out.set("calls", json.valueToTree(faults.calls()));
                    out.put("total", faults.totalCalls());
                }
                case "/sim/faults" -> {
                    if (verb.equals("DELETE")) {
                        faults.clear();
                    } else if (verb.equals("POST")) {
                        applyFault(json.readTree(body));
                    }
                    out.setAll((ObjectNode) json.valueToTree(faults.armed()));
                }
                case "/sim/state" -> {
                    out.setAll(s.cluster().stateJson());
                    out.put("uniqueID", s.cluster().uniqueId);
                    out.put("tgt", s.exporter().active());
                    out.put("lun", s.exporter().lun());
                    out.put("svip", config.svip);
                }
                default -> status = 404;
            }
        } catch (IllegalArgumentException | NullPointerException | IOException e) {
            status = 400;
            out.removeAll();
            out.put("error", "bad fault request: " + e.getMessage());
        }
        if (status == 404) {
            out.put("error", "unknown path " + path + "; known: /sim/calls, /sim/faults, /sim/state");
        }
        ex.getResponseHeaders().set("Content-Type", "application/json");
        send(ex, status, json.writeValueAsBytes(out));
    }

    /**
     * {@code {"action":"fail","method":"CreateVolume","count":1,"errorName":"xDBVersionMismatch","message":"…"}},
     * {@code {"action":"drop","method":"CreateVolume","count":1}}, {@code {"action":"latency","method":"*","millis":200}},
     * {@code {"action":"clear"}}.
     */
    private void applyFault(JsonNode f) {
        if (f == null || !f.isObject()) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        String action = text(f, "action");
        switch (action) {
            case "fail" -> faults.failNext(text(f, "method"), f.path("count").asInt(1),
                    f.hasNonNull("errorName") ? f.get("errorName").asText() : text(f, "name"),
                    f.hasNonNull("message") ? f.get("message").asText() : null);
            case "drop" -> faults.dropResponse(text(f, "method"), f.path("count").asInt(1));
            case "latency" -> faults.latency(text(f, "method"), f.path("millis").asLong(0));
            case "clear" -> faults.clear();
            default -> throw new IllegalArgumentException("unknown action " + action + " (fail, drop, latency, clear)");
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("missing string member " + field);
        }
        return v.asText();
    }

    private static byte[] drain(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            return in.readAllBytes();
        }
    }

    private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
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

    @Override
    public String toString() {
        State s = state;
        return "ElementSimulator[" + (s == null ? "stopped" : s.url() + ", uniqueID=" + s.cluster().uniqueId
                + ", tgt=" + s.exporter().active()) + "]";
    }

    // =====================================================================================

    /** Configuration; every setting has a default good for tests. */
    public static final class Builder {
        private int port = 0;
        private String bind = "127.0.0.1";
        private String user = "admin";
        private String password = "admin";
        private Path stateDir;
        private TgtMode tgtMode = TgtMode.AUTO;
        private String svip = "127.0.0.1";
        private String uniqueId;
        private long maxIopsCeiling = 0;
        private String apiVersion = ElementApi.CURRENT_VERSION;
        private long clusterMaxIops = 200_000;
        private long maxProvisionedSpace = 100L * 1000 * 1000 * 1000 * 1000;
        private long defaultMinIops = 0;
        private long defaultMaxIops = 15_000;
        private long defaultBurstIops = 15_000;
        private String tgtadm = "tgtadm";
        private Duration tgtTimeout = Duration.ofSeconds(15);
        private int threads = 16;

        private Builder() {
        }

        /** TCP port; 0 (the default) picks an ephemeral one. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.port = port;
            return this;
        }

        /** Address to listen on (default 127.0.0.1); it is also the MVIP in GetClusterInfo. */
        public Builder bind(String bind) {
            this.bind = Cluster.requireNonBlank(bind, "bind");
            return this;
        }

        /** Cluster admin credentials for HTTP Basic auth (default admin/admin). */
        public Builder credentials(String user, String password) {
            this.user = Cluster.requireNonBlank(user, "user");
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /** Where backing files go (default: a temporary directory removed on stop). */
        public Builder stateDir(Path stateDir) {
            this.stateDir = stateDir;
            return this;
        }

        public Builder tgt(TgtMode mode) {
            this.tgtMode = Objects.requireNonNull(mode);
            return this;
        }

        /** The SVIP reported by GetClusterInfo (default 127.0.0.1, where tgtd listens). */
        public Builder svip(String svip) {
            this.svip = Cluster.requireNonBlank(svip, "svip");
            return this;
        }

        /** The cluster unique ID used in IQNs (default: random, 4 characters). Use distinct IDs for simulators sharing a tgtd. */
        public Builder uniqueId(String uniqueId) {
            String u = Cluster.requireNonBlank(uniqueId, "uniqueId");
            if (!u.matches("[a-z0-9]{1,16}")) {
                throw new IllegalArgumentException("uniqueId must be 1-16 lower-case letters or digits: " + u);
            }
            this.uniqueId = u;
            return this;
        }

        /**
         * The Element version the cluster reports (GetAPI currentVersion; default 12.3). Endpoints above it answer
         * {@code xUnknownAPIVersion}, and the cluster's limits follow it (see GetLimits): 9.x allows 4 access groups
         * per volume and 64 initiators per group, 11.3 and later 64 and 128; max IOPS go to 100,000 before 11.0,
         * 200,000 from 11.0.
         */
        public Builder apiVersion(String version) {
            if (version == null || !ElementApi.known(version)) {
                throw new IllegalArgumentException("apiVersion must be an Element API version such as 9.0 or 12.3: " + version);
            }
            this.apiVersion = version;
            return this;
        }

        /** Upper limit for maxIOPS and burstIOPS; 0 (the default) = the reported version's (100000, or 200000 from 11.0). */
        public Builder maxIopsCeiling(long ceiling) {
            if (ceiling != 0 && ceiling < 100) {
                throw new IllegalArgumentException("maxIopsCeiling must be 0 (from the API version) or at least 100");
            }
            this.maxIopsCeiling = ceiling;
            return this;
        }

        /** GetClusterCapacity.maxIOPS (default 200000). */
        public Builder clusterMaxIops(long iops) {
            this.clusterMaxIops = iops;
            return this;
        }

        /** GetClusterCapacity.maxProvisionedSpace in bytes (default 100 TB). */
        public Builder maxProvisionedSpace(long bytes) {
            this.maxProvisionedSpace = bytes;
            return this;
        }

        /**
         * GetDefaultQoS values (default: min 50 on an 8.0+ cluster asked at an 8.0+ endpoint, else 100 — Element's
         * minIOPS floor; max and burst 15000). A min of 0 keeps that version-dependent default.
         */
        public Builder defaultQos(long minIops, long maxIops, long burstIops) {
            this.defaultMinIops = minIops;
            this.defaultMaxIops = maxIops;
            this.defaultBurstIops = burstIops;
            return this;
        }

        /** The tgtadm executable (default: {@code tgtadm} on the PATH). */
        public Builder tgtadm(String executable) {
            this.tgtadm = Cluster.requireNonBlank(executable, "tgtadm");
            return this;
        }

        public Builder tgtTimeout(Duration timeout) {
            this.tgtTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /** Request-handling threads (default 16; injected latency holds one). */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be positive");
            }
            this.threads = threads;
            return this;
        }

        public ElementSimulator build() {
            return new ElementSimulator(this);
        }

        /** {@code build().start()}. */
        public ElementSimulator start() throws IOException {
            return build().start();
        }

        Map<String, Object> describe() {
            return Map.of("port", port, "bind", bind, "tgt", tgtMode, "svip", svip);
        }
    }
}
