package org.spindle.storage.core.internal.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.spindle.storage.api.PoolCapacity;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.Limit;
import org.spindle.storage.api.qos.QosSpec;
import org.spindle.storage.api.qos.StorageQos;
import org.spindle.storage.api.volume.Offering;
import org.spindle.storage.api.volume.Volume;
import org.spindle.storage.api.volume.VolumeSpec;
import org.spindle.storage.api.volume.VolumeState;
import org.spindle.storage.core.internal.db.VolumeRecord;
import org.spindle.storage.core.internal.registry.TypeLimits;

/** Refusals and their reasons, the pool's size minimum, weights and the defaults of hypervisor types. */
class VolumeRulesTest extends LifecycleFixture {

    static StorageException refused(Reason reason, Executable call) {
        StorageException e = assertThrows(StorageException.class, call);
        assertEquals(reason, e.reason(), e.getMessage());
        return e;
    }

    @Test
    void busyWhileAnOperationIsInFlight_conflictForAWrongStableState() {
        create("v1");
        volumes.attach("v1", "vm1", null);
        VolumeRecord v = row("v1");
        store.update(v, VolumeChange.of(v).state(VolumeState.DETACHING).next());
        refused(Reason.BUSY, () -> volumes.detach("v1"));
        refused(Reason.BUSY, () -> volumes.attach("v1", "vm1", null));
        refused(Reason.BUSY, () -> volumes.resize("v1", 20 * G));
        refused(Reason.BUSY, () -> volumes.delete("v1"));
        refused(Reason.BUSY, () -> volumes.changeQos("v1", QosSpec.NONE));

        create("v2");
        refused(Reason.CONFLICT, () -> volumes.detach("v2"));
        volumes.attach("v2", "vm1", null);
        refused(Reason.CONFLICT, () -> volumes.attach("v2", "vm1", null));
    }

    @Test
    void aVolumeBelowThePoolsMinimumSize_isRefusedNamingThePoolAndTheMinimum() {
        pools.remove(1);
        Map<String, Object> props = driverProps("sf1", "gold", "min-iops", "max-iops", "burst-iops");
        props.put("storage.volume.size.min", 20 * G);
        pools.add(20, "test.driver", san, props);
        StorageException e = refused(Reason.INVALID_ARGUMENT, () -> create("v1"));
        assertEquals("size", e.field());
        assertTrue(e.getMessage().contains("pool sf1") && e.getMessage().contains(String.valueOf(20 * G)), e.getMessage());
        assertTrue(volumes.list(true).isEmpty());
        assertEquals(VolumeState.ALLOCATED, volumes.create(new VolumeSpec("v2", "gold", 20 * G, "admin", StorageQos.NONE)).state());

        pools.add(21, "test.driver", new FakeSan(), driverProps("sf2", "gold", "min-iops", "max-iops", "burst-iops"));
        assertEquals("sf2", create("v3").pool(), "a pool without the minimum takes the small volume");
    }

    @Test
    void capacityWhenTaggedPoolsAreFull_noRouteWhenNoPoolCarriesTheTags() {
        san.capacity = new PoolCapacity(100 * G, 95 * G, 0, 0);
        StorageException full = refused(Reason.CAPACITY, () -> create("v1"));
        assertTrue(full.getMessage().contains("sf1"), full.getMessage());
        offerings.create(new Offering("silver", "", List.of("silver"), QosSpec.NONE, false));
        refused(Reason.NO_ROUTE, () -> volumes.create(new VolumeSpec("v2", "silver", G, "admin", StorageQos.NONE)));
    }

    @Test
    void weight_isRefusedByAServiceThatCannotEnforceIt_andPassedToOneThatCan() {
        offerings.create(new Offering("prio", "", List.of("gold"), new QosSpec(StorageQos.NONE,
                new IoLimits(Limit.of(400), Limit.of(200), Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE, 300)), false));
        Volume v = volumes.create(new VolumeSpec("v1", "prio", G, "admin", StorageQos.NONE));
        assertEquals(300, volumes.get("v1").orElseThrow().requested().limits().weight(), "the offering's weight is stored");
        StorageException e = refused(Reason.QOS_REFUSED, () -> volumes.attach("v1", "vm1", null));
        assertEquals("weight", e.field());
        assertTrue(e.getMessage().contains("attach service h1"), e.getMessage());
        assertEquals(VolumeState.ALLOCATED, volumes.get("v1").orElseThrow().state());
        assertTrue(san.volumes.isEmpty(), "nothing made");

        FakeHypervisor weighted = new FakeHypervisor("h9", "vm9");
        attachers.add(22, "test.attach", weighted, attachProps("h9", "iscsi", List.of("iops", "read-write", "weight")));
        Volume attached = volumes.attach("v1", "vm9", null);
        assertEquals(300, weighted.attached.get(v.id()).limits().weight());
        assertEquals(300, volumes.get("v1").orElseThrow().plan().hypervisor().weight(), "the planned weight is stored");
        assertEquals(600, attached.effectiveQos().maxIops(), "the weight caps nothing");
    }

