package org.spindle.storage.core.internal.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;
import org.spindle.storage.api.attach.AttachRequest;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.Limit;
import org.spindle.storage.api.qos.QosSpec;
import org.spindle.storage.api.qos.StorageQos;
import org.spindle.storage.api.runtime.ServiceStatus;
import org.spindle.storage.api.volume.Offering;
import org.spindle.storage.api.volume.Volume;
import org.spindle.storage.api.volume.VolumeEvents;
import org.spindle.storage.api.volume.VolumeSpec;
import org.spindle.storage.api.volume.VolumeState;
import org.spindle.storage.core.internal.db.VolumeRecord;

/** The volume state machine over a real database, with a fake SAN and fake hypervisors. */
class VolumeLifecycleTest extends LifecycleFixture {

    @Test
    void seedFlow_lazyCreateOnFirstAttach_readyAfterDetach_goneAfterDelete() {
        Volume v = create("v1");
        assertEquals(VolumeState.ALLOCATED, v.state());
        assertTrue(san.volumes.isEmpty(), "nothing on the SAN before the first attach");

        Volume attached = volumes.attach("v1", "vm1", null);
        assertEquals(VolumeState.ATTACHED, attached.state());
        assertEquals(1, san.volumes.size());
        assertEquals(new StorageQos(500, 1000, 1500), san.volumes.get(v.id()).qos());
        assertEquals(Set.of(iqn("h1")), san.access(v.id()));
        assertEquals(List.of(new org.spindle.storage.api.driver.HostGroup("h1", List.of(iqn("h1")))), san.grants);
        assertEquals("uuid-vm1", attached.attachment().vmId());
        assertEquals("h1", attached.attachment().service());
        assertEquals(List.of(iqn("h1")), attached.attachment().initiators());
        assertEquals(attached.target(), volumes.get("v1").orElseThrow().target(), "portals and device id read back as stored");
        assertEquals("[fd00::5]:3261", attached.target().portals().get(1).toString());
        AttachRequest req = h1.attached.get(v.id());
        assertEquals(10 * G, req.sizeBytes(), "the attach service is told the size");
        assertEquals(400, req.limits().readIops().rate());
        assertEquals(200, req.limits().writeIops().rate());
        assertFalse(req.limits().totalIops().isSet());
        assertNotNull(req.target().chap(), "the attach service receives the CHAP credentials");
        assertTrue(attached.target().name().startsWith("iqn.2010-01.com.example:v1."));
        assertEquals(500, attached.effectiveQos().guaranteedIops());
        assertEquals(600, attached.effectiveQos().maxIops(), "lower of SAN max 1000 and read+write 600");

        Volume detached = volumes.detach("v1");
        assertEquals(VolumeState.READY, detached.state());
        assertNull(detached.attachment());
        assertTrue(san.access(v.id()).isEmpty(), "access revoked on detach");
        assertEquals(san.grants, san.revokes, "exactly the group granted is revoked");
        assertTrue(h1.attached.isEmpty());
        assertNull(h1.detachTargets.get(0).chap(), "detach gets the stored target, without credentials");
        assertEquals(attached.target(), h1.detachTargets.get(0));

        volumes.attach("v1", "vm1", "h1");
        volumes.detach("v1");
        assertEquals(1, san.creates.get(), "a READY volume is never created again");

        Volume deleted = volumes.delete("v1");
        assertEquals(VolumeState.DESTROYED, deleted.state());
        assertTrue(san.volumes.isEmpty());
        assertTrue(volumes.list(false).isEmpty());
        assertEquals(1, volumes.list(true).size());
        create("v1"); // the name is free again
    }

    @Test
    void credentials_areInNoColumnOfAnyTable() throws Exception {
        create("v1");
        Volume attached = volumes.attach("v1", "vm1", null);
        assertEquals(FakeSan.CHAP_SECRET, h1.attached.get(attached.id()).target().chap().secret().reveal(),
                "the attach service received the secret, so the core held it");
        create("v2");
        h1.failNextAttach = new StorageException(Reason.BACKEND_FAILURE, "disk target busy");
        assertThrows(StorageException.class, () -> volumes.attach("v2", "vm1", null));
        assertTrue(volumes.get("v2").orElseThrow().error().contains("disk target busy"), "the failure was stored");

        List<RawRows.Cell> cells = RawRows.all(db);
        assertTrue(cells.stream().anyMatch(c -> c.text().contains(attached.target().name())),
                "the scan reads the stored target: " + cells.size() + " cells");
        for (String secret : List.of(FakeSan.CHAP_SECRET, FakeSan.CHAP_TARGET_SECRET)) {
            List<String> leaks = cells.stream().filter(c -> c.text().contains(secret))
                    .map(c -> c.table() + "." + c.column()).toList();
            assertTrue(leaks.isEmpty(), "a CHAP secret is stored in " + leaks);
        }
        assertNull(volumes.get("v1").orElseThrow().target().chap(), "the stored target reads back without CHAP");
    }

