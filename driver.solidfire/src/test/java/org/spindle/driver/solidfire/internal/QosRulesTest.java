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
        // StorageQos itself refuses a burst below a max it carries; a burst below the pool's default max lowers the max
        QosRules pool = rules(Map.of("qos.default.max.iops", 1000));
        assertEquals(new Wire.Qos(100, 900, 900), pool.resolve(new StorageQos(0, 0, 900), V12));
    }

    /**
     * Issue 12: burst-only QoS was filled with max 15,000 and then refused (burst < max). Every combination of set
     * values now becomes a QoS Element accepts, keeping each value the volume set.
     */
    @Test
    void everyCombinationOfSetValuesBecomesAValidQos() throws ConfigException {
        QosRules r = rules(Map.of());
        // (min, max, burst) asked -> sent; cluster defaults 100 / 15,000, burst factor 1.5, ceiling 200,000 (12.3)
        assertEquals(new Wire.Qos(100, 15_000, 22_500), r.resolve(new StorageQos(0, 0, 0), V12), "nothing set");
        assertEquals(new Wire.Qos(500, 15_000, 22_500), r.resolve(new StorageQos(500, 0, 0), V12), "min only");
        assertEquals(new Wire.Qos(100, 2000, 3000), r.resolve(new StorageQos(0, 2000, 0), V12), "max only");
        assertEquals(new Wire.Qos(100, 5000, 5000), r.resolve(new StorageQos(0, 0, 5000), V12), "burst only: max = burst");
        assertEquals(new Wire.Qos(100, 15_000, 40_000), r.resolve(new StorageQos(0, 0, 40_000), V12),
                "burst only, above the default max: max stays the default");
        assertEquals(new Wire.Qos(100, 100, 100), r.resolve(new StorageQos(0, 0, 100), V12), "burst at the floor");
        assertEquals(new Wire.Qos(500, 1000, 1500), r.resolve(new StorageQos(500, 1000, 0), V12), "min and max");
        assertEquals(new Wire.Qos(500, 3000, 3000), r.resolve(new StorageQos(500, 0, 3000), V12), "min and burst");
        assertEquals(new Wire.Qos(3000, 3000, 3000), r.resolve(new StorageQos(3000, 0, 3000), V12), "min = burst");
        assertEquals(new Wire.Qos(100, 1000, 4000), r.resolve(new StorageQos(0, 1000, 4000), V12), "max and burst");
        assertEquals(new Wire.Qos(500, 1000, 4000), r.resolve(new StorageQos(500, 1000, 4000), V12), "all three");
        assertEquals(new Wire.Qos(15_000, 15_000, 22_500), r.resolve(new StorageQos(15_000, 0, 0), V12), "min at its ceiling");

        // the pool's defaults are bent the same way, never sent as they are when they would not fit
        QosRules pool = rules(Map.of("qos.default.min.iops", 800, "qos.default.max.iops", 4000,
                "qos.default.burst.iops", 6000));
        assertEquals(new Wire.Qos(800, 4000, 6000), pool.resolve(StorageQos.NONE, V12));
        assertEquals(new Wire.Qos(300, 300, 300), pool.resolve(new StorageQos(0, 0, 300), V12),
                "burst only below the default min and max: both follow the burst");
        assertEquals(new Wire.Qos(500, 500, 750), pool.resolve(new StorageQos(0, 500, 0), V12),
                "max only below the default min: min follows the max");
        assertEquals(new Wire.Qos(800, 4000, 6000), pool.resolve(new StorageQos(0, 0, 6000), V12));
        assertEquals(new Wire.Qos(5000, 5000, 7500), pool.resolve(new StorageQos(5000, 0, 0), V12),
                "a guarantee above the default max raises the max, and bursts by the factor");
        QosRules capped = rules(Map.of("qos.max.iops.ceiling", 10_000));
        assertEquals(new Wire.Qos(100, 10_000, 10_000), capped.resolve(StorageQos.NONE, V12),
                "a default max above the configured ceiling is cut to it");
        ClusterFacts fifty = new ClusterFacts(V12.version(), "c", "u", V12.portal(), new Wire.Qos(50, 15_000, 15_000),
                V12.limits());
        assertEquals(new Wire.Qos(50, 15_000, 22_500), r.resolve(StorageQos.NONE, fifty), "GetDefaultQoS's min is used");
    }

    @Test
    void whatCannotBeHonouredIsRefusedNamingTheVolumesOwnField() throws ConfigException {
        QosRules r = rules(Map.of());
        StorageException burst = assertThrows(StorageException.class, () -> r.resolve(new StorageQos(0, 0, 99), V12));
        assertEquals("burst-iops: must be between 100 and 200000 on this SolidFire cluster (Element API 12.3) (was 99)",
                burst.getMessage());
        assertEquals("min-iops", assertThrows(StorageException.class,
                () -> r.resolve(new StorageQos(20, 0, 0), V12)).field());
        assertEquals("min-iops", assertThrows(StorageException.class,
                () -> r.resolve(new StorageQos(15_001, 0, 0), V12)).field());
        assertEquals("max-iops", assertThrows(StorageException.class,
                () -> r.resolve(new StorageQos(0, 200_001, 0), V12)).field());
        assertEquals("burst-iops", assertThrows(StorageException.class,
                () -> r.resolve(new StorageQos(0, 0, 150_000), V9)).field(), "100,000 before Element 11");
        QosRules capped = rules(Map.of("qos.max.iops.ceiling", 10_000));
        StorageException min = assertThrows(StorageException.class, () -> capped.resolve(new StorageQos(12_000, 0, 0), V12));
        assertEquals("min-iops: must be between 50 and 10000 on this SolidFire cluster (Element API 12.3) (was 12000)",
                min.getMessage(), "a guarantee above the pool's ceiling names min-iops, not the max the driver would fill");
        assertEquals("burst-iops", assertThrows(StorageException.class, () -> new StorageQos(600, 0, 500)).field(),
                "min above burst is refused by StorageQos itself, before the driver");
    }
}
