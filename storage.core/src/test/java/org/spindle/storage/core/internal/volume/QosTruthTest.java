package org.spindle.storage.core.internal.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;
import org.spindle.storage.api.qos.EffectiveQos;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.Limit;
import org.spindle.storage.api.qos.QosDrift;
import org.spindle.storage.api.qos.QosEvents;
import org.spindle.storage.api.qos.QosSide;
import org.spindle.storage.api.qos.QosSpec;
import org.spindle.storage.api.qos.StorageQos;
import org.spindle.storage.api.runtime.QosAuditReport;
import org.spindle.storage.api.volume.Offering;
import org.spindle.storage.api.volume.Volume;
import org.spindle.storage.api.volume.VolumeEvents;
import org.spindle.storage.api.volume.VolumeSpec;
import org.spindle.storage.api.volume.VolumeState;

/**
 * Issue 12: the effective QoS comes from what each side applies (read back), a QoS change follows the offering's
 * rules, and the audit finds and heals what changed behind Spindle's back, at one read per side and volume.
 */
class QosTruthTest extends LifecycleFixture {
    private static final IoLimits RW_400_200 = new IoLimits(Limit.of(400), Limit.of(200), Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE);

    private Volume createIn(String offering, String name, StorageQos custom) {
        return volumes.create(new VolumeSpec(name, offering, 10 * G, "acme", custom));
    }

    @Test
    void aVolumeWithoutStorageQos_hasTheSansDefaultsAsItsEffectiveQos() {
        san.defaults = new StorageQos(100, 15_000, 15_000);
        offerings.create(new Offering("plain", "", List.of("gold"), new QosSpec(StorageQos.NONE, IoLimits.NONE), false));
        createIn("plain", "p1", StorageQos.NONE);
        Volume attached = volumes.attach("p1", "vm1", null);
        assertEquals(new StorageQos(100, 15_000, 15_000), attached.applied().storage(), "read back from the SAN");
        assertEquals(new EffectiveQos(100, 15_000, 15_000, 0), attached.effectiveQos(), "not 'unlimited': the SAN's defaults");
        assertEquals(new StorageQos(100, 15_000, 15_000), attached.plan().storage(), "the plan holds what the SAN agreed to");
        assertNotNull(attached.applied().readAt());
    }

    @Test
    void theSansBurst_countsInTheEffectiveQos_notUnlimited() {
        san.defaults = new StorageQos(0, 0, 1500);
        offerings.create(new Offering("capped", "", List.of("gold"), new QosSpec(new StorageQos(100, 1000, 0), IoLimits.NONE), false));
        createIn("capped", "c1", StorageQos.NONE);
        Volume attached = volumes.attach("c1", "vm1", null);
        assertEquals(1500, attached.effectiveQos().burstIops(), "the SAN bursts to 1500");
        assertEquals(1000, attached.effectiveQos().maxIops());
    }

    @Test
    void afterDetach_theEffectiveQosIsTheSanSideOnly() {
        create("v1");
        assertEquals(600, volumes.attach("v1", "vm1", null).effectiveQos().maxIops(), "read 400 + write 200 below the SAN's 1000");
        Volume detached = volumes.detach("v1");
        assertEquals(IoLimits.NONE, detached.applied().hypervisor());
        assertEquals(new EffectiveQos(500, 1000, 1500, 0), detached.effectiveQos(), "no hypervisor cap is enforced any more");
    }

    @Test
    void theHypervisorsReadBack_isWhatCounts_notWhatWasSent() {
        create("v1");
        h1.stats.clear();
        Volume v = volumes.attach("v1", "vm1", null);
        assertEquals(RW_400_200, v.applied().hypervisor());
        h1.canReadLimits = false;
        Volume changed = volumes.changeQos("v1", new QosSpec(StorageQos.NONE,
                new IoLimits(Limit.of(800), Limit.of(400), Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE)));
        assertEquals(1000, changed.effectiveQos().maxIops(), "a service that cannot read back: what it accepted counts");
    }

    @Test
    void aQosChange_followsTheOfferingsRules() {
        create("v1"); // gold: no custom IOPS
        StorageException refused = assertThrows(StorageException.class,
                () -> volumes.changeQos("v1", new QosSpec(new StorageQos(0, 50_000, 0), IoLimits.NONE)));
        assertEquals(Reason.QOS_REFUSED, refused.reason());
        assertEquals("custom-iops", refused.field());
        assertTrue(refused.getMessage().contains("offering gold does not allow custom IOPS"), refused.getMessage());

        offerings.create(new Offering("flex", "", List.of("gold"), new QosSpec(new StorageQos(100, 20_000, 30_000), RW_400_200), true));
        createIn("flex", "f1", new StorageQos(200, 1000, 2000));
        StorageException above = assertThrows(StorageException.class,
                () -> volumes.changeQos("f1", new QosSpec(new StorageQos(0, 50_000, 0), IoLimits.NONE)));
        assertEquals("max-iops", above.field(), "50,000 is refused at change as it is at create");
        assertTrue(above.getMessage().contains("20000"), above.getMessage());
        assertEquals(1000, volumes.get("f1").orElseThrow().requested().storage().maxIops(), "nothing changed");
        assertEquals(5000, volumes.changeQos("f1", new QosSpec(new StorageQos(0, 5000, 6000), IoLimits.NONE))
                .requested().storage().maxIops(), "within the bounds");
        assertEquals("min-iops", assertThrows(StorageException.class,
                () -> volumes.changeQos("f1", new QosSpec(new StorageQos(50, 0, 0), IoLimits.NONE))).field(), "below the lowest");
        assertEquals(RW_400_200, volumes.changeQos("v1", new QosSpec(StorageQos.NONE, RW_400_200)).requested().limits(),
                "the hypervisor side may change without custom IOPS");
        IoLimits faster = new IoLimits(Limit.of(600), Limit.of(200), Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE);
        assertEquals(faster, volumes.changeQos("v1", new QosSpec(new StorageQos(500, 1000, 1500), faster)).requested().limits(),
                "storage values sent back unchanged (as the shell does) are no change");
    }

