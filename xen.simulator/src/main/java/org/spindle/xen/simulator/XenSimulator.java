package org.spindle.xen.simulator;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * A XenServer pool as its XenAPI shows it: XML-RPC ({@code POST /}) and JSON-RPC ({@code POST /jsonrpc}) over HTTPS,
 * one listener per host at the
 * host's own address (127.0.0.1, 127.0.0.2, … on one port), the first host the master. A login at a host that is
 * not the master is refused with {@code HOST_IS_SLAVE} and the master's address, as xapi does, and
 * {@link #designateMaster} moves the master. lvmoiscsi SRs log in to real iSCSI targets with libiscsi. This class
 * assembles the pool, runs its listeners and is what a test acts on; {@link HttpFront} answers the requests.
 *
 * <pre>{@code
 * try (XenSimulator xen = XenSimulator.builder().host("xen1", "iqn.2026-12.org.example:xen1")
 *         .vm("vm1", "xen1", true).build().start()) {
 *     // https://127.0.0.1:<xen.port()>/ as root / xen.password(), trusting xen.certificateSha256()
 * }
 * }</pre>
 */
public final class XenSimulator implements AutoCloseable {
    private final XenModel model = new XenModel();
    private final Sessions sessions;
    private final Dispatcher dispatcher;
    private final StorageCalls storage;
    private final VmCalls vms;
    private final Rrds rrds;
    private final GuestIo guestIo;
    private final HttpFront front;
    private final PoolMembers members;
    private final Faults faults = new Faults();
    private final Map<String, HttpsServer> servers = new LinkedHashMap<>();

    static {
        // The JDK's HTTP server leaves Nagle on: each reply's body then waits for the client's delayed ACK of its headers,
        // 40 ms on every XenAPI call. The JDK reads the property once, when the JVM's first HTTP server starts; an
        // explicit setting wins.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final String password;
    private final String user;
    private final XObject pool;
    private ExecutorService executor;
    private Certificates.Server tls;
    private int port;

    XenSimulator(SimulatorBuilder b) {
        this.password = b.password;
        this.user = b.user;
        this.sessions = new Sessions(model, b.user, b.password);
        this.dispatcher = new Dispatcher(model, sessions);
        Lvmoiscsi sm = new Lvmoiscsi(new Libiscsi());
        this.storage = new StorageCalls(model, sm);
        this.rrds = new Rrds(b.clock);
        this.guestIo = new GuestIo(model, sm, rrds);
        this.front = new HttpFront(this, faults, new RrdFeed(model, sessions, rrds), this::call);
        this.vms = new VmCalls(model, rrds);
        storage.register(dispatcher);
        vms.register(dispatcher);
        dispatcher.add("session.logout", "session", a -> {
            sessions.logout(a.session());
            return "";
        });
        dispatcher.add("host.get_servertime", "session,ref:host", a -> b.clock.instant());
        pool = model.create("pool");
        members = new PoolMembers(model, pool, rrds);
        pool.fields.put("name_label", b.pool);
        pool.fields.put("name_description", "");
        pool.fields.put("default_SR", XenModel.NULL_REF);
        pool.fields.put("other_config", new LinkedHashMap<String, String>());
        for (String[] h : b.hosts) {
            members.addHost(h[0], h[1]);
        }
        for (Object[] v : b.vms) {
            members.addVm((String) v[0], (String) v[1], (Boolean) v[2]);
        }
    }

    public static SimulatorBuilder builder() {
        return new SimulatorBuilder();
    }

    public synchronized XenSimulator start() throws IOException {
        try {
            List<String> addresses = new ArrayList<>();
            model.all("host").forEach(h -> addresses.add(h.str("address")));
            tls = Certificates.selfSigned(addresses);
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
        executor = Executors.newCachedThreadPool(); // a held call keeps its thread: the others are answered meanwhile
        for (int attempt = 0; ; attempt++) {
            try {
                port = 0;
                for (XObject h : model.all("host")) {
                    listen(h.str("address"));
                }
                return this;
            } catch (BindException e) {
                servers.values().forEach(s -> s.stop(0));
                servers.clear();
                if (attempt >= 5) {
                    throw e;
                }
            }
        }
    }

    private void listen(String address) throws IOException {
        HttpsServer s = HttpsServer.create(new InetSocketAddress(address, port), 16);
        s.setHttpsConfigurator(new HttpsConfigurator(tls.context()));
        s.createContext("/", ex -> front.handle(ex, address));
        s.setExecutor(executor);
        s.start();
        port = s.getAddress().getPort();
        servers.put(address, s);
    }

    /** One call as the pool answers it at the listener at {@code address}: a login only at the master's. */
    private Object call(XmlRpc.Call call, String address) {
        if (call.method().equals("session.login_with_password")) {
            XObject master = model.get("host", pool.str("master"));
            if (!master.str("address").equals(address)) {
                throw new XapiError("HOST_IS_SLAVE", master.str("address"));
            }
            return sessions.login(call.method(), call.params(), master.ref);
        }
        return dispatcher.dispatch(call.method(), call.params());
    }

    /** The master's XML-RPC URL, {@code https://127.0.0.1:<port>/} until {@link #designateMaster}. */
    public synchronized String url() {
        return "https://" + model.get("host", pool.str("master")).str("address") + ":" + port + "/";
    }

    /** The URL of one host's own listener. */
    public synchronized String url(String host) {
        return "https://" + host(host).str("address") + ":" + port + "/";
    }

    public int port() {
        return port;
    }

    private String userName() {
        return user;
    }

    public String password() {
        return password;
    }

    public X509Certificate certificate() {
        return tls.certificate();
    }

    /** Lower-case hex SHA-256 of the certificate's DER encoding. */
    public String certificateSha256() {
        return tls.sha256();
    }

    public Faults faults() {
        return faults;
    }

    /** Every method called so far, in order. */
    public List<String> calls() {
        return front.calls();
    }

    /** {@code pool.designate_new_master}: logins now succeed only at {@code host}'s address. */
    public synchronized void designateMaster(String host) {
        pool.fields.put("master", host(host).ref);
    }

    /** Every session ends, as when the master's xapi restarts. */
    public synchronized void invalidateSessions() {
        sessions.invalidateAll();
    }

    public synchronized int sessionCount() {
        return sessions.count();
    }

    /** A host joins the pool (it gets a listener when the simulator runs). */
    public synchronized void joinHost(String name, String iqn) throws IOException {
        XObject h = members.addHost(name, iqn);
        if (executor != null) {
            listen(h.str("address"));
        }
    }

    /**
     * {@code pool.eject} of a member, as xapi does it: refused for the master and while a VM runs there; the host's
     * PBDs are unplugged and the host leaves the pool (its listener closes). Its PBD records stay behind with their
     * host reference gone, as between the eject and xapi's database GC, for a client to drop.
     */
    public synchronized void ejectHost(String name) {
        XObject h = host(name);
        if (h.ref.equals(pool.str("master"))) {
            throw new IllegalStateException("the master cannot be ejected");
        }
        if (!model.all("VM", v -> v.str("resident_on").equals(h.ref)).isEmpty()) {
            throw new IllegalStateException("OPERATION_NOT_ALLOWED VM resident on host");
        }
        model.all("PBD", p -> p.str("host").equals(h.ref)).forEach(p -> p.fields.put("currently_attached", false));
        model.remove(h);
        HttpsServer s = servers.remove(h.str("address"));
        if (s != null) {
            s.stop(0);
        }
    }

    /**
     * The VM issues one request to its plugged disk {@code device} ({@code xvdb}…), served for real over iSCSI from the
     * host it runs on ({@link GuestIo}); returns the bytes transferred, which its RRD counts.
     */
    public synchronized long guestIo(String vm, String device, boolean write, long offset, int length) {
        return guestIo.request(byName("VM", vm), device, write, offset, length);
    }

    /** Migrates a running VM to {@code host}, as {@code VM.pool_migrate} does (same checks). */
    public synchronized void migrate(String vm, String host) {
        vms.migrate(byName("VM", vm), host(host));
    }

    public synchronized void shutdown(String vm) {
        vms.shutdown(byName("VM", vm));
    }

    public synchronized void startVm(String vm, String host) {
        vms.start(byName("VM", vm), host(host));
    }

    /**
     * What an operator does in XenCenter: an lvmoiscsi SR named {@code nameLabel}, shared, on the LUN {@code deviceConfig}
     * names (target, targetIQN, chapuser, chappassword, SCSIid…), through {@code SR.create} with all its checks and
     * logins. Returns the SR's uuid.
     */
    public synchronized String createSr(String nameLabel, Map<String, String> deviceConfig) {
        String session = sessions.login("session.login_with_password", List.of(userName(), password), pool.str("master"));
        try {
            String ref = (String) dispatcher.dispatch("SR.create", List.of(session, pool.str("master"), new LinkedHashMap<>(deviceConfig),
                    "0", nameLabel, "made by the operator", "lvmoiscsi", "user", true, new LinkedHashMap<String, String>()));
            return model.get("SR", ref).uuid();
        } finally {
            sessions.logout(session);
        }
    }

    /**
     * An SR record without PBDs or VDIs, as {@code SR.introduce} makes it (what a pool keeps of an SR whose hosts never
     * plugged it): lvmoiscsi, shared, with {@code description}. Returns its uuid.
     */
    public synchronized String introduceSr(String nameLabel, String description) {
        String session = sessions.login("session.login_with_password", List.of(userName(), password), pool.str("master"));
        try {
            String uuid = java.util.UUID.randomUUID().toString();
            dispatcher.dispatch("SR.introduce", List.of(session, uuid, nameLabel, description, "lvmoiscsi", "user", true,
                    new LinkedHashMap<String, String>()));
            return uuid;
        } finally {
            sessions.logout(session);
        }
    }

    /** The records of every object of {@code cls} ({@code SR}, {@code PBD}, {@code VDI}, {@code VBD}, …), copied. */
    public synchronized List<Map<String, Object>> records(String cls) {
        List<Map<String, Object>> out = new ArrayList<>();
        model.all(cls).forEach(o -> {
            Map<String, Object> r = model.record(o);
            r.put("ref", o.ref);
            out.add(r);
        });
        return out;
    }

    /** The uuid of the VM named {@code name}. */
    public synchronized String vmUuid(String name) {
        return byName("VM", name).uuid();
    }

    /** The name of the host a VM runs on, or null. */
    public synchronized String residentHost(String vm) {
        String ref = byName("VM", vm).str("resident_on");
        return model.find(ref).map(h -> h.str("name_label")).orElse(null);
    }

    private XObject host(String name) {
        return members.byName("host", name);
    }

    private XObject byName(String cls, String name) {
        return members.byName(cls, name);
    }

    @Override
    public synchronized void close() {
        servers.values().forEach(s -> s.stop(0));
        servers.clear();
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }
}
