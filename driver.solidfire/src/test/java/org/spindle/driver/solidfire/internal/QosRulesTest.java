package org.spindle.driver.solidfire.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.spindle.driver.solidfire.internal.element.ApiVersion;
import org.spindle.driver.solidfire.internal.element.Wire;
import org.spindle.storage.api.Portal;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.qos.StorageQos;

class QosRulesTest {
    static final ClusterFacts V12 = facts(new ApiVersion(12, 3));
    static final ClusterFacts V9 = facts(new ApiVersion(9, 0));
    static final ClusterFacts V7 = facts(new ApiVersion(7, 0));

    static ClusterFacts facts(ApiVersion v) {
        return new ClusterFacts(v, "c", "u", Portal.iscsi("10.0.0.1"), new Wire.Qos(100, 15_000, 15_000), ClusterLimits.of(v));
    }

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
        assertEquals(new Wire.Qos(100, 80_000, 100_000), r.resolve(new StorageQos(0, 80_000, 0), V9));
        assertEquals(new Wire.Qos(100, 100_000, 100_000), r.resolve(new StorageQos(0, 100_000, 0), V9));
        assertEquals(new Wire.Qos(100, 80_000, 160_000), r.resolve(new StorageQos(0, 80_000, 0), V12), "200000 on 12.x");
        assertEquals(new Wire.Qos(100, 150_000, 200_000), r.resolve(new StorageQos(0, 150_000, 0), V12));
        StorageException e = assertThrows(StorageException.class, () -> r.resolve(new StorageQos(0, 150_000, 0), V9));
        assertEquals("max-iops", e.field());
        QosRules capped = rules(Map.of("qos.max.iops.ceiling", 50_000));
        assertEquals(new Wire.Qos(100, 40_000, 50_000), capped.resolve(new StorageQos(0, 40_000, 0), V12),
                "a configured ceiling below the cluster's wins");
    }

    @Test
    void floorDependsOnTheApiVersion() throws ConfigException {
        QosRules r = rules(Map.of());
        assertEquals(new Wire.Qos(50, 100, 100), r.resolve(new StorageQos(50, 100, 100), V12));
        StorageException max = assertThrows(StorageException.class, () -> r.resolve(new StorageQos(50, 99, 100), V12));
        assertEquals("max-iops", max.field(), "max and burst IOPS stay at 100 or more on every version");
        StorageException burst = assertThrows(StorageException.class, () -> r.resolve(new StorageQos(50, 100, 99), V12));
        assertEquals("burst-iops", burst.field());
        StorageException e = assertThrows(StorageException.class, () -> r.resolve(new StorageQos(50, 100, 100), V7));
        assertEquals(StorageException.Reason.INVALID_ARGUMENT, e.reason());
        assertEquals("min-iops", e.field());
        assertEquals("min-iops: must be between 100 and 15000 on this SolidFire cluster (Element API 7.0) (was 50)",
                e.getMessage());
        assertEquals(100, ClusterLimits.of(null).minIopsFloor());
        assertEquals(100, ClusterLimits.of(new ApiVersion(7, 4)).minIopsFloor());
        assertEquals(50, ClusterLimits.of(new ApiVersion(8, 0)).minIopsFloor());
        assertEquals(100, ClusterLimits.of(new ApiVersion(8, 0)).maxIopsFloor());
    }

    @Test
    void rangesAndOrder() throws ConfigException {
        QosRules r = rules(Map.of());
        assertEquals("min-iops", assertThrows(StorageException.class,
                () -> r.resolve(new StorageQos(15_001, 20_000, 20_000), V12)).field());
        StorageException max = assertThrows(StorageException.class, () -> r.resolve(new StorageQos(100, 100_001, 0), V9));
        assertEquals("max-iops: must be between 100 and 100000 on this SolidFire cluster (Element API 9.0) (was 100001)",
                max.getMessage());
        assertEquals("burst-iops", assertThrows(StorageException.class,
                () -> r.resolve(new StorageQos(100, 1000, 200_000), V9)).field());
        assertEquals("burst-iops", assertThrows(StorageException.class,
                () -> r.resolve(new StorageQos(100, 1000, 200_001), V12)).field());
        // StorageQos itself refuses a burst below a max it carries; a burst below the pool's default max is the driver's
        QosRules pool = rules(Map.of("qos.default.max.iops", 1000));
        StorageException order = assertThrows(StorageException.class, () -> pool.resolve(new StorageQos(0, 0, 900), V12));
        assertEquals("burst-iops: must be at least max-iops 1000 (was 900)", order.getMessage());
    }
}
