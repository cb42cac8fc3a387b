package org.spindle.storage.core.internal.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.spindle.storage.api.runtime.Orphan;
import org.spindle.storage.api.runtime.ReconcileReport;
import org.spindle.storage.api.volume.Volume;

/**
 * Issue 8: what an interrupted attach left that no disk uses (a KVM CHAP secret, reported by its service as a
 * "leftover:" drift line) is cleared by a detach with an empty device — only for this installation's volumes, never
 * under a volume attached to that VM. A leftover of no VM ("-": an SR or datastore an attach made after it was given
 * up) is cleared only while its volume has no attachment and no operation in flight.
 */
class LeftoverSweepTest extends LifecycleFixture {

    private FakeHypervisor reporting(String... drift) {
        FakeHypervisor h5 = new FakeHypervisor("h5", "vm5");
        Map<String, Object> props = attachProps("h5", "iscsi", ALL_LIMITS);
        props.put("hypervisor.drift", drift);
        attachers.add(50, "test.attach", h5, props);
        return h5;
    }

    @Test
    void aLeftoverOfThisInstallationsVolume_isClearedByADetach() {
        Volume v = create("v1");
        volumes.attach("v1", "vm1", null);
        volumes.detach("v1");
        UUID stranger = UUID.randomUUID();
        FakeHypervisor h5 = reporting(v.id() + " uuid-vm5 leftover: libvirt secret 1234 has no disk in vm vm5",
                stranger + " uuid-vm5 leftover: libvirt secret 5678 has no disk in vm vm5",
                v.id() + " uuid-vm5 disk detached outside Spindle");
        ReconcileReport report = volumes.reconcile();
        assertEquals(List.of("detach@h5"), h5.callsAt, "one detach, for this installation's volume only");
        assertEquals(1, h5.detachTargets.size());
        List<Orphan> cleared = report.orphans().stream().filter(o -> o.kind().equals(Orphan.LEFTOVER)).toList();
        assertEquals(1, cleared.size());
        assertTrue(cleared.get(0).removed());
        assertEquals(v.id(), cleared.get(0).volumeId());
    }

    @Test
    void aLeftoverUnderAVolumeAttachedToThatVm_isLeftAlone() {
        h1.vms.put("uuid-vm5", new org.spindle.storage.api.attach.VmInfo("uuid-vm5", "vm5", "h1", true));
        Volume v = create("v1");
        volumes.attach("v1", "uuid-vm5", "h1");
        FakeHypervisor h5 = reporting(v.id() + " uuid-vm5 leftover: libvirt secret 1234 has no disk in vm vm5");
        volumes.reconcile();
        assertTrue(h5.callsAt.isEmpty(), String.valueOf(h5.callsAt));
    }

    @Test
    void aLeftoverOfNoVm_isClearedWhileItsVolumeIsUnattached() {
        Volume ready = create("v1");
        volumes.attach("v1", "vm1", null);
        volumes.detach("v1");
        Volume gone = create("v2");
        volumes.attach("v2", "vm1", null);
        volumes.detach("v2");
        volumes.delete("v2");
        FakeHypervisor h5 = reporting(ready.id() + " - leftover: SR 1111 has no disk",
                gone.id() + " - leftover: SR 2222 has no disk");
        ReconcileReport report = volumes.reconcile();
        assertEquals(List.of("detach@-", "detach@-"), h5.callsAt, "the structure of each unattached volume cleared");
        List<Orphan> cleared = report.orphans().stream().filter(o -> o.kind().equals(Orphan.LEFTOVER)).toList();
        assertEquals(java.util.Set.of(ready.id(), gone.id()), cleared.stream().map(Orphan::volumeId).collect(java.util.stream.Collectors.toSet()));
        assertTrue(cleared.stream().allMatch(Orphan::removed));
    }

    @Test
    void aLeftoverOfNoVm_underAnAttachedVolume_isLeftAlone() {
        Volume v = create("v1");
        volumes.attach("v1", "vm1", null);
        FakeHypervisor h5 = reporting(v.id() + " - leftover: SR 1111 has no disk");
        volumes.reconcile();
        assertTrue(h5.callsAt.isEmpty(), "an attached volume's structures are the disk's: " + h5.callsAt);
    }

    @Test
    void aLeftoverOfNoVm_underAVolumeWithAnOperationInFlight_isLeftAlone() throws Exception {
        Volume v = create("v1");
        java.util.concurrent.CountDownLatch inAttach = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        h1.onAttach = () -> {
            inAttach.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        Thread attach = new Thread(() -> volumes.attach("v1", "vm1", null));
        attach.start();
        try {
            assertTrue(inAttach.await(30, java.util.concurrent.TimeUnit.SECONDS));
            FakeHypervisor h5 = reporting(v.id() + " - leftover: SR 1111 has no disk");
            volumes.reconcile();
            assertTrue(h5.callsAt.isEmpty(), "an attach under way is the structure's maker: " + h5.callsAt);
        } finally {
            release.countDown();
            attach.join(30_000);
        }
    }
}
