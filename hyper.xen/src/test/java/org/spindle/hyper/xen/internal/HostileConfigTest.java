package org.spindle.hyper.xen.internal;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.spindle.storage.api.StorageException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile values in a Xen pool configuration, as Config Admin hands them over (the raw property map and DS's view of
 * it): each is refused naming its key and what is allowed, in a short message on one line, never with a password.
 */
class HostileConfigTest {
    private static final String LONG = "a".repeat(100_000);

    static Stream<Arguments> values() {
        return Stream.of(
                // numbers out of range or not whole
                Arguments.of("refresh.seconds", "9999999999999999999", "must be a whole number from 1 to 3600 (was '9999999999999999999')"),
                Arguments.of("refresh.seconds", 9_999_999_999L, "(was 9999999999)"),
                Arguments.of("refresh.seconds", 4_294_967_356L, "(was 4294967356)"),
                Arguments.of("refresh.seconds", -1, "(was -1)"),
                Arguments.of("refresh.seconds", 0, "(was 0)"),
                Arguments.of("reply.timeout.seconds", "-5", "(was -5)"),
                Arguments.of("reply.timeout.seconds", 1.5, "must be a whole number from 1 to 3600, not a number"),
                Arguments.of("reply.timeout.seconds", "sixty", "(was 'sixty')"),
                Arguments.of("refresh.seconds", true, "not true/false"),
                Arguments.of("refresh.seconds", new int[] {60}, "not a list"),
                // control characters
                Arguments.of("pool.name", "pool\u0000", "was 'pool\\u0000'"),
                Arguments.of("pool.name", "po\nol", "was 'po\\u000aol'"),
                Arguments.of("pool.name", "\u001b[2J", "was '\\u001b[2J'"),
                Arguments.of("xen.url", "https://master\n/", "without control characters"),
                Arguments.of("xen.url", "https://ma\u0000ster/", "without control characters"),
                Arguments.of("xen.url", "https://\u001b[2J/", "without control characters"),
                Arguments.of("xen.user", "root\n", "without control characters (was 'root\\u000a')"),
                Arguments.of("xen.user", "\u001b[2Jroot", "without control characters"),
                Arguments.of(".xen.password", "pass\u0000word", "without control characters"),
                Arguments.of(".tls.truststore.password", "x\u001b[2J", "without control characters"),
                Arguments.of("tls.fingerprint.sha256", "ab\n".repeat(32), "without control characters (was 'ab\\u000aab"),
                Arguments.of("storage.zone", "zone\u0000", "was 'zone\\u0000'"),
                Arguments.of("static.srs", new String[] {"gold\n"}, "without control characters"),
                Arguments.of("static.srs", new String[] {"\u001b[2J"}, "'\\u001b[2J' must be one line of text without control characters"),
                // very long strings
                Arguments.of("pool.name", LONG, "(100000 characters)"),
                Arguments.of("xen.url", "https://" + LONG + "/", "of at most 2048 characters"),
                Arguments.of("xen.url", "https://" + "a".repeat(300) + "/", "must name a host of at most 253 characters"),
                Arguments.of("xen.user", LONG, "1 to 255 characters"),
                Arguments.of(".xen.password", LONG, "at most 1024 characters"),
                Arguments.of("tls.fingerprint.sha256", "ab".repeat(50_000), "must be 64 hex digits"),
                Arguments.of("storage.zone", LONG, "(100000 characters)"),
                Arguments.of("static.srs", new String[] {LONG}, "(100000 characters)"),
                // wrong types
                Arguments.of("pool.name", new String[] {"pool1", "pool2"}, "must be one text value, not a list"),
                Arguments.of("xen.url", 42, "must be one text value, not a number"),
                Arguments.of("xen.user", true, "must be one text value, not true/false"),
                Arguments.of(".xen.password", new String[] {"s3cret-pass"}, "must be one text value, not a list"),
                Arguments.of("static.srs", 5, "must be a text value or a list of text values, not a number"),
                Arguments.of("static.srs", List.of(1, 2), "not a list"));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("values")
    void aHostileValueIsRefusedNamingItsKey(String key, Object value, String expected) {
        Map<String, Object> p = Configs.valid();
        if (key.equals("tls.truststore")) {
            p.remove("tls.fingerprint.sha256");
        }
        p.put(key, value);
        StorageException e = assertThrows(StorageException.class, () -> PoolSettings.of(Configs.config(p), p));
        String m = e.getMessage();
        assertEquals(key, e.field(), m);
        assertTrue(m.startsWith(key + ": "), m);
        assertTrue(m.contains(expected), m);
        assertTrue(m.length() < 300, m.length() + " characters");
        assertTrue(m.chars().noneMatch(Character::isISOControl), m);
        assertFalse(m.contains("s3cret-pass") || m.contains("pass\\u0000word") || m.contains("x\\u001b"), m);
    }

    @ParameterizedTest(name = "tls.truststore = {0}")
    @MethodSource("paths")
    void aHostileTrustStorePathIsRefused(String path, String expected) {
        Map<String, Object> p = Configs.valid();
        p.remove("tls.fingerprint.sha256");
        p.put("tls.truststore", path);
        StorageException e = assertThrows(StorageException.class, () -> PoolSettings.of(Configs.config(p), p));
        assertEquals("tls.truststore", e.field(), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().length() < 300 && e.getMessage().chars().noneMatch(Character::isISOControl), e.getMessage());
    }

    static Stream<Arguments> paths() {
        return Stream.of(Arguments.of("/tmp/\u0000store.p12", "without control characters (was '/tmp/\\u0000store.p12')"),
                Arguments.of("/tmp/\u001b[2J.p12", "without control characters"),
                Arguments.of("/" + LONG, "at most 4096 characters"));
    }
}
