package org.spindle.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The distribution is closed by default, as an operator gets it: no user can log in until one is added, ssh and JMX
 * listen on 127.0.0.1 only, and the {@code storage:} commands are guarded by role (viewer sees, operator runs volumes,
 * admin defines) — all through real ssh (password logins, as {@code bin/client} makes) and real JMX over RMI, against one distribution started
 * from its tar.gz with the test driver and attach service.
 */
public class SecurityIT {
    private static final Duration READY = Duration.ofSeconds(120);
    private static final Path TAR = Paths.get(System.getProperty("spindle.distribution.tar", "missing"));
    /** Karaf hides a command from a user whose roles may not run it: it answers as for an unknown command. */
    private static final String HIDDEN = "Command not found: ";
    /** What Karaf answers when it shows the command but refuses the call (a command it guards itself, e.g. instance:). */
    private static final String INSUFFICIENT = "Insufficient credentials";

    private static KarafProcess karaf;
    private static final Map<String, String> PASSWORDS = new HashMap<>();

    @BeforeClass
    public static void start() throws Exception {
        karaf = KarafProcess.unpack(TAR, Paths.get("target/security/spindle"));
        Files.copy(Paths.get(System.getProperty("spindle.itest.driver.jar")), karaf.home.resolve("deploy/org.spindle.itest.driver.jar"));
        Files.copy(Paths.get(System.getProperty("spindle.itest.attach.jar")), karaf.home.resolve("deploy/org.spindle.itest.attach.jar"));
        Files.writeString(karaf.home.resolve("etc/org.spindle.itest.driver-sec1.config"),
                "storage.pool=\"sec1\"\nstorage.zone=\"z1\"\nstorage.tags=[\"gold\"]\n");
        Files.writeString(karaf.home.resolve("etc/org.spindle.itest.attach-sech1.config"),
                "hypervisor.hosts=[\"sech1\"]\nstorage.zone=\"z1\"\nstorage.protocols=[\"iscsi\"]\n"
                        + "hypervisor.limits=[\"iops\",\"bps\",\"read-write\",\"total\",\"burst\",\"burst-length\"]\nvms=[\"vm1\"]\n");
        // the operator's first-start step, as documented: bin/spindle user NAME ROLE, the password on stdin
        for (String role : List.of("viewer", "operator")) {
            String password = KarafProcess.randomPassword();
            spindleUser(role + "1", role, password);
            PASSWORDS.put(role, password);
        }
        karaf.start();
        karaf.awaitClient(READY, r -> r.output().contains("\"sec1\"") && r.output().contains("\"sech1\"")
                && r.output().contains("\"available\" : true"), "storage:pool-list --json", "storage:hypervisor-list --json");
        karaf.ok("storage:offering-create --tags gold --min-iops 500 --max-iops 1000 --burst-iops 1500 --read-iops 400 --write-iops 200 --custom-iops gold");
    }

    @AfterClass
    public static void stop() throws Exception {
        if (karaf != null) {
            karaf.close();
        }
    }

    // ------------------------------------------------------------------------------ no known credential, no open port

    @Test
    public void theShippedDistributionHasNoUserNoKeyAndNoDatabasePassword() throws Exception {
        Properties users = properties(fromTar("etc/users.properties"));
        List<String> enabled = new ArrayList<>();
        for (String key : users.stringPropertyNames()) {
            if (!key.startsWith("_g_:")) {
                enabled.add(key);
            }
        }
        assertEquals("users shipped in etc/users.properties", List.of(), enabled);
        assertTrue("the three groups are defined: " + users, users.getProperty("_g_:viewergroup", "").contains("viewer")
                && users.getProperty("_g_:operatorgroup", "").contains("operator")
                && users.getProperty("_g_:admingroup", "").contains("admin"));
        Set<String> keys = new TreeSet<>(properties(fromTar("etc/keys.properties")).stringPropertyNames());
        keys.removeIf(k -> k.startsWith("_g_:"));
        assertEquals("keys shipped in etc/keys.properties", Set.of(), keys);
        Properties database = properties(fromTar("etc/org.spindle.storage.database.cfg"));
        assertFalse("the database configuration ships a password: " + database, database.containsKey(".password"));
    }

    @Test
    public void knownPasswordsDoNotLogIn() throws Exception {
        for (String[] credential : List.of(new String[] {"spindle", "spindle"}, new String[] {"karaf", "karaf"},
                new String[] {"admin", "admin"}, new String[] {KarafProcess.USER, ""})) {
            KarafProcess.Result r = karaf.clientAs(credential[0], credential[1], "storage:pool-list");
            assertTrue(credential[0] + "/" + credential[1] + " logged in: " + r, r.exit() != 0 && !r.output().contains("sec1"));
        }
        // the test's own admin, with the password made for this run, does log in: the refusals above are about the credential
        assertTrue(karaf.ok("storage:pool-list").output().contains("sec1"));
    }

