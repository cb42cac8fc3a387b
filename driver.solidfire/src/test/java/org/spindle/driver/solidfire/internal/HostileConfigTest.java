package org.spindle.driver.solidfire.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile values of a SolidFire cluster configuration, as Configuration Admin may deliver them (Strings from a .cfg
 * file, typed values, lists): each is refused naming its key and what is allowed, in one short line that never
 * quotes the password; through the component, nothing is registered and the refusal is logged once.
 */
class HostileConfigTest {
    static final String LONG = "s".repeat(100_000);

    static Stream<Arguments> hostile() {
        return Stream.of(
                Arguments.of("capacity.iops", "9999999999999999999", "capacity.iops: must be a whole number from "
                        + "-9223372036854775808 to 9223372036854775807 (was '9999999999999999999')"),
                Arguments.of("target.lun", 4_294_967_297L, "target.lun: must be a whole number from -2147483648 to 2147483647 "
                        + "(was a Long '4294967297')"),
                Arguments.of("retry.count", "five", "retry.count: must be a whole number (was 'five')"),
                Arguments.of("retry.count", 2.5, "retry.count: must be a whole number (was a Double '2.5')"),
                Arguments.of("timeout.request.ms", new String[] {"1000", "2000"}, "timeout.request.ms: must be one value, not a "
                        + "list of 2 (was a list of 2)"),
                Arguments.of("timeout.connect.ms", "-1", "timeout.connect.ms: must be between 1 and 600000 ms (was -1)"),
                Arguments.of("timeout.request.ms", "0", "timeout.request.ms: must be between 1 and 600000 ms (was 0)"),
                Arguments.of("qos.default.max.iops", "-100", "qos.default.max.iops: must not be negative (was -100)"),
                Arguments.of("reply.max.bytes", "0", "reply.max.bytes: must be between 1048576 (1 MiB) and 1073741824 (1 GiB) "
                        + "(was 0)"),
                Arguments.of("reply.max.bytes", "9223372036854775807", "reply.max.bytes: must be between 1048576 (1 MiB) and "
                        + "1073741824 (1 GiB) (was 9223372036854775807)"),
                Arguments.of("burst.factor", "NaN", "burst.factor: must be a number such as 1.5 (was 'NaN')"),
                Arguments.of("burst.factor", "1e999", "burst.factor: must be a finite number (was '1e999')"),
                Arguments.of("burst.factor", Double.POSITIVE_INFINITY, "burst.factor: must be a finite number (was a Double "
                        + "'Infinity')"),
                Arguments.of("enable512e", "yes", "enable512e: must be true or false (was 'yes')"),
                Arguments.of("mvip", "10.0.0.5\u0000", "mvip: must not contain control characters (\\u0000 at 8) "
                        + "(was '10.0.0.5\\u0000')"),
                Arguments.of("mvip", "10.0.0.5\nERROR forged log line", "mvip: must not contain control characters (\\u000a at 8) "
                        + "(was '10.0.0.5\\u000aERROR forged log line')"),
                Arguments.of("storage.pool", "\u001b[2Jpool", "storage.pool: must not contain control characters (\\u001b at 0) "
                        + "(was '\\u001b[2Jpool')"),
                Arguments.of("storage.zone", "zone\u202e1", "storage.zone: must not contain control characters (\\u202e at 4) "
                        + "(was 'zone\\u202e1')"),
                Arguments.of("storage.tags", new String[] {"gold", "s\u0000sd"}, "storage.tags: must not contain control "
                        + "characters (\\u0000 at 1) (was a list of 2)"),
                Arguments.of("storage.tags", List.of("gold", LONG), "storage.tags: must be at most 1024 characters, not 100000 "
                        + "(was a list of 2)"),
                Arguments.of("username", LONG, "username: must be at most 1024 characters, not 100000 (was "
                        + "'ssssssssssssssssssssssssssssssssssssssss'… (100000 characters))"),
                Arguments.of("tls.truststore", "/etc/trust\u0007.p12", "tls.truststore: must not contain control characters "
                        + "(\\u0007 at 10) (was '/etc/trust\\u0007.p12')"),
                Arguments.of("api.version", Map.of("v", 12), "api.version: must be text (was a "
                        + Map.of("v", 12).getClass().getSimpleName() + " '{v=12}')"),
                Arguments.of(".password", "s3cret-admin\u001b[2J", ".password: must not contain control characters (\\u001b at 12)"),
                Arguments.of(".password", "s3cret-admin" + LONG, ".password: must be at most 1024 characters, not 100012"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void refusedNamingTheKey(String key, Object value, String message) {
        Map<String, Object> c = ClusterSettingsTest.valid();
        c.put(key, value);
        ConfigException e = assertThrows(ConfigException.class, () -> ClusterSettings.from(Configs.of(c), c));
        assertEquals(key, e.key());
        assertEquals(message, e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
        assertFalse(e.getMessage().contains("s3cret"));
    }

    @Test
    void legitimateValuesOfEveryTypePass() throws ConfigException {
        Map<String, Object> c = ClusterSettingsTest.valid();
        c.putAll(Map.of("target.lun", "1", "retry.count", 3L, "timeout.request.ms", new String[] {" 2000 "},
                "burst.factor", "2", "enable512e", "FALSE", "storage.tags", List.of("gold", "ssd"),
                "reply.max.bytes", 1L << 20, "capacity.iops", Integer.valueOf(5000)));
        ClusterSettings s = ClusterSettings.from(Configs.of(c), c);
        assertEquals(1, s.targetLun());
        assertEquals(2000, s.requestTimeout().toMillis());
        assertEquals(2.0, s.burstFactor());
        assertFalse(s.enable512e());
        assertEquals(1L << 20, s.replyMaxBytes());
        assertEquals(5000, s.capacityIops());
        assertEquals(64L << 20, ClusterSettings.from(Configs.of(ClusterSettingsTest.valid()), ClusterSettingsTest.valid())
                .replyMaxBytes(), "the default");
    }

    @Test
    void theComponentRegistersNothingAndLogsTheKeyOnce() throws IOException {
        try (TestCluster cluster = TestCluster.start(); LogCapture log = new LogCapture()) {
            Map<String, Object> c = cluster.config();
            c.put("retry.count", "9999999999");
            SolidFireDriverComponentTest.Framework framework = new SolidFireDriverComponentTest.Framework();
            SolidFireDriverComponentTest.Reporter reporter = new SolidFireDriverComponentTest.Reporter();
            SolidFireDriverComponent component = new SolidFireDriverComponent();
            component.setReporter(reporter);
            component.activate(framework.context(), Configs.of(c), SolidFireDriverComponentTest.componentProperties(c));
            String why = "retry.count: must be a whole number from -2147483648 to 2147483647 (was '9999999999')";
            assertEquals(List.of("DRIVER " + SolidFireDriverComponentTest.PID + " org.spindle.driver.solidfire solidfire: "
                    + why), reporter.calls);
            component.deactivate();
            assertEquals(List.of(), framework.events, "nothing registered");
            assertEquals(0, cluster.sim.faults().totalCalls(), "the cluster was never called");
            List<String> lines = log.text().lines().filter(l -> l.contains("retry.count")).toList();
            assertEquals(1, lines.size(), lines.toString());
            assertTrue(lines.get(0).contains("ERROR") && lines.get(0).endsWith("rejected: " + why), lines.get(0));
            assertFalse(log.text().contains(TestCluster.PASSWORD));
        }
    }
}
