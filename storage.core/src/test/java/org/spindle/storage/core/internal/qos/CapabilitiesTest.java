package org.spindle.storage.core.internal.qos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.spindle.storage.core.internal.qos.Fixtures.assertMessage;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CapabilitiesTest {

    @Test
    void storageFromStringArrayAndLongs() {
        StorageCapabilities c = StorageCapabilities.fromServiceProperties(Map.of(
                "storage.qos", new String[] {"min-iops", "max-iops"},
                "storage.qos.min-iops.floor", 100L,
                "storage.qos.min-iops.ceiling", 5000,
                "storage.qos.max-iops.ceiling", "20000"));
        assertEquals(new StorageCapabilities(true, Set.of("min-iops", "max-iops"), 100, 5000, 20000), c);
        assertTrue(c.enforces("min-iops"));
        assertTrue(c.enforces("max-iops"));
        assertFalse(c.enforces("burst-iops"));
    }

    @Test
    void storageFromCollectionAndCommaString() {
        assertEquals(Set.of("burst-iops", "max-iops"), StorageCapabilities.fromServiceProperties(
                Map.of("storage.qos", List.of("burst-iops", "max-iops"))).qos());
        assertEquals(Set.of("min-iops", "burst-iops"), StorageCapabilities.fromServiceProperties(
                Map.of("storage.qos", "min-iops, burst-iops")).qos());
    }

    @Test
    void storageDefaults() {
        StorageCapabilities c = StorageCapabilities.fromServiceProperties(Map.of());
        assertEquals(new StorageCapabilities(true, Set.of(), 0, 0, 0), c);
    }

    @Test
    void staticPoolEnforcesNothing() {
        StorageCapabilities c = StorageCapabilities.fromServiceProperties(Map.of("storage.managed", "false"));
        assertEquals(StorageCapabilities.NONE, c);
        assertFalse(StorageCapabilities.NONE.managed());
        assertFalse(StorageCapabilities.NONE.enforces("min-iops"));
        assertEquals("none (static pool)", StorageCapabilities.NONE.describe());
    }

    static Stream<Arguments> malformedStorage() {
        return Stream.of(
                Arguments.of(Map.of("storage.qos", 3), "storage.qos", "Integer"),
                Arguments.of(Map.of("storage.qos", new String[] {"min_iops"}), "storage.qos", "'min_iops'"),
                Arguments.of(Map.of("storage.qos", List.of(1)), "storage.qos", "only strings"),
                Arguments.of(Map.of("storage.qos.min-iops.floor", "lots"), "storage.qos.min-iops.floor", "\"lots\""),
                Arguments.of(Map.of("storage.qos.max-iops.ceiling", 1.5d), "storage.qos.max-iops.ceiling", "Double"),
                Arguments.of(Map.of("storage.qos.min-iops.ceiling", -1L), "storage.qos.min-iops.ceiling", "-1"),
                Arguments.of(Map.of("storage.qos.min-iops.floor", 600L, "storage.qos.min-iops.ceiling", 500L),
                        "storage.qos.min-iops.floor", "600"),
                Arguments.of(Map.of("storage.managed", "yes"), "storage.managed", "yes"),
                Arguments.of(Map.of("storage.managed", false, "storage.qos", "min-iops"), "storage.qos", "static pool"));
    }

    @ParameterizedTest
    @MethodSource
    void malformedStorage(Map<String, Object> properties, String key, String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StorageCapabilities.fromServiceProperties(properties));
        assertTrue(e.getMessage().startsWith(key + ":"), e.getMessage());
        assertMessage(e.getMessage(), value);
    }

    @Test
    void limitsFromStringArray() {
        LimitCapabilities c = LimitCapabilities.fromServiceProperties(
                Map.of("hypervisor.limits", new String[] {"iops", "total", "burst"}));
        assertEquals(Set.of("iops", "total", "burst"), c.limits());
        assertTrue(c.iops());
        assertTrue(c.totals());
        assertTrue(c.bursts());
        assertFalse(c.bps());
        assertFalse(c.splits());
        assertFalse(c.burstLengths());
        assertEquals("[iops, total, burst]", c.describe());
    }

    @Test
    void limitsAllHelpers() {
        LimitCapabilities c = LimitCapabilities.fromServiceProperties(
                Map.of("hypervisor.limits", List.of("bps", "read-write", "burst-length")));
        assertTrue(c.bps());
        assertTrue(c.splits());
        assertTrue(c.burstLengths());
        assertFalse(c.iops());
    }

    @Test
    void missingLimitsMeansNone() {
        assertEquals(LimitCapabilities.NONE, LimitCapabilities.fromServiceProperties(Map.of()));
        assertEquals("none", LimitCapabilities.NONE.describe());
    }

    @Test
    void unknownLimitIsRefusedNamingKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LimitCapabilities.fromServiceProperties(Map.of("hypervisor.limits", "iops,read_write")));
        assertMessage(e.getMessage(), "hypervisor.limits:", "'read_write'");
        assertThrows(IllegalArgumentException.class, () -> LimitCapabilities.of("iops", "IOPS"));
    }
}