    @Test
    void defaultsOfAHypervisorType_applyToItsServicesOnly_forVolumesThatAskForNoLimit() {
        defaults.add(new TypeLimits(Map.of("hypervisor.type", "kvm", "read.iops", "700", "write.iops", 300L)));
        offerings.create(new Offering("plain", "", List.of("gold"), QosSpec.NONE, false));
        FakeHypervisor xen = new FakeHypervisor("x1", "vmx");
        Map<String, Object> xenProps = attachProps("x1", "iscsi", ALL_LIMITS);
        xenProps.put("hypervisor.type", "xen");
        attachers.add(23, "test.attach", xen, xenProps);
        Volume onKvm = volumes.create(new VolumeSpec("v1", "plain", G, "admin", StorageQos.NONE));
        Volume onXen = volumes.create(new VolumeSpec("v2", "plain", G, "admin", StorageQos.NONE));

        volumes.attach("v1", "vm1", null);
        volumes.attach("v2", "vmx", null);
        IoLimits kvmGot = h1.attached.get(onKvm.id()).limits();
        assertEquals(700, kvmGot.readIops().rate());
        assertEquals(300, kvmGot.writeIops().rate());
        assertEquals(IoLimits.NONE, xen.attached.get(onXen.id()).limits());
        assertEquals(1000, volumes.get("v1").orElseThrow().effectiveQos().maxIops());

        create("v3");
        volumes.attach("v3", "vm1", null);
        assertEquals(400, h1.attached.get(row("v3").id()).limits().readIops().rate(), "the offering's own limits win");
    }

    @Test
    void aBadDefaultsConfiguration_namesItsKey() {
        assertEquals("read.iops", invalid(Map.of("hypervisor.type", "kvm", "read.iops", "lots")));
        assertEquals("write.bps", invalid(Map.of("hypervisor.type", "kvm", "write.bps", -5L)));
        assertEquals("weight", invalid(Map.of("hypervisor.type", "kvm", "weight", 1001)));
        assertEquals("total.iops", invalid(Map.of("hypervisor.type", "kvm", "read.iops", 5L, "total.iops", 9L)));
        assertEquals("hypervisor.type", invalid(Map.of("read.iops", 5L)));
        assertEquals(200, new TypeLimits(Map.of("hypervisor.type", "kvm", "weight", 200)).limits().weight());
    }

    private static String invalid(Map<String, Object> config) {
        StorageException e = refused(Reason.INVALID_ARGUMENT, () -> new TypeLimits(config));
        assertTrue(e.getMessage().startsWith(e.field() + ":"), e.getMessage());
        return e.field();
    }

    @Test
    void aStaticPoolNeedsAServiceThatCreatesDisks() {
        FakeHypervisor noDisks = new FakeHypervisor("h2", "vm2");
        Map<String, Object> props = attachProps("h2", "file", ALL_LIMITS);
        props.put("hypervisor.structures", new String[] {"images"});
        attachers.add(24, "test.attach", noDisks, props);
        offerings.create(new Offering("plain", "", List.of("local"), QosSpec.NONE, false));
        pools.addStatic(25, new org.spindle.storage.core.internal.registry.StaticPool(rejections,
                VolumeLifecycleTest.staticConfig("local1", 100 * G), Map.of("service.pid", "org.spindle.storage.pool.static~local1")));
        volumes.create(new VolumeSpec("s1", "plain", G, "admin", StorageQos.NONE));
        StorageException e = refused(Reason.NO_ROUTE, () -> volumes.attach("s1", "vm2", null));
        assertTrue(e.getMessage().contains("StaticDisks"), e.getMessage());
        assertEquals(VolumeState.ALLOCATED, volumes.get("s1").orElseThrow().state());
    }

    @Test
    void theIntendedGroupIsStoredBeforeAccessIsGranted() {
        create("v1");
        List<VolumeRecord> atGrant = new java.util.ArrayList<>();
        san.beforeGrant = (ref, group) -> atGrant.add(store.volume(ref.volumeId()).orElseThrow());
        volumes.attach("v1", "vm1", null);
        assertEquals(1, atGrant.size());
        assertEquals(VolumeState.ATTACHING, atGrant.get(0).state());
        assertEquals(new org.spindle.storage.api.driver.HostGroup("h1", List.of(iqn("h1"))), atGrant.get(0).granted());
        assertEquals("h1", atGrant.get(0).attachment().service());
        assertEquals("uuid-vm1", atGrant.get(0).attachment().vmId());
    }

    @Test
    void anAccessLeftByAFailedAttach_isRevokedByTheDelete() {
        create("v1");
        h1.failNextAttach = new StorageException(Reason.BACKEND_FAILURE, "disk target busy");
        san.failNextRevoke = new StorageException(Reason.BACKEND_FAILURE, "SAN unreachable");
        refused(Reason.BACKEND_FAILURE, () -> volumes.attach("v1", "vm1", null));
        VolumeRecord left = row("v1");
        assertEquals(VolumeState.READY, left.state());
        assertEquals(List.of(iqn("h1")), left.granted().initiators(), "the access kept is remembered");

        volumes.delete("v1");
        assertEquals(2, san.revokes.size());
        assertTrue(san.access(left.id()).isEmpty());
    }

    /** A volume is named by its id in canonical form, else by its name, also one that UUID.fromString would take. */
    @Test
    void aNameThatLooksLikeALooseIdIsAName() {
        Volume loose = create("1-2-3-4-5");
        assertEquals(loose.id(), volumes.get("1-2-3-4-5").orElseThrow().id());
        assertEquals(loose.id(), volumes.get(loose.id().toString()).orElseThrow().id());
        assertEquals(loose.id(), volumes.get(loose.id().toString().toUpperCase(java.util.Locale.ROOT)).orElseThrow().id());
        assertTrue(volumes.get("00000000-0000-0000-0000-000000000000").isEmpty());
    }
}