    @Test
    public void passwordsAreStoredOnlyAsBcryptHashes() throws Exception {
        // a user added while Spindle runs: Karaf replaces the password by its hash as soon as it sees the file change
        String password = KarafProcess.randomPassword();
        spindleUser("viewer2", "viewer", password);
        Path users = karaf.home.resolve("etc/users.properties");
        List<String> plain = List.of(password, PASSWORDS.get("viewer"), PASSWORDS.get("operator"), karaf.password());
        long deadline = System.nanoTime() + READY.toNanos();
        String text = Files.readString(users);
        while (plain.stream().anyMatch(text::contains) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            text = Files.readString(users);
        }
        for (String p : plain) {
            assertFalse("a password in clear in etc/users.properties", text.contains(p));
        }
        Properties stored = properties(text);
        for (String user : List.of("viewer1", "operator1", "viewer2", KarafProcess.USER)) {
            // {CRYPT}<the bcrypt string, hex-encoded>{CRYPT},_g_:group
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{CRYPT\\}([0-9a-f]+)\\{CRYPT\\},_g_:.+").matcher(stored.getProperty(user, ""));
            assertTrue(user + " is stored as {CRYPT}hex{CRYPT}", m.matches());
            String bcrypt = new String(java.util.HexFormat.of().parseHex(m.group(1)), StandardCharsets.US_ASCII);
            assertTrue(user + " is stored as a bcrypt hash", bcrypt.matches("\\$2[aby]?\\$\\d\\d\\$[./A-Za-z0-9]{53}"));
        }
        // and the password still logs in
        assertTrue(karaf.clientAs("viewer2", password, "storage:pool-list").output().contains("sec1"));
    }

    @Test
    public void sshAndJmxListenOnLoopbackOnly() throws Exception {
        Properties shell = properties(Files.readString(karaf.home.resolve("etc/org.apache.karaf.shell.cfg")));
        Properties management = properties(Files.readString(karaf.home.resolve("etc/org.apache.karaf.management.cfg")));
        assertEquals("shipped sshHost", "127.0.0.1", shell.getProperty("sshHost"));
        assertEquals("shipped sftpEnabled", "false", shell.getProperty("sftpEnabled"));
        for (String port : List.of(shell.getProperty("sshPort"), management.getProperty("rmiRegistryPort"), management.getProperty("rmiServerPort"))) {
            int p = Integer.parseInt(port);
            List<String> listeners = listeners(p);
            assertFalse("nothing listens on port " + p, listeners.isEmpty());
            assertEquals("addresses listening on port " + p, Collections.nCopies(listeners.size(), "127.0.0.1"), listeners);
        }
    }

    // ------------------------------------------------------------------------------ roles on storage: commands

    @Test
    public void aViewerSeesButChangesNothing() throws Exception {
        karaf.ok("storage:volume-create --offering gold --size 1G secv1");
        // one session: batch mode stops at the first command that fails
        KarafProcess.Result seen = karaf.clientAs("viewer1", PASSWORDS.get("viewer"), "storage:pool-list", "storage:offering-list",
                "storage:driver-list", "storage:hypervisor-list", "storage:volume-show secv1", "storage:volume-list");
        assertTrue("the viewer could not list or show: " + seen, seen.exit() == 0 && seen.output().contains("secv1")
                && !seen.output().contains(HIDDEN));
        for (String command : List.of("storage:volume-create --offering gold --size 1G secv2", "storage:volume-delete secv1",
                "storage:offering-create --tags gold --max-iops 2000 silver", "storage:volume-attach secv1 vm1",
                "storage:volume-qos --max-iops 900 secv1",
                // Karaf's own commands without an ACL line are admin-only too: config:list would show every password,
                // config:install writes into etc/ (CVE-2026-91085), instance: passes options to a shell
                "config:list", "config:install file:/etc/hostname x.cfg", "instance:list")) {
            assertRefused("viewer", command);
        }
        assertEquals("ALLOCATED", volume("secv1").path("state").asText());
        assertTrue(karaf.fails("storage:volume-show secv2").contains("secv2"));
        assertEquals("offerings after the viewer's attempts", List.of("gold"), names(karaf.json("storage:offering-list --json")));
    }

