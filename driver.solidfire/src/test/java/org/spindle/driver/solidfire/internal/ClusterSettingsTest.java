package org.spindle.driver.solidfire.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.spindle.storage.api.Portal;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.spindle.driver.solidfire.internal.element.ApiVersion;

class ClusterSettingsTest {
    static final String PIN = "87:95:" + "ab".repeat(30);

    static Map<String, Object> valid() {
        Map<String, Object> c = new HashMap<>();
        c.put("mvip", "sf-mvip.example.com");
        c.put("username", "admin");
        c.put(".password", "s3cret-admin");
        c.put("tls.fingerprint.sha256", PIN);
        c.put("storage.pool", "sf-gold");
        c.put("storage.zone", "zone1");
        return c;
    }

    static ClusterSettings parse(Map<String, Object> c) throws ConfigException {
        return ClusterSettings.from(Configs.of(c));
    }

    @Test
    void defaults() throws ConfigException {
        ClusterSettings s = parse(valid());
        assertEquals("sf-mvip.example.com:443", s.mvip());
        assertEquals(Optional.empty(), s.svip());
        assertEquals(Optional.empty(), s.apiVersion());
        assertEquals(Optional.of("8795" + "ab".repeat(30)), s.fingerprint());
        assertEquals(List.of(), s.tags());
        assertEquals("spindle", s.accountPrefix());
        assertTrue(s.enable512e());
        assertEquals(0, s.targetLun());
        assertEquals(1.5, s.burstFactor());
        assertEquals(0, s.maxIopsCeiling(), "0: the cluster's own (GetLimits)");
        assertEquals(Duration.ofSeconds(5), s.connectTimeout());
        assertEquals(Duration.ofSeconds(30), s.requestTimeout());
        assertEquals(5, s.retry().retries());
        assertEquals(Duration.ofMillis(500), s.retry().initialBackoff());
        assertFalse(s.toString().contains("s3cret"), s.toString());
        assertFalse(s.password().toString().contains("s3cret"));
    }

    @Test
    void valuesAreNormalized() throws ConfigException {
        Map<String, Object> c = valid();
        c.put("mvip", "10.0.0.5:8443");
        c.put("svip", "10.1.0.5");
        c.put("api.version", "8.0");
        c.put("storage.tags", new String[] {"gold, ssd", "fast", "gold"});
        c.put("target.lun", 1);
        ClusterSettings s = parse(c);
        assertEquals("10.0.0.5:8443", s.mvip());
        assertEquals(Optional.of("10.1.0.5:3260"), s.svip());
        assertEquals(Optional.of(new ApiVersion(8, 0)), s.apiVersion());
        assertEquals(List.of("gold", "ssd", "fast"), s.tags());
        assertEquals(1, s.targetLun());
        c.put("mvip", "fd00::5");
        assertEquals("[fd00::5]:443", parse(c).mvip());
        c.put("mvip", "[fd00::5]:442");
        assertEquals("[fd00::5]:442", parse(c).mvip());
        assertEquals("[fd00::7]:3260", ClusterSettings.portal("fd00::7").toString());
        assertEquals(new Portal("fd00::7", 3260), ClusterSettings.portal("[fd00::7]"));
        assertEquals("10.1.0.9:3260", ClusterSettings.portal("10.1.0.9").toString());
    }

    @Test
    void truststoreInsteadOfPin(@TempDir Path dir) throws Exception {
        Path store = Files.writeString(dir.resolve("trust.p12"), "x");
        Map<String, Object> c = valid();
        c.remove("tls.fingerprint.sha256");
        c.put("tls.truststore", store.toString());
        c.put(".tls.truststore.password", "changeit");
        ClusterSettings s = parse(c);
        assertEquals(Optional.of(store), s.truststore());
        assertEquals("changeit", s.truststorePassword().reveal());
    }

    /** Each bad value is refused with a reason that starts with its key. */
    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "mvip|NULL|mvip: is missing",
            "mvip|https://sf.example.com/json-rpc|mvip: expected host or host:port",
            "mvip|sf.example.com:0|mvip: port must be between 1 and 65535",
            "svip|sf svip|svip: expected host or host:port",
            "username|' '|username: is missing",
            ".password|NULL|.password: is missing",
            "api.version|eight|api.version: must be major.minor",
            "api.version|6.0|api.version: must be 7.0 or later",
            "tls.fingerprint.sha256|NULL|tls.fingerprint.sha256: is missing: pin the cluster's certificate",
            "tls.fingerprint.sha256|abcd|tls.fingerprint.sha256: must be 64 hex digits",
            "tls.truststore|/nonexistent/trust.p12|tls.fingerprint.sha256: set either it or tls.truststore",
            "storage.pool|NULL|storage.pool: is missing",
            "storage.pool|gold pool|storage.pool: must be 1-64 letters",
            "storage.zone|NULL|storage.zone: is missing",
            "storage.tags|'gold,s s d'|storage.tags: must be 1-64 letters",
            "capacity.iops|-1|capacity.iops: must not be negative",
            "qos.default.min.iops|20000|qos.default.min.iops: must be at most 15000",
            "qos.max.iops.ceiling|10|qos.max.iops.ceiling: must be 0 (the cluster's GetLimits) or at least 100",
            "burst.factor|0.5|burst.factor: must be between 1.0 and 100",
            "account.prefix|'a b'|account.prefix: must be 1-32 letters",
            "target.lun|-1|target.lun: must be between 0 and 16383",
            "timeout.connect.ms|0|timeout.connect.ms: must be between 1 and 600000 ms",
            "timeout.request.ms|0|timeout.request.ms: must be between 1 and 600000 ms",
            "retry.count|-1|retry.count: must be between 0 and 20",
            "retry.backoff.ms|-5|retry.backoff.ms: must not be negative",
    })
    void refusesNamingTheKey(String key, String value, String expected) {
        Map<String, Object> c = valid();
        if (value == null) {
            c.remove(key);
        } else {
            c.put(key, value);
        }
        ConfigException e = assertThrows(ConfigException.class, () -> parse(c));
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
        assertEquals(key.equals("tls.truststore") ? "tls.fingerprint.sha256" : key, e.key());
        assertFalse(e.getMessage().contains("s3cret-admin"));
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void orderOfDefaultQos() {
        Map<String, Object> c = valid();
        c.put("qos.default.min.iops", "2000");
        c.put("qos.default.max.iops", "1000");
        assertEquals("qos.default.min.iops: must not exceed qos.default.max.iops 1000",
                assertThrows(ConfigException.class, () -> parse(c)).getMessage());
        c.put("qos.default.min.iops", "500");
        c.put("qos.default.burst.iops", "800");
        assertEquals("qos.default.burst.iops: must be at least qos.default.max.iops 1000",
                assertThrows(ConfigException.class, () -> parse(c)).getMessage());
    }

    @Test
    void unreadableTruststore() {
        Map<String, Object> c = valid();
        c.remove("tls.fingerprint.sha256");
        c.put("tls.truststore", "/nonexistent/trust.p12");
        assertEquals("tls.truststore: cannot read /nonexistent/trust.p12",
                assertThrows(ConfigException.class, () -> parse(c)).getMessage());
    }
}