    @Test
    void everyStateChange_isPostedOnEventAdmin() {
        Volume v = create("v1");
        volumes.attach("v1", "vm1", null);
        volumes.detach("v1");
        assertEquals(List.of("org/spindle/volume/ALLOCATED", "org/spindle/volume/CREATING", "org/spindle/volume/READY",
                "org/spindle/volume/ATTACHING", "org/spindle/volume/ATTACHED", "org/spindle/volume/DETACHING",
                "org/spindle/volume/READY"), posted(VolumeEvents.TOPIC_PREFIX).stream().map(org.osgi.service.event.Event::getTopic).toList());
        org.osgi.service.event.Event attached = posted(VolumeEvents.TOPIC_PREFIX).get(4);
        assertEquals(v.id().toString(), attached.getProperty("volume.id"));
        assertEquals("ATTACHING", attached.getProperty("volume.state.previous"));
        assertEquals("sf1", attached.getProperty("volume.pool"));
    }

    @Test
    void poolUnavailable_whileDriverGone_thenWorksAgain() {
        Volume v = create("v1");
        pools.remove(1);
        StorageException e = assertThrows(StorageException.class, () -> volumes.attach("v1", "vm1", null));
        assertEquals(Reason.UNAVAILABLE, e.reason());
        assertTrue(e.getMessage().contains("pool sf1 is unavailable"), e.getMessage());
        assertEquals(v.version(), volumes.get("v1").orElseThrow().version(), "nothing changed");
        assertEquals(Reason.UNAVAILABLE, assertThrows(StorageException.class, () -> volumes.delete("v1")).reason());
        assertEquals(1, store.pools().size(), "the pool row stays");

        pools.add(3, "test.driver", san, driverProps("sf1", "gold", "min-iops", "max-iops", "burst-iops"));
        assertEquals(VolumeState.ATTACHED, volumes.attach("v1", "vm1", null).state());
    }

    @Test
    void staleUpdate_isRejectedAsBusy_neverOverwrites() {
        create("v1");
        VolumeRecord v = row("v1");
        store.update(v, VolumeChange.of(v).size(20 * G).next());
        StorageException e = assertThrows(StorageException.class, () -> store.update(v, VolumeChange.of(v).size(30 * G).next()));
        assertEquals(Reason.BUSY, e.reason());
        assertEquals(20 * G, volumes.get("v1").orElseThrow().sizeBytes());
    }

    @Test
    void refusedHypervisorQos_leavesNothingBehind() {
        offerings.create(new Offering("fast", "", List.of("gold"), new QosSpec(StorageQos.NONE,
                new IoLimits(Limit.NONE, Limit.NONE, Limit.NONE, Limit.of(100 << 20), Limit.NONE, Limit.NONE)), false));
        attachers.remove(2);
        attachers.add(4, "test.attach", h1, attachProps("h1", "iscsi", List.of("iops", "read-write", "total")));
        Volume v = volumes.create(new VolumeSpec("v2", "fast", G, "admin", StorageQos.NONE));
        StorageException e = assertThrows(StorageException.class, () -> volumes.attach("v2", "vm1", null));
        assertEquals(Reason.QOS_REFUSED, e.reason());
        assertTrue(san.volumes.isEmpty(), "no SAN volume made");
        assertTrue(h1.attached.isEmpty());
        Volume after = volumes.get("v2").orElseThrow();
        assertEquals(VolumeState.ALLOCATED, after.state());
        assertEquals(v.version(), after.version());
    }

    @Test
    void routing_picksTheAttachServiceWhoseProtocolMatches() {
        FakeHypervisor nfsHost = new FakeHypervisor("h-nfs", "vm9");
        FakeHypervisor iscsiHost = new FakeHypervisor("h-iscsi", "vm9");
        attachers.add(5, "test.attach", nfsHost, attachProps("h-nfs", "nfs", ALL_LIMITS));
        attachers.add(6, "test.attach", iscsiHost, attachProps("h-iscsi", "iscsi", ALL_LIMITS));
        create("v1");
        Volume v = volumes.attach("v1", "vm9", null);
        assertEquals("h-iscsi", v.attachment().host());
        assertEquals(1, iscsiHost.attached.size());
        assertTrue(nfsHost.attached.isEmpty());

        create("v2");
        StorageException e = assertThrows(StorageException.class, () -> volumes.attach("v2", "vm9", "h-nfs"));
        assertEquals(Reason.NO_ROUTE, e.reason());
        assertTrue(e.getMessage().contains("h-nfs") && e.getMessage().contains("cannot attach iscsi"), e.getMessage());
    }

