package org.spindle.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.After;
import org.junit.Test;
import org.spindle.solidfire.simulator.ElementSimulator;

/**
 * Secrets at rest: the SolidFire password and the database password are stored in {@code etc/} only as {@code ENC(...)}
 * values made with {@code bin/spindle encrypt}, and the distribution still works with them — the driver logs in to an
 * Element cluster that accepts only the real password, and the embedded database is created with the real password
 * (opened afterwards with it, and not with the encrypted text). A value made with another key is refused without being
 * tried, and no secret appears in a log, a {@code storage:} output or the database.
 */
public class EncryptedConfigIT {
    private static final Duration READY = Duration.ofSeconds(120);
    private static final Path ROOT = Paths.get("..").toAbsolutePath().normalize();

    private KarafProcess karaf;
    private ElementSimulator sim;

    @After
    public void stop() throws Exception {
        try {
            if (karaf != null) {
                karaf.close();
            }
        } finally {
            if (sim != null) {
                sim.close();
            }
        }
    }

    @Test
    public void encryptedPasswordsWorkAndNeverShow() throws Exception {
        String sanPassword = "san-" + UUID.randomUUID();
        String dbPassword = "db-" + UUID.randomUUID();
        sim = ElementSimulator.builder().uniqueId("enc" + UUID.randomUUID().toString().substring(0, 6))
                .tgt(ElementSimulator.TgtMode.OFF).credentials("admin", sanPassword).start();
        karaf = KarafProcess.unpack(Paths.get(System.getProperty("spindle.distribution.tar")), Paths.get("target/encrypted/spindle"));

        // the operator's steps (README, "Security"): a new key in a private file, named in etc/system.properties
        Path keyFile = Paths.get("target/encrypted/config.key").toAbsolutePath();
        Files.writeString(keyFile, spindle(Map.of(), "", "encrypt", "--new-key").strip() + "\n");
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        karaf.setProperty("etc/system.properties", "spindle.config.keyfile", keyFile.toString());
        String home = karaf.home.toAbsolutePath().toString();
        String encryptedSan = spindle(Map.of(), sanPassword, "encrypt", "--keyfile", keyFile.toString(), "--home", home).strip();
        String encryptedDb = spindle(Map.of(), dbPassword, "encrypt", "--keyfile", keyFile.toString(), "--home", home).strip();
        String otherKey = spindle(Map.of(), "", "encrypt", "--new-key").strip();
        String encryptedWithAnotherKey = spindle(Map.of("SPINDLE_CONFIG_KEY", otherKey), sanPassword, "encrypt", "--home", home).strip();
        for (String e : List.of(encryptedSan, encryptedDb, encryptedWithAnotherKey)) {
            assertTrue(e, e.startsWith("ENC(") && e.endsWith(")") && !e.contains(sanPassword) && !e.contains(dbPassword));
        }
        assertNotEquals(encryptedSan, encryptedWithAnotherKey);

        Files.writeString(config("encsf"), solidFire("encsf", encryptedSan));
        Files.writeString(config("encother"), solidFire("encother", encryptedWithAnotherKey));
        karaf.setProperty("etc/org.spindle.storage.database.cfg", ".password", encryptedDb);
        karaf.start();
        KarafProcess.Result ready = karaf.awaitClient(READY, r -> r.exit() == 0 && r.output().contains("\"encsf\"")
                && r.output().contains("\"available\" : true") && r.output().contains("REJECTED"),
                "storage:pool-list --json", "storage:driver-list --json");

        // the driver logged in with the decrypted password (the simulator refuses any other), the other key's value was
        // never tried as a password: it was removed, and the driver says the password is missing
        String rejected = karaf.ok("storage:driver-list").output();
        assertTrue(rejected, rejected.contains("org.spindle.driver.solidfire~encother") && rejected.contains(".password"));
        String logs = karaf.logs();
        assertTrue("the plugin names the configuration and the key: " + logs,
                logs.contains("org.spindle.driver.solidfire~encother") && logs.contains("key .password"));
        // Configuration Admin and the files keep the encrypted form
        String configList = karaf.ok("config:list \"(service.pid=org.spindle.storage.database)\"").output();
        assertTrue(configList, configList.contains(encryptedDb));
        assertTrue(Files.readString(config("encsf")).contains(encryptedSan));

        List<String> outputs = new ArrayList<>(List.of(ready.output(), rejected, configList, logs));
        outputs.add(karaf.ok("storage:pool-list", "storage:pool-show encsf", "storage:pool-show --json encsf").output());
        karaf.stop(Duration.ofSeconds(60));
        outputs.add(karaf.logs());

        // the database was created with the decrypted password: it opens with it, not with the ENC(...) text
        Path dump = Paths.get("target/encrypted/database.sql").toAbsolutePath();
        assertEquals("H2 opened with the database password", 0, h2Script(dbPassword, dump));
        assertNotEquals("H2 opened with the encrypted text", 0, h2Script(encryptedDb, Paths.get("target/encrypted/none.sql").toAbsolutePath()));
        String database = Files.readString(dump);
        assertTrue("the dump holds the pool: " + database.length() + " chars", database.contains("encsf"));
        outputs.add(database);
        for (String text : outputs) {
            assertFalse("the SAN password leaked", text.contains(sanPassword));
            assertFalse("the database password leaked", text.contains(dbPassword));
        }
    }

    private Path config(String name) {
        return karaf.home.resolve("etc/org.spindle.driver.solidfire-" + name + ".cfg");
    }

    private String solidFire(String pool, String password) {
        return "mvip = " + sim.url().replaceFirst("^https://", "") + "\n"
                + "username = " + sim.adminUser() + "\n"
                + ".password = " + password + "\n"
                + "tls.fingerprint.sha256 = " + sim.certificateSha256() + "\n"
                + "storage.pool = " + pool + "\n"
                + "storage.zone = enc\n";
    }

    /** {@code bin/spindle ARGS} from the repository's root, {@code stdin} as its input; returns stdout, fails on exit != 0. */
    private static String spindle(Map<String, String> env, String stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ROOT.resolve("bin/spindle").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile());
        pb.environment().remove("SPINDLE_CONFIG_KEY");
        pb.environment().putAll(env);
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        p.getOutputStream().write((stdin + "\n").getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue("bin/spindle " + List.of(args) + " did not finish", p.waitFor(60, TimeUnit.SECONDS));
        assertEquals("bin/spindle " + List.of(args) + ": " + out, 0, p.exitValue());
        return out;
    }

    /** H2's own Script tool over the distribution's database file, as {@code user = spindle} with {@code password}. */
    private int h2Script(String password, Path out) throws IOException, InterruptedException {
        Path jar;
        try (Stream<Path> files = Files.walk(karaf.home.resolve("system/com/h2database"))) {
            jar = files.filter(f -> f.getFileName().toString().matches("h2-.*\\.jar")).findFirst().orElseThrow();
        }
        Process p = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-cp", jar.toString(),
                "org.h2.tools.Script", "-url", "jdbc:h2:file:" + karaf.home.toAbsolutePath().resolve("data/spindle/spindle"),
                "-user", "spindle", "-password", password, "-script", out.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue("H2 Script did not finish", p.waitFor(60, TimeUnit.SECONDS));
        return p.exitValue();
    }
}