    @Test
    public void anOperatorRunsVolumesButDefinesNothing() throws Exception {
        karaf.ok("storage:volume-create --offering gold --size 1G seco1");
        KarafProcess.Result ran = karaf.clientAs("operator1", PASSWORDS.get("operator"), "storage:volume-attach seco1 vm1",
                "storage:volume-qos --max-iops 900 seco1", "storage:volume-resize seco1 2G", "storage:volume-detach seco1");
        assertTrue("the operator could not run a volume: " + ran, ran.exit() == 0 && !ran.output().contains("Error executing")
                && ran.output().contains("detached"));
        JsonNode v = volume("seco1");
        assertEquals("READY", v.path("state").asText());
        assertEquals(2L << 30, v.path("sizeBytes").asLong());
        // the audit trail names the operator's user for each of its changes (issue 13)
        List<String> trail = new java.util.ArrayList<>();
        for (JsonNode e : karaf.json("storage:audit --user operator1 --target seco1 --json")) {
            assertEquals(e.toString(), "OK", e.path("outcome").asText());
            trail.add(e.path("operation").asText());
        }
        assertEquals(List.of("volume.detach", "volume.resize", "volume.qos", "volume.attach"), trail);
        for (String command : List.of("storage:volume-delete seco1", "storage:volume-create --offering gold --size 1G seco2",
                "storage:offering-create --tags gold --max-iops 2000 bronze", "storage:audit")) {
            assertRefused("operator", command);
        }
        assertEquals("READY", volume("seco1").path("state").asText());
    }

    @Test
    public void anAdminDoesAll() throws Exception {
        karaf.ok("storage:offering-create --tags gold --min-iops 500 --max-iops 1000 --burst-iops 1500 --custom-iops seca-offering", "storage:volume-create --offering seca-offering --size 1G seca1",
                "storage:volume-attach seca1 vm1", "storage:volume-qos --max-iops 900 seca1", "storage:volume-detach seca1",
                "storage:volume-delete seca1");
        assertEquals("DESTROYED", volume("seca1").path("state").asText());
        karaf.ok("storage:offering-delete seca-offering");
    }

