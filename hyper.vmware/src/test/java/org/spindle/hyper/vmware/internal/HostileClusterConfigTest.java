package org.spindle.hyper.vmware.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.spindle.storage.api.StorageException;

/**
 * Hostile values in a vSphere cluster configuration, as Config Admin hands them over (the raw property map and DS's
 * view of it): each is refused naming its key and what is allowed, in a short message on one line, never with a
 * password.
 */
class HostileClusterConfigTest {
    private static final String LONG = "a".repeat(100_000);

    static Stream<Arguments> values() {
        return Stream.of(
                // numbers out of range or not whole
                Arguments.of("timeout.seconds", "9999999999999999999", "must be a whole number from 1 to 600 (was '9999999999999999999')"),
                Arguments.of("timeout.seconds", 9_999_999_999L, "(was 9999999999)"),
                Arguments.of("refresh.seconds", 4_294_967_356L, "must be a whole number from 1 to 3600 (was 4294967356)"),
                Arguments.of("task.timeout.seconds", -1, "(was -1)"),
                Arguments.of("stats.seconds", 0, "must be a whole number from 1 to 3000 (was 0)"),
                Arguments.of("stats.seconds", "-600", "(was -600)"),
                Arguments.of("timeout.seconds", 2.5, "not a number"),
                Arguments.of("timeout.seconds", "thirty", "(was 'thirty')"),
                Arguments.of("refresh.seconds", false, "not true/false"),
                Arguments.of("refresh.seconds", new Integer[] {60}, "not a list"),
                // control characters
                Arguments.of("name", "c1\u0000", "was 'c1\\u0000'"),
                Arguments.of("name", "\u001b[2J", "was '\\u001b[2J'"),
                Arguments.of("vcenter.url", "https://vc\n.example.org/sdk", "without control characters"),
                Arguments.of("vcenter.url", "https://vc.example.org/\u0000sdk", "without control characters"),
                Arguments.of("vcenter.url", "https://\u001b[2J/sdk", "without control characters"),
                Arguments.of("vcenter.user", "admin\n", "without control characters (was 'admin\\u000a')"),
                Arguments.of("vcenter.user", "\u001b[2Jadmin", "without control characters"),
                Arguments.of(".vcenter.password", "pass\u0000word", "without control characters"),
                Arguments.of("datacenter", "DC\n0", "without control characters (was 'DC\\u000a0')"),
                Arguments.of("cluster", "C\u001b[2J", "without control characters (was 'C\\u001b[2J')"),
                Arguments.of("storage.zone", "zone\u0000", "was 'zone\\u0000'"),
                Arguments.of("structures", new String[] {"ds\n1"}, "'ds\\u000a1' must be one line of text without control characters"),
                Arguments.of("tls.fingerprint.sha256", "AB:\n".repeat(32), "without control characters"),
                // very long strings
                Arguments.of("name", LONG, "(100000 characters)"),
                Arguments.of("vcenter.url", "https://" + LONG + "/sdk", "of at most 2048 characters"),
                Arguments.of("vcenter.url", "https://" + "a".repeat(300) + "/sdk", "must be an https URL"),
                Arguments.of("vcenter.user", LONG, "at most 255 characters"),
                Arguments.of(".vcenter.password", LONG, "at most 1024 characters"),
                Arguments.of("datacenter", LONG, "of at most 80 characters"),
                Arguments.of("cluster", LONG, "(100000 characters)"),
                Arguments.of("storage.zone", LONG, "(100000 characters)"),
                Arguments.of("structures", new String[] {LONG}, "(100000 characters)"),
                Arguments.of("tls.fingerprint.sha256", "AB:".repeat(50_000), "must be a SHA-256 fingerprint"),
                // wrong types
                Arguments.of("name", new String[] {"c1", "c2"}, "must be one text value, not a list"),
                Arguments.of("vcenter.url", 443, "must be one text value, not a number"),
                Arguments.of("vcenter.user", true, "must be one text value, not true/false"),
                Arguments.of(".vcenter.password", new String[] {"Very-secret-1"}, "must be one text value, not a list"),
                Arguments.of("cluster", List.of("DC0_C0"), "must be one text value, not a list"),
                Arguments.of("structures", 5, "must be a text value or a list of text values, not a number"),
                Arguments.of("structures", List.of(1, 2), "not a list"));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("values")
    void aHostileValueIsRefusedNamingItsKey(String key, Object value, String expected) {
        StorageException e = refused(key, value);
        String m = e.getMessage();
        // VimTrust names the pin tls.fingerprint (what it checks), the raw check the key
        String field = key.equals("tls.fingerprint.sha256") && !m.startsWith(key) ? "tls.fingerprint" : key;
        assertEquals(field, e.field(), m);
        assertTrue(m.startsWith(field + ": "), m);
        assertTrue(m.contains(expected), m);
        assertTrue(m.length() < 300, m.length() + " characters");
        assertTrue(m.chars().noneMatch(Character::isISOControl), m);
        assertFalse(m.contains("Very-secret-1") || m.contains("pass\\u0000word"), m);
    }

    @ParameterizedTest(name = "tls.truststore = {0}")
    @MethodSource("paths")
    void aHostileTrustStorePathIsRefused(String path, String expected) {
        Map<String, Object> raw = new HashMap<>(Map.of("tls.fingerprint.sha256", "", "tls.truststore", path));
        StorageException e = assertThrows(StorageException.class, () -> ClusterSettings.of(ClusterSettingsTest.config(
                Map.of("tls_fingerprint_sha256", "", "tls_truststore", path)), raw));
        assertEquals("tls.truststore", e.field(), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().length() < 300 && e.getMessage().chars().noneMatch(Character::isISOControl), e.getMessage());
    }

    static Stream<Arguments> paths() {
        return Stream.of(Arguments.of("/tmp/\u0000store.p12", "without control characters (was '/tmp/\\u0000store.p12')"),
                Arguments.of("/tmp/\u001b[2J.p12", "without control characters"),
                Arguments.of("/" + LONG, "at most 4096 characters"));
    }

    private static StorageException refused(String key, Object value) {
        Map<String, Object> raw = new HashMap<>();
        raw.put(key, value);
        Map<String, Object> view = new HashMap<>();
        view.put(key.replace('.', '_'), value);
        return assertThrows(StorageException.class, () -> ClusterSettings.of(ClusterSettingsTest.config(view), raw));
    }
}