    @Test
    void hypervisorWithoutReadWriteSplit_receivesTheTotal() {
        attachers.remove(2);
        attachers.add(7, "test.attach", h1, attachProps("h1", "iscsi", List.of("iops", "bps", "total")));
        create("v1");
        volumes.attach("v1", "vm1", null);
        IoLimits got = h1.attached.values().iterator().next().limits();
        assertEquals(600, got.totalIops().rate());
        assertFalse(got.readIops().isSet());
        assertFalse(got.writeIops().isSet());
    }

    @Test
    void failedAttach_revokesAccessAndLeavesVolumeReady() {
        create("v1");
        h1.failNextAttach = new StorageException(Reason.BACKEND_FAILURE, "disk target busy");
        StorageException e = assertThrows(StorageException.class, () -> volumes.attach("v1", "vm1", null));
        assertTrue(e.getMessage().contains("disk target busy"), e.getMessage());
        Volume v = volumes.get("v1").orElseThrow();
        assertEquals(VolumeState.READY, v.state(), "the SAN volume exists now");
        assertNull(v.attachment());
        assertTrue(san.access(v.id()).isEmpty(), "access revoked again");
        assertNull(row("v1").granted(), "no access left to revoke later");
        assertTrue(v.error().contains("disk target busy"));
    }

    @Test
    void guaranteeOnPoolThatCannotGuarantee_isRefusedAtCreation() {
        pools.remove(1);
        pools.add(8, "test.driver", san, driverProps("sf1", "gold", "max-iops"));
        StorageException e = assertThrows(StorageException.class, () -> create("v1"));
        assertEquals(Reason.QOS_REFUSED, e.reason());
        assertEquals("min-iops", e.field());
        assertTrue(volumes.list(true).isEmpty(), "nothing written");
    }

    @Test
    void badInput_namesTheField_andWritesNothing() {
        StorageException unknown = assertThrows(StorageException.class,
                () -> volumes.create(new VolumeSpec("v1", "silver", G, "admin", StorageQos.NONE)));
        assertEquals("offering", unknown.field());
        assertEquals(Reason.NOT_FOUND, unknown.reason());
        assertEquals("size", assertThrows(StorageException.class,
                () -> new VolumeSpec("v1", "gold", -5, "admin", StorageQos.NONE)).field());
        assertEquals("vm", assertThrows(StorageException.class, () -> {
            create("v1");
            volumes.attach("v1", "no-such-vm", null);
        }).field());
        assertEquals("host", assertThrows(StorageException.class, () -> volumes.attach("v1", "vm1", "no-such-host")).field());
        assertEquals(1, volumes.list(true).size());
        assertEquals(VolumeState.ALLOCATED, volumes.get("v1").orElseThrow().state());
    }

    @Test
    void wrongState_isRefused() {
        create("v1");
        volumes.attach("v1", "vm1", null);
        StorageException del = assertThrows(StorageException.class, () -> volumes.delete("v1"));
        assertEquals(Reason.CONFLICT, del.reason());
        assertTrue(del.getMessage().contains("detach it first"));
        assertEquals(Reason.CONFLICT, assertThrows(StorageException.class, () -> volumes.attach("v1", "vm1", null)).reason());
        volumes.detach("v1");
        assertEquals(Reason.CONFLICT, assertThrows(StorageException.class, () -> volumes.detach("v1")).reason());
    }

    @Test
    void runtimeQosChange_reachesBothSides() {
        offerings.create(new Offering("flex", "", List.of("gold"), new QosSpec(new StorageQos(500, 5000, 5000),
                new IoLimits(Limit.of(400), Limit.of(200), Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE)), true));
        volumes.create(new VolumeSpec("v1", "flex", 10 * G, "admin", StorageQos.NONE));
        volumes.attach("v1", "vm1", null);
        Volume v = volumes.changeQos("v1", new QosSpec(new StorageQos(0, 2000, 3000),
                new IoLimits(Limit.of(800), Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE)));
        assertEquals(new StorageQos(500, 2000, 3000), san.volumes.get(v.id()).qos());
        IoLimits last = h1.limitChanges.get(h1.limitChanges.size() - 1);
        assertEquals(800, last.readIops().rate());
        assertEquals(200, last.writeIops().rate());
        assertEquals(1000, v.effectiveQos().maxIops());
    }