    /**
     * The Java API is guarded by the same roles as the commands (etc/org.apache.karaf.service.acl.spindle.*.cfg): with
     * the command ACL opened to operators for volume-delete, the operator's call still fails in the volume service
     * itself, and the volume stays.
     */
    @Test
    public void theJavaServicesRefuseWhatTheRoleMayNotDo() throws Exception {
        String services = karaf.ok("service:list org.spindle.storage.api.volume.VolumeService").output();
        assertTrue("the volume service is not published through Karaf's guard: " + services,
                services.contains("org.apache.karaf.service.guard.roles") && services.contains("operator"));
        karaf.ok("storage:volume-create --offering gold --size 1G secg1");
        Path acl = karaf.home.resolve("etc/org.apache.karaf.command.acl.storage.cfg");
        String shipped = Files.readString(acl);
        assertTrue(shipped.contains("\nvolume-delete = admin\n"));
        try {
            Files.writeString(acl, shipped.replace("\nvolume-delete = admin\n", "\nvolume-delete = operator, admin\n"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            KarafProcess.Result r = as("operator", "storage:volume-delete secg1");
            // the command ACL takes the file's change within seconds; until then the shell hides the command
            while (r.output().contains(HIDDEN) && System.nanoTime() < deadline) {
                Thread.sleep(500);
                r = as("operator", "storage:volume-delete secg1");
            }
            assertTrue("the operator's delete through the opened command was not refused by the service: " + r,
                    r.exit() != 0 && r.output().contains(INSUFFICIENT));
            // the guard logs the refusal: "Current user does not have required roles ([admin]) for service
            // [org.spindle.storage.api.volume.VolumeService, …] method public … VolumeManager.delete(java.lang.String)"
            assertTrue("Karaf's guard did not log its refusal of the volume service's delete", karaf.logs().lines()
                    .anyMatch(l -> l.contains("does not have required roles ([admin]) for service [org.spindle.storage.api.volume.VolumeService")
                            && l.contains(".delete(java.lang.String)")));
            assertEquals("ALLOCATED", volume("secg1").path("state").asText());
        } finally {
            Files.writeString(acl, shipped);
        }
    }

    /**
     * Each Spindle service that karaf.secured.services names has an ACL, and the ACL names every method of the
     * service's interface (a method added later and forgotten would fall to the admin-only "*" line).
     */
    @Test
    public void everyJavaServiceMethodHasAnAclLine() throws Exception {
        String secured = properties(Files.readString(karaf.home.resolve("etc/system.properties"))).getProperty("karaf.secured.services");
        Map<String, Set<String>> guarded = new HashMap<>();
        try (java.util.stream.Stream<Path> files = Files.list(karaf.home.resolve("etc"))) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("org.apache.karaf.service.acl.spindle.")).toList()) {
                Properties acl = properties(Files.readString(f));
                String type = acl.getProperty("service.guard").replaceFirst("^\\(objectClass=(.*)\\)$", "$1");
                guarded.put(type, new TreeSet<>(acl.stringPropertyNames()));
            }
        }
        List<Class<?>> services = List.of(org.spindle.storage.api.volume.VolumeService.class, org.spindle.storage.api.volume.OfferingService.class,
                org.spindle.storage.api.runtime.StorageRuntime.class, org.spindle.storage.api.runtime.QosAudit.class,
                org.spindle.storage.api.runtime.Reconciliation.class, org.spindle.storage.api.usage.UsageService.class,
                org.spindle.storage.api.audit.AuditLog.class);
        assertEquals("service ACL files", services.stream().map(Class::getName).collect(java.util.stream.Collectors.toCollection(TreeSet::new)),
                new TreeSet<>(guarded.keySet()));
        for (Class<?> service : services) {
            assertTrue(service.getName() + " is not in karaf.secured.services: " + secured, secured.contains("(objectClass=" + service.getName() + ")"));
            Set<String> methods = new TreeSet<>();
            for (java.lang.reflect.Method m : service.getMethods()) {
                methods.add(m.getName());
            }
            assertEquals("methods of " + service.getName() + " without a line in its ACL", Set.of(), without(methods, guarded.get(service.getName())));
        }
    }

    @Test
    public void everyStorageCommandHasAnAclLine() throws Exception {
        Set<String> commands = storageCommands();
        assertTrue("the storage commands found in the shell bundle: " + commands, commands.contains("volume-delete") && commands.size() > 10);
        Properties acl = properties(Files.readString(karaf.home.resolve("etc/org.apache.karaf.command.acl.storage.cfg")));
        // a line may match a command's arguments too, e.g. qos-audit[/.*--heal.*/]: it names the command before the [
        Set<String> named = new TreeSet<>();
        for (String key : acl.stringPropertyNames()) {
            named.add(key.replaceFirst("\\[.*\\]$", ""));
        }
        assertEquals("commands of the storage scope without a line in the ACL", Set.of(), without(commands, named));
        assertEquals("ACL lines naming no command", Set.of(), without(named, commands));
    }

    @Test
    public void jmxGivesConfigurationPropertiesToAdminOnly() throws Exception {
        Properties management = properties(Files.readString(karaf.home.resolve("etc/org.apache.karaf.management.cfg")));
        JMXServiceURL url = new JMXServiceURL("service:jmx:rmi://127.0.0.1:" + management.getProperty("rmiServerPort")
                + "/jndi/rmi://127.0.0.1:" + management.getProperty("rmiRegistryPort") + "/karaf-spindle");
        ObjectName config = new ObjectName("org.apache.karaf:type=config,name=spindle");
        Object[] pid = {"org.spindle.storage.database"};
        String[] signature = {String.class.getName()};
        try (JMXConnector c = JMXConnectorFactory.connect(url, Map.of(JMXConnector.CREDENTIALS, new String[] {"viewer1", PASSWORDS.get("viewer")}))) {
            MBeanServerConnection server = c.getMBeanServerConnection();
            try {
                server.invoke(config, "listProperties", pid, signature);
                fail("a viewer read a configuration's properties over JMX");
            } catch (SecurityException expected) {
                assertTrue(expected.getMessage(), expected.getMessage().contains("Insufficient roles"));
            }
        }
        try (JMXConnector c = JMXConnectorFactory.connect(url, Map.of(JMXConnector.CREDENTIALS, new String[] {KarafProcess.USER, karaf.password()}))) {
            Object properties = c.getMBeanServerConnection().invoke(config, "listProperties", pid, signature);
            assertTrue("admin reads the database configuration: " + properties, String.valueOf(properties).contains("jdbc:h2:"));
        }
        try {
            JMXConnectorFactory.connect(url, Map.of(JMXConnector.CREDENTIALS, new String[] {"karaf", "karaf"})).close();
            fail("karaf/karaf logged in over JMX");
        } catch (SecurityException expected) {
            // no such user
        }
    }

    // ------------------------------------------------------------------------------ helpers

    private static KarafProcess.Result as(String role, String command) throws IOException, InterruptedException {
        return karaf.clientAs(role + "1", PASSWORDS.get(role), command);
    }

    private static void assertRefused(String role, String command) throws IOException, InterruptedException {
        KarafProcess.Result r = as(role, command);
        String name = command.split(" ")[0];
        assertTrue(role + " was not refused " + command + ": " + r,
                r.exit() != 0 && (r.output().contains(HIDDEN + name) || r.output().contains(INSUFFICIENT)));
    }

    /** The names of the storage: commands, from the @Command annotations of the shell bundle the distribution ships. */
    private static Set<String> storageCommands() throws IOException, ClassNotFoundException {
        Path jar;
        try (java.util.stream.Stream<Path> files = Files.walk(karaf.home.resolve("system/org/spindle/org.spindle.storage.shell"))) {
            jar = files.filter(f -> f.toString().endsWith(".jar")).findFirst().orElseThrow();
        }
        Set<String> names = new TreeSet<>();
        try (java.util.jar.JarFile file = new java.util.jar.JarFile(jar.toFile());
                java.net.URLClassLoader loader = new java.net.URLClassLoader(new java.net.URL[] {jar.toUri().toURL()}, SecurityIT.class.getClassLoader())) {
            for (java.util.jar.JarEntry e : Collections.list(file.entries())) {
                if (e.getName().endsWith(".class") && !e.getName().contains("$")) {
                    Class<?> c = Class.forName(e.getName().replace('/', '.').replace(".class", ""), false, loader);
                    org.apache.karaf.shell.api.action.Command command = c.getAnnotation(org.apache.karaf.shell.api.action.Command.class);
                    if (command != null && command.scope().equals("storage")) {
                        names.add(command.name());
                    }
                }
            }
        }
        return names;
    }

    private static JsonNode volume(String name) throws IOException, InterruptedException {
        return karaf.json("storage:volume-show --json " + name);
    }

    private static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(n -> names.add(n.path("name").asText()));
        return names;
    }

    private static Set<String> without(Set<String> a, Set<String> b) {
        Set<String> d = new TreeSet<>(a);
        d.removeAll(b);
        return d;
    }

    /** {@code bin/spindle user NAME ROLE --home <the test's distribution>}, the password on stdin. */
    private static void spindleUser(String name, String role, String password) throws IOException, InterruptedException {
        Path root = Paths.get("..").toAbsolutePath().normalize();
        Process p = new ProcessBuilder(root.resolve("bin/spindle").toString(), "user", name, role, "--home", karaf.home.toAbsolutePath().toString())
                .directory(root.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().write((password + "\n").getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue("bin/spindle user did not finish", p.waitFor(30, TimeUnit.SECONDS));
        assertEquals("bin/spindle user " + name + " " + role + ": " + out, 0, p.exitValue());
        assertFalse("bin/spindle user printed the password: " + out, out.contains(password));
    }

    private static String fromTar(String path) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("tar", "-xzOf", TAR.toString(), "--wildcards", "*/" + path).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals("tar: no " + path + " in " + TAR, 0, p.exitValue());
        return text;
    }

    private static Properties properties(String text) throws IOException {
        Properties p = new Properties();
        p.load(new java.io.StringReader(text));
        return p;
    }

    /** The local addresses of the TCP sockets listening on {@code port} (/proc/net/tcp and tcp6), e.g. 127.0.0.1 or 0.0.0.0. */
    private static List<String> listeners(int port) throws IOException {
        List<String> addresses = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path f = Paths.get(table);
            if (!Files.exists(f)) {
                continue;
            }
            for (String line : Files.readAllLines(f)) {
                String[] cols = line.trim().split("\\s+");
                // sl local_address rem_address st ...; st 0A is LISTEN
                if (cols.length > 3 && cols[3].equals("0A") && cols[1].endsWith(String.format(":%04X", port))) {
                    addresses.add(address(cols[1].substring(0, cols[1].indexOf(':'))));
                }
            }
        }
        return addresses;
    }

    /** A /proc/net address in host byte order (little-endian words) as text; IPv4-mapped and :: IPv6 in IPv4 terms. */
    private static String address(String hex) {
        byte[] b = new byte[hex.length() / 2];
        for (int word = 0; word < b.length / 4; word++) {
            for (int i = 0; i < 4; i++) {
                b[word * 4 + i] = (byte) Integer.parseInt(hex.substring(word * 8 + (3 - i) * 2, word * 8 + (3 - i) * 2 + 2), 16);
            }
        }
        try {
            InetAddress a = InetAddress.getByAddress(b);
            if (a.isAnyLocalAddress()) {
                return "0.0.0.0";
            }
            return a.getHostAddress().replaceFirst("^0:0:0:0:0:ffff:", "").replace("0:0:0:0:0:0:0:1", "127.0.0.1");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
