package org.spindle.hyper.kvm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;

/**
 * Hostile values of a KVM host configuration, as Configuration Admin may deliver them (Strings from a .cfg file,
 * typed values, lists): each is refused naming its key and what is allowed, in one short line that never quotes
 * a private key's value.
 */
class HostileConfigTest {
    static final String LONG = "h".repeat(100_000);

    static Stream<Arguments> hostile() {
        return Stream.of(
                Arguments.of("connect.timeout.seconds", "9999999999999999999", "connect.timeout.seconds: must be a whole number "
                        + "from -2147483648 to 2147483647 (was '9999999999999999999')"),
                Arguments.of("call.timeout.seconds", 4_294_967_326L, "call.timeout.seconds: must be a whole number from "
                        + "-2147483648 to 2147483647 (was a Long '4294967326')"),
                Arguments.of("keepalive.count", "three", "keepalive.count: must be a whole number (was 'three')"),
                Arguments.of("keepalive.count", 2.5, "keepalive.count: must be a whole number (was a Double '2.5')"),
                Arguments.of("keepalive.count", new String[] {"3", "4"}, "keepalive.count: must be one value, not a list of 2 "
                        + "(was a list of 2)"),
                Arguments.of("keepalive.count", new int[0], "keepalive.count: must be one value, not a list of 0 (was a list of 0)"),
                Arguments.of("probe.interval.seconds", -5, "probe.interval.seconds: must be between 1 and 600 seconds (was -5)"),
                Arguments.of("detach.timeout.seconds", 0, "detach.timeout.seconds: must be between 1 and 600 seconds (was 0)"),
                Arguments.of("hypervisor.host", "host\u0000", "hypervisor.host: must not contain control characters (\\u0000 at 4) "
                        + "(was 'host\\u0000')"),
                Arguments.of("hypervisor.host", "host1\nFAKE LOG LINE", "hypervisor.host: must not contain control characters "
                        + "(\\u000a at 5) (was 'host1\\u000aFAKE LOG LINE')"),
                Arguments.of("storage.zone", "\u001b[2Jzone", "storage.zone: must not contain control characters (\\u001b at 0) "
                        + "(was '\\u001b[2Jzone')"),
                Arguments.of("libvirt.uri", "qemu+ssh://h/system\r\n", "libvirt.uri: must not contain control characters "
                        + "(\\u000d at 19) (was 'qemu+ssh://h/system\\u000d\\u000a')"),
                Arguments.of("initiator.iqn", "iqn.2024-01.org.x:h\u202e1", "initiator.iqn: must not contain control characters "
                        + "(\\u202e at 19) (was 'iqn.2024-01.org.x:h\\u202e1')"),
                Arguments.of("hypervisor.host", LONG, "hypervisor.host: must be at most 1024 characters, not 100000 (was "
                        + "'hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh'… (100000 characters))"),
                Arguments.of("structures", new String[] {"images", "po\u0000ol"}, "structures: must not contain control characters "
                        + "(\\u0000 at 2) (was a list of 2)"),
                Arguments.of("structures", List.of("a", LONG), "structures: must be at most 1024 characters, not 100000 (was a list "
                        + "of 2)"),
                Arguments.of("hypervisor.host", Map.of("a", "b"), "hypervisor.host: must be text (was a "
                        + Map.of("a", "b").getClass().getSimpleName() + " '{a=b}')"),
                Arguments.of("tls.ca", "-----BEGIN CERTIFICATE-----\n\u0000\n-----END CERTIFICATE-----",
                        "tls.ca: must not contain control characters (\\u0000 at 28) (was '-----BEGIN CERTIFICATE-----\\u000a"
                                + "\\u0000\\u000a-----END C'… (55 characters))"),
                Arguments.of(".ssh.key", "-----BEGIN OPENSSH PRIVATE KEY-----\n" + "k".repeat(70_000), ".ssh.key: must be at "
                        + "most 65536 characters, not 70036"),
                Arguments.of(".tls.key", "s3cret\u001b[2J", ".tls.key: must not contain control characters (\\u001b at 6)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void refusedNamingTheKey(String key, Object value, String message) {
        StorageException e = assertThrows(StorageException.class,
                () -> HostSettings.of(Configs.config(key, value), Configs.properties(key, value)));
        assertEquals(Reason.INVALID_ARGUMENT, e.reason());
        assertEquals(key, e.field());
        assertEquals(message, e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
        assertFalse(e.getMessage().contains("s3cret"));
    }

    @Test
    void legitimateValuesOfEveryTypePass() {
        String pem = "-----BEGIN CERTIFICATE-----\r\nMIIB\tx\n-----END CERTIFICATE-----\n";
        Map<String, Object> p = Configs.properties("libvirt.uri", "qemu+tls://h/system", "tls.ca", pem, "tls.certificate", pem,
                ".tls.key", "-----BEGIN PRIVATE KEY-----\nk\n-----END PRIVATE KEY-----", "connect.timeout.seconds", "20",
                "call.timeout.seconds", 40L, "keepalive.count", new String[] {" 4 "}, "structures", List.of("a", "b"));
        HostSettings s = HostSettings.of(Configs.config("libvirt.uri", "qemu+tls://h/system", "tls.ca", pem, "tls.certificate", pem,
                ".tls.key", "-----BEGIN PRIVATE KEY-----\nk\n-----END PRIVATE KEY-----", "connect.timeout.seconds", 20,
                "call.timeout.seconds", 40, "keepalive.count", 4, "structures", new String[] {"a", "b"}), p);
        assertTrue(s.remote().tls());
        assertEquals(List.of("a", "b"), s.structures());
    }
}
