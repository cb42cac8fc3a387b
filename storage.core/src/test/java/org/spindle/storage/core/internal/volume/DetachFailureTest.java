package org.spindle.storage.core.internal.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;
import org.spindle.storage.api.attach.Attachment;
import org.spindle.storage.api.attach.VmInfo;
import org.spindle.storage.api.volume.Volume;
import org.spindle.storage.api.volume.VolumeState;

/**
 * A detach that fails never leaves a volume ATTACHED without its disk, and recovery of an interrupted attach rolls
 * forward only onto a disk on the VM the attach was for (the Xen and VMware kill matrices found both).
 */
class DetachFailureTest extends LifecycleFixture {

    private VolumeState state(String name) {
        return volumes.get(name).orElseThrow().state();
    }

    @Test
    void aDetachWhoseAnswerWasLost_staysDetaching_andThePassCompletesIt() {
        Volume v = create("v1");
        volumes.attach("v1", "vm1", null);
        h1.failAfterDetach = new StorageException(Reason.UNAVAILABLE, "h1: connection reset");
        StorageException e = assertThrows(StorageException.class, () -> volumes.detach("v1"));
        assertEquals(Reason.UNAVAILABLE, e.reason());
        assertTrue(h1.attached.isEmpty(), "the detach happened; only its answer was lost");
        assertEquals(VolumeState.DETACHING, state("v1"), "not ATTACHED without a disk");

        restart();
        volumes.reconcile();
        assertEquals(VolumeState.READY, state("v1"));
        assertTrue(san.access(v.id()).isEmpty(), "access revoked by the completed detach");
        assertEquals(VolumeState.ATTACHED, volumes.attach("v1", "vm1", null).state());
    }

    @Test
    void aRevokeThatFailsAfterTheDiskWasRemoved_leavesReady_withTheGrantForLater() {
        Volume v = create("v1");
        volumes.attach("v1", "vm1", null);
        san.failNextRevoke = new StorageException(Reason.UNAVAILABLE, "SAN: timed out");
        assertThrows(StorageException.class, () -> volumes.detach("v1"));
        assertTrue(h1.attached.isEmpty());
        assertEquals(VolumeState.READY, state("v1"), "the disk is gone: READY, never ATTACHED");
        assertNotNull(row("v1").granted(), "the grant is kept for the next attach or the delete to revoke");
        assertEquals(VolumeState.ATTACHED, volumes.attach("v1", "vm1", null).state());
        volumes.detach("v1");
        assertTrue(san.access(v.id()).isEmpty());
    }

    @Test
    void aDetachRefusedBeforeItActed_staysAttached() {
        create("v1");
        volumes.attach("v1", "vm1", null);
        h1.failNextDetach = new StorageException(Reason.CONFLICT, "the VM holds the disk busy");
        assertEquals(Reason.CONFLICT, assertThrows(StorageException.class, () -> volumes.detach("v1")).reason());
        assertEquals(VolumeState.ATTACHED, state("v1"));
        assertEquals(1, h1.attached.size());
    }

    @Test
    void anInterruptedAttachThatLeftOnlyAStructure_isNotRolledForward_andTheStructureIsCleared() {
        Volume v = create("v1");
        h1.crashBeforeAttach = true;
        assertThrows(Crash.class, () -> volumes.attach("v1", "vm1", null));
        // a structure without a disk (an SR, a datastore) the service lists for the volume
        h1.alsoListed.add(new Attachment(v.id(), FakeHypervisor.id("vm1"), "vm1", "h1", "", "sr-" + v.id(), true));

        restart();
        volumes.reconcile();
        assertEquals(VolumeState.READY, state("v1"), "no disk: back to READY, not ATTACHED");
        assertTrue(h1.alsoListed.isEmpty(), "what the attach left is cleared by a detach");
        assertTrue(san.access(v.id()).isEmpty());
    }

    @Test
    void anInterruptedAttachWhoseDiskIsOnAnotherVm_isLeftToTheOperator_andDetachRemovesItFromThere() {
        Volume v = create("v1");
        h1.vms.put(FakeHypervisor.id("vm2"), new VmInfo(FakeHypervisor.id("vm2"), "vm2", "h1", true));
        h1.crashBeforeAttach = true;
        assertThrows(Crash.class, () -> volumes.attach("v1", "vm1", null));
        h1.alsoListed.add(new Attachment(v.id(), FakeHypervisor.id("vm2"), "vm2", "h1", "sdc", null, true));

        restart();
        volumes.reconcile();
        assertEquals(VolumeState.ERROR, state("v1"), "not ATTACHED to vm1: the disk is on vm2");
        assertTrue(volumes.get("v1").orElseThrow().error().contains("vm2"), volumes.get("v1").orElseThrow().error());
        assertEquals(Reason.CONFLICT, assertThrows(StorageException.class, () -> volumes.delete("v1")).reason());
        h1.callsAt.clear();
        volumes.detach("v1");
        assertEquals(List.of("detach@h1"), h1.callsAt.stream().filter(c -> c.startsWith("detach")).toList());
        assertTrue(h1.alsoListed.isEmpty(), "removed from vm2");
        assertEquals(VolumeState.READY, state("v1"));
    }
}
