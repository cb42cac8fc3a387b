package org.spindle.driver.solidfire.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.spindle.solidfire.simulator.Reply;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;
import org.spindle.storage.api.driver.SanVolume;
import org.spindle.storage.api.driver.SanVolumeRequest;

/**
 * The driver's operations under hostile answers of the cluster: each throws a StorageException naming the
 * operation, the Element method and what was wrong; what the driver hands the core is never built from such an
 * answer, and a create whose answer was unusable never leaves a second volume behind.
 */
class HostileSanTest {
    static final String JSON = "application/json";

    TestCluster cluster;
    SolidFireStorageDriver driver;

    @BeforeEach
    void start() throws IOException {
        cluster = TestCluster.start();
        Map<String, Object> c = cluster.config();
        c.put("reply.max.bytes", 1L << 20);
        c.put("retry.count", 2);
        driver = cluster.driver(c);
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    StorageException refused(Runnable operation, Reason reason) {
        StorageException e = assertThrows(StorageException.class, operation::run);
        assertEquals(reason, e.reason(), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        return e;
    }

    @Test
    void aCreateAnsweredWithAStringVolumeIdFailsAndLeavesNothing() {
        cluster.sim.faults().replaceReply("CreateVolume", 1, Reply.of(200, JSON, "{\"id\":1,\"result\":{\"volume\":{"
                + "\"volumeID\":\"7\",\"name\":\"v1\",\"accountID\":1,\"totalSize\":1000341504}}}"));
        SanVolumeRequest request = Requests.volume("v1", "t1");
        StorageException e = refused(() -> driver.createVolume(request), Reason.BACKEND_FAILURE);
        assertEquals("SolidFire " + cluster.mvip() + ": create volume v1: CreateVolume to " + cluster.mvip() + ": malformed "
                + "reply: result.volume.volumeID: expected a whole number >= 1, got a string '7'", e.getMessage());
        assertEquals(List.of(), cluster.sim.volumes(), "nothing was made");
        assertEquals(1, cluster.sim.faults().calls("CreateVolume"));
        SanVolume made = driver.createVolume(request);
        assertEquals(1, cluster.sim.volumes().size(), "the retry makes the one volume");
        assertEquals(Requests.GB_ON_SAN, made.sizeBytes());
    }

    @Test
    void aCreateWhoseEndlessAnswerWasCutOffFindsTheVolumeItMade() {
        cluster.sim.faults().replaceReplyAfterApplying("CreateVolume", 1, Reply.endless(200, JSON,
                "{\"id\":1,\"result\":{\"volume\":{\"name\":\"", "v"));
        SanVolumeRequest request = Requests.volume("v2", "t1");
        SanVolume made = driver.createVolume(request);
        assertEquals(1, cluster.sim.volumes().size(), "one volume, found by its Spindle UUID");
        assertEquals(String.valueOf(cluster.sim.volumes().get(0).volumeID()), made.sanId());
        assertEquals(1, cluster.sim.faults().calls("CreateVolume"), "never asked twice");
    }

    @Test
    void anEndlessAnswerToTheLookupAfterIsAFailureNotAVolume() {
        cluster.sim.faults().replaceReply("CreateVolume", 1, Reply.endless(500, "text/html", "<html>", "x"));
        // the look before the create is answered; the look after the lost answer gets no end
        cluster.sim.faults().passNext("ListVolumes", 1)
                .replaceReply("ListVolumes", 10, Reply.endless(200, JSON, "{\"result\":{\"volumes\":[", "{},"));
        StorageException e = refused(() -> driver.createVolume(Requests.volume("v3", "t1")), Reason.BACKEND_FAILURE);
        assertTrue(e.getMessage().startsWith("SolidFire " + cluster.mvip() + ": create volume v3: ListVolumes to "
                + cluster.mvip() + ": the reply is longer than the limit of 1048576 bytes (reply.max.bytes; "), e.getMessage());
        assertEquals(List.of(), cluster.sim.volumes());
    }

    @Test
    void aResizeAnsweredWithANegativeSizeFails() {
        SanVolume v = driver.createVolume(Requests.volume("v4", "t1"));
        cluster.sim.faults().replaceReply("ModifyVolume", 1, Reply.of(200, JSON, "{\"id\":1,\"result\":{\"volume\":{\"volumeID\":"
                + v.sanId() + ",\"name\":\"v4\",\"accountID\":1,\"totalSize\":-1}}}"));
        StorageException e = refused(() -> driver.resizeVolume(v.ref(), 2 * Requests.GB), Reason.BACKEND_FAILURE);
        assertTrue(e.getMessage().endsWith(": ModifyVolume to " + cluster.mvip() + ": malformed reply: result.volume.totalSize: "
                + "expected a whole number >= 0, got the number -1"), e.getMessage());
        assertEquals(Requests.GB_ON_SAN, cluster.sim.volumes().get(0).totalSize(), "not applied");
    }

    @Test
    void aListingThatIsNotAListIsAFailureNeverAnEmptyPool() {
        driver.createVolume(Requests.volume("v5", "t1"));
        cluster.sim.faults().replaceReply("ListActiveVolumes", 10, Reply.of(200, JSON, "{\"id\":1,\"result\":{\"volumes\":{}}}"));
        StorageException e = refused(driver::listVolumes, Reason.BACKEND_FAILURE);
        assertTrue(e.getMessage().endsWith("ListActiveVolumes to " + cluster.mvip() + ": malformed reply: result.volumes: "
                + "expected an array, got an object"), e.getMessage());
        cluster.sim.faults().clear();
        assertEquals(1, driver.listVolumes().size());
    }
}