    @Test
    void resize_growsOnly() {
        create("v1");
        volumes.attach("v1", "vm1", null);
        assertEquals(20 * G, volumes.resize("v1", 20 * G).sizeBytes());
        assertEquals(20 * G, san.volumes.values().iterator().next().sizeBytes());
        assertEquals(VolumeState.ATTACHED, volumes.get("v1").orElseThrow().state());
        assertEquals("size", assertThrows(StorageException.class, () -> volumes.resize("v1", G)).field());
    }

    @Test
    void duplicateOrIncompleteDrivers_areRejectedWithReason() {
        pools.add(9, "other.driver", new FakeSan(), driverProps("sf1", "gold", "min-iops"));
        Map<String, Object> noZone = driverProps("sf2", "gold");
        noZone.remove("storage.zone");
        pools.add(10, "broken.driver", new FakeSan(), noZone);
        var infos = pools.infos();
        assertEquals(ServiceStatus.BOUND, infos.get(0).status());
        assertEquals(ServiceStatus.REJECTED, infos.get(1).status());
        assertTrue(infos.get(1).reason().contains("already served by service 1"), infos.get(1).reason());
        assertTrue(infos.get(2).reason().contains("storage.zone"), infos.get(2).reason());
    }

    @Test
    void staticPool_disksAreMadeByTheAttachService() {
        FakeStaticHypervisor withPool = new FakeStaticHypervisor("h2", "vm2");
        Map<String, Object> props = attachProps("h2", "file", ALL_LIMITS);
        props.put("hypervisor.structures", new String[] {"images"});
        attachers.add(11, "test.attach", withPool, props);
        offerings.create(new Offering("plain", "", List.of("local"), QosSpec.NONE, false));
        pools.add(12, "core", null, Map.of()); // rejected: a driver without properties
        var config = new org.spindle.storage.core.internal.registry.StaticPool(rejections, staticConfig("local1", 100 * G),
                Map.of("service.pid", "org.spindle.storage.pool.static~local1"));
        pools.addStatic(13, config);
        volumes.create(new VolumeSpec("s1", "plain", G, "admin", StorageQos.NONE));
        Volume v = volumes.attach("s1", "vm2", null);
        assertEquals(VolumeState.ATTACHED, v.state());
        assertEquals(1, withPool.disks.size());
        assertFalse(withPool.attached.get(v.id()).managed());
        volumes.detach("s1");
        volumes.delete("s1");
        assertTrue(withPool.disks.isEmpty());
    }

    @Test
    void badStaticPoolConfiguration_isListedAsRejectedNamingTheKey_untilFixed() {
        Map<String, Object> props = Map.of("service.pid", "org.spindle.storage.pool.static~x");
        StorageException e = assertThrows(StorageException.class,
                () -> new org.spindle.storage.core.internal.registry.StaticPool(rejections, staticConfig("bad name", G), props));
        assertEquals("name", e.field());
        var rejected = pools.infos().stream().filter(i -> i.status() == ServiceStatus.REJECTED).toList();
        assertEquals(1, rejected.size());
        assertEquals("org.spindle.storage.pool.static~x", rejected.get(0).source());
        assertTrue(rejected.get(0).reason().startsWith("name:"), rejected.get(0).reason());
        assertEquals("capacity.bytes", assertThrows(StorageException.class,
                () -> new org.spindle.storage.core.internal.registry.StaticPool(rejections, staticConfig("ok", -1), props)).field());

        new org.spindle.storage.core.internal.registry.StaticPool(rejections, staticConfig("ok", G), props);
        assertTrue(pools.infos().stream().noneMatch(i -> i.status() == ServiceStatus.REJECTED), "the report is withdrawn");
    }

    static org.spindle.storage.core.internal.registry.StaticPoolConfig staticConfig(String name, long capacity) {
        return new org.spindle.storage.core.internal.registry.StaticPoolConfig() {
            public Class<? extends java.lang.annotation.Annotation> annotationType() {
                return org.spindle.storage.core.internal.registry.StaticPoolConfig.class;
            }
            public String name() { return name; }
            public String zone() { return "z1"; }
            public String[] tags() { return new String[] {"local"}; }
            public String structure() { return "images"; }
            public String protocol() { return "file"; }
            public long capacity_bytes() { return capacity; }
        };
    }
}
