package org.spindle.solidfire.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

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
    private final CallCounter calls = new CallCounter();
    private final Faults faults = new Faults(calls);
    private final CallLatency latency;
    private volatile Running state;

    private ElementSimulator(Builder config) {
        this.config = config;
        this.latency = new CallLatency(config.callLatency);
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
        state = Running.start(config, json, basicAuthorization(), () -> state != null, faults, calls, latency, this::stopQuietly);
        return this;
    }

    /** Stops the server, removes every tgt target/account it created and deletes its backing files. Idempotent. */
    public synchronized void stop() {
        Running s = state;
        if (s == null) {
            return;
        }
        state = null;
        s.stop();
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

    private Running state() {
        Running s = state;
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
        Running s = state();
        return s.exporter().active() ? Optional.of(s.stateDir()) : Optional.empty();
    }

    public Faults faults() {
        return faults;
    }

    /** The Element calls received so far, per method (see {@link CallCounter}); also {@code GET /sim/calls}. */
    public CallCounter calls() {
        return calls;
    }

    /** The time every Element call now takes before it is handled ({@link Builder#callLatency(Duration)}). */
    public Duration callLatency() {
        return latency.get();
    }

    /**
     * Makes every Element call from now on take {@code latency} before it is handled ({@link Duration#ZERO}
     * removes it); also {@code PUT /sim/latency {"millis": n}}. Returns this.
     */
    public ElementSimulator callLatency(Duration latency) {
        this.latency.set(latency);
        return this;
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
        Running s = state();
        double v = s.api().version(version);
        return s.api().lookup(method, v, version).handler().apply(new Params(params), v);
    }

    @Override
    public String toString() {
        Running s = state;
        return "ElementSimulator[" + (s == null ? "stopped" : s.url() + ", uniqueID=" + s.cluster().uniqueId
                + ", tgt=" + s.exporter().active()) + "]";
    }

    // =====================================================================================

    /** Configuration; every setting has a default good for tests. */
    public static final class Builder {
        int port = 0;
        String bind = "127.0.0.1";
        String user = "admin";
        String password = "admin";
        Path stateDir;
        TgtMode tgtMode = TgtMode.AUTO;
        String svip = "127.0.0.1";
        String uniqueId;
        long maxIopsCeiling = 0;
        String apiVersion = ElementApi.CURRENT_VERSION;
        long clusterMaxIops = 200_000;
        long maxProvisionedSpace = 100L * 1000 * 1000 * 1000 * 1000;
        long defaultMinIops = 0;
        long defaultMaxIops = 15_000;
        long defaultBurstIops = 15_000;
        String tgtadm = "tgtadm";
        Duration tgtTimeout = Duration.ofSeconds(15);
        int threads = 16;
        Duration callLatency = Duration.ZERO;

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

        /**
         * Every Element call takes this long before it is handled (default none): a SAN with a known cost per call
         * for benchmarks. Faults' per-method latencies add to it; {@link Faults#clear()} keeps it.
         */
        public Builder callLatency(Duration latency) {
            Objects.requireNonNull(latency, "latency");
            if (latency.isNegative()) {
                throw new IllegalArgumentException("callLatency must not be negative (was " + latency + ")");
            }
            this.callLatency = latency;
            return this;
        }

        /** Request-handling threads (default 16; a call waiting out its latency holds one). */
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
