package org.spindle.storage.core.internal.qos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.spindle.storage.core.internal.qos.Fixtures.assertMessage;

import static org.spindle.storage.api.driver.StorageQosCapability.BURST_IOPS;
import static org.spindle.storage.api.driver.StorageQosCapability.MAX_IOPS;
import static org.spindle.storage.api.driver.StorageQosCapability.MIN_IOPS;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.spindle.storage.api.attach.HypervisorLimit;

class CapabilitiesTest {
    static final Consumer<String> NOWHERE = unknown -> { };

    @Test
    void storageFromStringArrayAndLongs() {
        StorageCapabilities c = StorageCapabilities.fromServiceProperties(Map.of(
                "storage.qos", new String[] {"min-iops", "MAX_IOPS"},
                "storage.qos.min-iops.floor", 100L,
                "storage.qos.min-iops.ceiling", 5000,
                "storage.qos.max-iops.ceiling", "20000",
                "storage.qos.max-iops.floor", 50,
                "storage.volume.size.min", 1L << 30), NOWHERE);
        assertEquals(new StorageCapabilities(true, Set.of(MIN_IOPS, MAX_IOPS), 100, 5000, 50, 20000, 1L << 30), c);
        assertTrue(c.enforces(MIN_IOPS));
        assertTrue(c.enforces(MAX_IOPS));
        assertFalse(c.enforces(BURST_IOPS));
    }

    @Test
    void storageFromCollectionAndCommaString() {
        assertEquals(Set.of(BURST_IOPS, MAX_IOPS), StorageCapabilities.fromServiceProperties(
                Map.of("storage.qos", List.of("burst-iops", "max-iops")), NOWHERE).qos());
        assertEquals(Set.of(MIN_IOPS, BURST_IOPS), StorageCapabilities.fromServiceProperties(
                Map.of("storage.qos", "min-iops, burst_iops"), NOWHERE).qos());
    }

    @Test
    void storageDefaults() {
        StorageCapabilities c = StorageCapabilities.fromServiceProperties(Map.of(), NOWHERE);
        assertEquals(new StorageCapabilities(true, Set.of(), 0, 0, 0), c);
    }

    @Test
    void staticPoolEnforcesNothing() {
        StorageCapabilities c = StorageCapabilities.fromServiceProperties(Map.of("storage.managed", "false"), NOWHERE);
        assertEquals(StorageCapabilities.NONE, c);
        assertFalse(StorageCapabilities.NONE.managed());
        assertFalse(StorageCapabilities.NONE.enforces(MIN_IOPS));
        assertEquals("none (static pool)", StorageCapabilities.NONE.describe());
    }

    static Stream<Arguments> malformedStorage() {
        return Stream.of(
                Arguments.of(Map.of("storage.qos", 3), "storage.qos", "Integer"),
                Arguments.of(Map.of("storage.qos", List.of(1)), "storage.qos", "only strings"),
                Arguments.of(Map.of("storage.qos.min-iops.floor", "lots"), "storage.qos.min-iops.floor", "\"lots\""),
                Arguments.of(Map.of("storage.qos.max-iops.ceiling", 1.5d), "storage.qos.max-iops.ceiling", "Double"),
                Arguments.of(Map.of("storage.qos.min-iops.ceiling", -1L), "storage.qos.min-iops.ceiling", "-1"),
                Arguments.of(Map.of("storage.qos.min-iops.floor", 600L, "storage.qos.min-iops.ceiling", 500L),
                        "storage.qos.min-iops.floor", "600"),
                Arguments.of(Map.of("storage.qos.max-iops.floor", 600L, "storage.qos.max-iops.ceiling", 500L),
                        "storage.qos.max-iops.floor", "600"),
                Arguments.of(Map.of("storage.volume.size.min", "1G"), "storage.volume.size.min", "\"1G\""),
                Arguments.of(Map.of("storage.managed", "yes"), "storage.managed", "yes"),
                Arguments.of(Map.of("storage.managed", false, "storage.qos", "min-iops"), "storage.qos", "static pool"));
    }

    @ParameterizedTest
    @MethodSource
    void malformedStorage(Map<String, Object> properties, String key, String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StorageCapabilities.fromServiceProperties(properties, NOWHERE));
        assertTrue(e.getMessage().startsWith(key + ":"), e.getMessage());
        assertMessage(e.getMessage(), value);
    }

    @Test
    void limitsFromStringArray() {
        LimitCapabilities c = LimitCapabilities.fromServiceProperties(
                Map.of("hypervisor.limits", new String[] {"iops", "TOTAL", "burst"}), NOWHERE);
        assertEquals(Set.of(HypervisorLimit.IOPS, HypervisorLimit.TOTAL, HypervisorLimit.BURST), c.limits());
        assertTrue(c.iops());
        assertTrue(c.totals());
        assertTrue(c.bursts());
        assertFalse(c.bps());
        assertFalse(c.splits());
        assertFalse(c.burstLengths());
        assertEquals("[iops, total, burst]", c.describe());
        assertFalse(c.weights());
    }

    @Test
    void limitsAllHelpers() {
        LimitCapabilities c = LimitCapabilities.fromServiceProperties(
                Map.of("hypervisor.limits", List.of("bps", "READ_WRITE", "burst-length", "weight")), NOWHERE);
        assertTrue(c.bps());
        assertTrue(c.weights());
        assertEquals(List.of("bps", "read-write", "burst-length", "weight"), c.tokens());
        assertTrue(c.splits());
        assertTrue(c.burstLengths());
        assertFalse(c.iops());
    }

    @Test
    void missingLimitsMeansNone() {
        assertEquals(LimitCapabilities.NONE, LimitCapabilities.fromServiceProperties(Map.of(), NOWHERE));
        assertEquals("none", LimitCapabilities.NONE.describe());
    }

    @Test
    void unknownTokensAreIgnoredAndReported() {
        List<String> reported = new ArrayList<>();
        LimitCapabilities c = LimitCapabilities.fromServiceProperties(Map.of("hypervisor.limits", "iops,read_write,jitter"),
                reported::add);
        assertEquals(Set.of(HypervisorLimit.IOPS, HypervisorLimit.READ_WRITE), c.limits());
        assertEquals(1, reported.size());
        assertMessage(reported.get(0), "hypervisor.limits:", "'jitter'");
        reported.clear();
        StorageCapabilities s = StorageCapabilities.fromServiceProperties(Map.of("storage.qos", new String[] {"min-iops", "latency"}),
                reported::add);
        assertEquals(Set.of(MIN_IOPS), s.qos());
        assertMessage(reported.get(0), "storage.qos:", "'latency'");
        assertThrows(IllegalArgumentException.class, () -> LimitCapabilities.of("iops", "jitter"));
    }

    @Test
    void limitsThatAreNoStringsAreRefusedNamingKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LimitCapabilities.fromServiceProperties(Map.of("hypervisor.limits", 7), NOWHERE));
        assertMessage(e.getMessage(), "hypervisor.limits:", "Integer");
    }
}
