package org.spindle.driver.solidfire.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.spindle.driver.solidfire.internal.Requests.GB;
import static org.spindle.driver.solidfire.internal.Requests.volume;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.spindle.solidfire.simulator.Views;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.driver.SanVolume;
import org.spindle.storage.api.driver.SanVolumeRequest;
import org.spindle.storage.api.qos.StorageQos;

/**
 * Issue 12: the QoS a {@link SanVolume} carries is what the SAN reports (its defaults and the driver's filling
 * included), never what was asked; a change made on the SAN behind Spindle's back shows in findVolume and
 * listVolumes. And every partial QoS is filled into one the SAN accepts.
 */
class QosReadBackTest {
    TestCluster cluster;
    SolidFireStorageDriver driver;
    Operator operator;

    @BeforeEach
    void start() throws IOException {
        cluster = TestCluster.start();
        driver = cluster.driver();
        operator = new Operator(cluster.sim);
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    StorageQos onSan(SanVolume v) {
        Views.Volume sv = cluster.sim.volume(Long.parseLong(v.sanId())).orElseThrow();
        return new StorageQos(sv.minIOPS(), sv.maxIOPS(), sv.burstIOPS());
    }

    SanVolume listed(SanVolume v) {
        return driver.listVolumes().stream().filter(x -> x.volumeId().equals(v.volumeId())).findFirst().orElseThrow();
    }

    @Test
    void noQosAsked_readsBackWhatTheSanApplied() {
        SanVolume v = driver.createVolume(volume("plain", "t1"));
        // GetDefaultQoS min and max (the simulator's 12.3 cluster: 50 / 15,000), burst = max × burst.factor 1.5
        assertEquals(new StorageQos(50, 15_000, 22_500), onSan(v));
        assertEquals(onSan(v), v.qos(), "create returns the SAN's QoS, not StorageQos.NONE");
        assertEquals(onSan(v), driver.findVolume(v.volumeId()).orElseThrow().qos());
        assertEquals(onSan(v), listed(v).qos());
    }

    @Test
    void minAndMaxAsked_theBurstIsTheSans() {
        SanVolume v = driver.createVolume(volume("capped", "t1", new StorageQos(100, 1000, 0)));
        assertEquals(new StorageQos(100, 1000, 1500), onSan(v));
        assertEquals(onSan(v), v.qos());
        assertEquals(onSan(v), driver.findVolume(v.volumeId()).orElseThrow().qos());
    }

    @Test
    void aChangeOnTheSanBehindSpindlesBack_isWhatFindAndListReport() {
        SanVolumeRequest r = volume("edited", "t1", new StorageQos(500, 1000, 1500));
        SanVolume v = driver.createVolume(r);
        assertEquals(new StorageQos(500, 1000, 1500), v.qos());
        operator.modifyQos(v.sanId(), 700, 2000, 3000); // ModifyVolume over the wire, as in the SolidFire UI
        StorageQos edited = new StorageQos(700, 2000, 3000);
        assertEquals(edited, onSan(v));
        assertEquals(edited, driver.findVolume(v.volumeId()).orElseThrow().qos());
        assertEquals(edited, listed(v).qos());
        assertEquals(edited, driver.createVolume(r).qos(), "a repeated create returns the volume as the SAN has it");
        assertEquals(edited, driver.resizeVolume(v.ref(), 2 * GB).qos(), "resize returns the SAN's QoS too");

        driver.modifyQos(v.ref(), new StorageQos(500, 1000, 1500)); // healing, as the core's audit does
        assertEquals(new StorageQos(500, 1000, 1500), driver.findVolume(v.volumeId()).orElseThrow().qos());
    }

    @Test
    void everyPartialQos_isAcceptedByTheSan_keepingTheValuesSet() {
        Map<StorageQos, StorageQos> expected = new LinkedHashMap<>();
        expected.put(new StorageQos(0, 0, 5000), new StorageQos(50, 5000, 5000)); // issue 12: burst only
        expected.put(new StorageQos(0, 0, 100), new StorageQos(50, 100, 100));
        expected.put(new StorageQos(0, 0, 40_000), new StorageQos(50, 15_000, 40_000));
        expected.put(new StorageQos(500, 0, 0), new StorageQos(500, 15_000, 22_500));
        expected.put(new StorageQos(0, 2000, 0), new StorageQos(50, 2000, 3000));
        expected.put(new StorageQos(500, 1000, 0), new StorageQos(500, 1000, 1500));
        expected.put(new StorageQos(500, 0, 3000), new StorageQos(500, 3000, 3000));
        expected.put(new StorageQos(0, 1000, 4000), new StorageQos(50, 1000, 4000));
        expected.put(new StorageQos(500, 1000, 4000), new StorageQos(500, 1000, 4000));
        int n = 0;
        for (Map.Entry<StorageQos, StorageQos> e : expected.entrySet()) {
            SanVolume v = driver.createVolume(volume("v" + n++, "t1", e.getKey()));
            assertEquals(e.getValue(), onSan(v), "asked " + e.getKey());
            assertEquals(onSan(v), v.qos(), "asked " + e.getKey());
        }
        // the same rule for a change at run time
        SanVolume v = driver.createVolume(volume("changed", "t1", new StorageQos(500, 1000, 1500)));
        driver.modifyQos(v.ref(), new StorageQos(0, 0, 800));
        assertEquals(new StorageQos(50, 800, 800), onSan(v));
        assertNotEquals(0, cluster.sim.calls().count("ModifyVolume"));
    }

    @Test
    void whatTheSanCannotHonour_isRefusedBeforeAnyCall_namingTheField() {
        driver.createVolume(volume("first", "t1")); // discovery and the account
        long before = cluster.sim.calls().total();
        for (Map.Entry<StorageQos, String> e : Map.of(new StorageQos(0, 0, 99), "burst-iops",
                new StorageQos(20, 0, 0), "min-iops", new StorageQos(0, 200_001, 0), "max-iops",
                new StorageQos(15_001, 0, 0), "min-iops").entrySet()) {
            StorageException x = assertThrows(StorageException.class, () -> driver.createVolume(volume("bad", "t1", e.getKey())));
            assertEquals(e.getValue(), x.field(), x.getMessage());
        }
        assertEquals(before, cluster.sim.calls().total(), "refused before any Element call");
        assertEquals(List.of("first"), cluster.sim.volumes().stream().map(Views.Volume::name).toList());
    }
}
