package org.spindle.driver.solidfire.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.spindle.driver.solidfire.internal.element.ApiVersion;
import org.spindle.driver.solidfire.internal.element.Wire;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.qos.StorageQos;

class QosRulesTest {
    static final ClusterFacts V12 = new ClusterFacts(new ApiVersion(12, 3), "c", "u", "10.0.0.1:3260",
            new Wire.Qos(100, 15_000, 15_000));
    static final ClusterFacts V7 = new ClusterFacts(new ApiVersion(7, 0), "c", "u", "10.0.0.1:3260",
            new Wire.Qos(100, 15_000, 15_000));

    static QosRules rules(Map<String, Object> extra) throws ConfigException {
        Map<String, Object> c = ClusterSettingsTest.valid();
        c.putAll(extra);
        return new QosRules(ClusterSettingsTest.parse(c));
    }

    @Test
    void unsetValuesComeFromThePoolThenTheCluster() throws ConfigException {
        QosRules none = rules(Map.of());
        assertEquals(new Wire.Qos(100, 15_000, 22_500), none.resolve(StorageQos.NONE, V12));
        QosRules pool = rules(Map.of("qos.default.min.iops", 200, "qos.default.max.iops", 1000,
                "qos.default.burst.iops", 3000));
        assertEquals(new Wire.Qos(200, 1000, 3000), pool.resolve(StorageQos.NONE, V12));
        // a volume that sets its max gets burst = max × factor, not the pool's default burst
        assertEquals(new Wire.Qos(200, 2000, 3000), pool.resolve(new StorageQos(0, 2000, 0), V12));
        assertEquals(new Wire.Qos(500, 2000, 2500), pool.resolve(new StorageQos(500, 2000, 2500), V12));
        // a guarantee above the default cap raises the cap
        assertEquals(new Wire.Qos(5000, 5000, 7500), pool.resolve(new StorageQos(5000, 0, 0), V12));
    }

    @Test
    void burstFactorIsCappedAtTheCeiling() throws ConfigException {
        QosRules r = rules(Map.of("burst.factor", 2.0));
        assertEquals(new Wire.Qos(100, 80_000, 100_000), r.resolve(new StorageQos(0, 80_000, 0), V12));
        assertEquals(new Wire.Qos(100, 100_000, 100_000), r.resolve(new StorageQos(0, 100_000, 0), V12));
    }

    @Test
    void floorDependsOnTheApiVersion() throws ConfigException {
        QosRules r = rules(Map.of());
        assertEquals(new Wire.Qos(50, 50, 50), r.resolve(new StorageQos(50, 50, 50), V12));
        StorageException e = assertThrows(StorageException.class, () -> r.resolve(new StorageQos(50, 50, 50), V7));
        assertEquals(StorageException.Reason.INVALID_ARGUMENT, e.reason());
        assertEquals("min-iops", e.field());
        assertEquals("min-iops: must be between 100 and 15000 on this SolidFire cluster (Element API 7.0) (was 50)",
                e.getMessage());
        assertEquals(100, QosLimits.floor(null));
        assertEquals(100, QosLimits.floor(new ApiVersion(7, 4)));
        assertEquals(50, QosLimits.floor(new ApiVersion(8, 0)));
    }

    @Test
    void rangesAndOrder() throws ConfigException {
        QosRules r = rules(Map.of());
        assertEquals("min-iops", assertThrows(StorageException.class,
                () -> r.resolve(new StorageQos(15_001, 20_000, 20_000), V12)).field());
        StorageException max = assertThrows(StorageException.class, () -> r.resolve(new StorageQos(100, 100_001, 0), V12));
        assertEquals("max-iops: must be between 50 and 100000 on this SolidFire cluster (Element API 12.3) (was 100001)",
                max.getMessage());
        assertEquals("burst-iops", assertThrows(StorageException.class,
                () -> r.resolve(new StorageQos(100, 1000, 200_000), V12)).field());
        // StorageQos itself refuses a burst below a max it carries; a burst below the pool's default max is the driver's
        QosRules pool = rules(Map.of("qos.default.max.iops", 1000));
        StorageException order = assertThrows(StorageException.class, () -> pool.resolve(new StorageQos(0, 0, 900), V12));
        assertEquals("burst-iops: must be at least max-iops 1000 (was 900)", order.getMessage());
    }
}