    @Test
    void drift_behindSpindlesBack_isFoundMarkedAndPosted_thenHealed() {
        Volume v = create("v1");
        volumes.attach("v1", "vm1", null);
        san.changeBehindTheBack(v.id(), new StorageQos(500, 2000, 3000));
        h1.limits.put(v.id(), new IoLimits(Limit.of(4000), Limit.of(200), Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE));
        posted.clear();

        QosAuditReport report = volumes.audit(null);
        assertEquals(1, report.findings().size());
        assertEquals(List.of(new QosDrift(QosSide.STORAGE, "max-iops", 1000, 2000), new QosDrift(QosSide.STORAGE, "burst-iops", 1500, 3000),
                new QosDrift(QosSide.HYPERVISOR, "read-iops", 400, 4000)), report.findings().get(0).drift());
        assertFalse(report.findings().get(0).healed(), "the default mode only reports");
        Volume marked = volumes.get("v1").orElseThrow();
        assertEquals(report.findings().get(0).drift(), marked.drift());
        assertEquals(new StorageQos(500, 2000, 3000), marked.applied().storage(), "applied is what the SAN enforces now");
        assertEquals(2000, marked.effectiveQos().maxIops(), "what the sides enforce now: the SAN's 2000 below the hypervisor's 4200");
        List<Event> drift = posted.stream().filter(e -> e.getTopic().equals(QosEvents.DRIFT)).toList();
        assertEquals(1, drift.size());
        assertEquals(v.id().toString(), drift.get(0).getProperty(QosEvents.VOLUME_ID));

        posted.clear();
        volumes.audit(null);
        assertTrue(posted.stream().noneMatch(e -> e.getTopic().equals(QosEvents.DRIFT)), "the same drift is posted once");

        QosAuditReport healed = volumes.heal("v1");
        assertTrue(healed.findings().get(0).healed(), String.valueOf(healed.findings()));
        assertEquals(new StorageQos(500, 1000, 1500), san.volumes.get(v.id()).qos(), "the plan applied again on the SAN");
        assertEquals(RW_400_200, h1.limits.get(v.id()), "and on the hypervisor");
        Volume clean = volumes.get("v1").orElseThrow();
        assertTrue(clean.drift().isEmpty());
        assertEquals(VolumeState.ATTACHED, clean.state());
        assertEquals(600, clean.effectiveQos().maxIops());
        assertTrue(posted.stream().anyMatch(e -> e.getTopic().equals(QosEvents.HEALED)));
        assertTrue(volumes.audit(null).findings().isEmpty(), "in line after healing");
    }

    @Test
    void anAuditPass_readsEachPoolOnce_andEachAttachedDiskOnce() {
        for (int i = 0; i < 5; i++) {
            create("v" + i);
        }
        volumes.attach("v0", "vm1", null);
        volumes.detach("v0");
        h1.vms.put(FakeHypervisor.id("vm2"), new org.spindle.storage.api.attach.VmInfo(FakeHypervisor.id("vm2"), "vm2", "h1", true));
        volumes.attach("v1", "vm1", null);
        volumes.attach("v2", "vm2", null);
        san.lists.set(0);
        san.finds.set(0);
        h1.limitReads.set(0);
        QosAuditReport report = volumes.audit(null);
        assertEquals(3, report.volumes(), "v0 ready, v1 and v2 attached (v3, v4 allocated: nothing to read)");
        assertEquals(1, san.lists.get(), "one listing of the pool");
        assertEquals(0, san.finds.get());
        assertEquals(2, h1.limitReads.get(), "one read per attached disk");
        assertEquals(1, report.storageReads());
        assertEquals(2, report.hypervisorReads());
    }

    @Test
    void aServiceThatCannotReadBack_isDeferred_notGuessed() {
        Volume v = create("v1");
        volumes.attach("v1", "vm1", null);
        h1.canReadLimits = false;
        h1.limits.put(v.id(), IoLimits.NONE);
        QosAuditReport report = volumes.audit("v1");
        assertTrue(report.findings().isEmpty());
        assertTrue(report.deferred().stream().anyMatch(d -> d.contains("cannot read a disk's limits back")), report.deferred().toString());
    }

    @Test
    void volumeEvents_carryTenantSizeAndEffectiveQos_forBilling() {
        posted.clear();
        create("v1");
        volumes.attach("v1", "vm1", null);
        Event attached = posted.stream().filter(e -> e.getTopic().equals(VolumeEvents.topic(VolumeState.ATTACHED))).findFirst().orElseThrow();
        assertEquals("admin", attached.getProperty(VolumeEvents.TENANT));
        assertEquals(10 * G, attached.getProperty(VolumeEvents.SIZE));
        assertEquals(500L, attached.getProperty(VolumeEvents.QOS_GUARANTEED_IOPS));
        assertEquals(600L, attached.getProperty(VolumeEvents.QOS_MAX_IOPS));
    }
}
