package org.spindle.storage.core.internal.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.Limit;
import org.spindle.storage.api.qos.QosSpec;
import org.spindle.storage.api.qos.StorageQos;
import org.spindle.storage.api.runtime.ReconcileReport;
import org.spindle.storage.api.volume.Volume;
import org.spindle.storage.api.volume.VolumeState;
import org.spindle.storage.core.internal.db.VolumeRecord;

/**
 * A crash at each point between two external calls, then a restart of the node and one reconciliation pass:
 * the operation is rolled forward where the external step happened and back where it did not, never blindly,
 * and no LUN ends up attached twice. On H2 here; on PostgreSQL in {@link PostgresRecoveryTest}.
 */
class RecoveryTest extends LifecycleFixture {

    private ReconcileReport restartAndReconcile() {
        restart();
        return volumes.reconcile();
    }

    private VolumeState state(String name) {
        return volumes.get(name).orElseThrow().state();
    }

    @Test
    void crashAfterTheDiskWasAttached_rollsForward_andASecondAttachIsRefused() {
        create("v1");
        h1.vms.put(FakeHypervisor.id("vm2"), new org.spindle.storage.api.attach.VmInfo(FakeHypervisor.id("vm2"), "vm2", "h1", true));
        h1.crashAfterAttach = true;
        assertThrows(Crash.class, () -> volumes.attach("v1", "vm1", null));
        assertEquals(VolumeState.ATTACHING, state("v1"));

        ReconcileReport report = restartAndReconcile();
        Volume v = volumes.get("v1").orElseThrow();
        assertEquals(VolumeState.ATTACHED, v.state(), report.toString());
        assertEquals("vm1", v.attachment().vm());
        assertEquals("sdb", v.attachment().device());
        assertEquals(1, report.recovered().size());
        assertEquals(VolumeState.ATTACHED, report.recovered().get(0).outcome());
        assertEquals(Reason.CONFLICT, assertThrows(StorageException.class, () -> volumes.attach("v1", "vm2", null)).reason());
        assertEquals(Reason.CONFLICT, assertThrows(StorageException.class, () -> volumes.delete("v1")).reason());
        assertEquals(1, h1.attached.size(), "the disk is on vm1 only");
        assertTrue(san.volumes.containsKey(v.id()), "the SAN volume under vm1's disk is kept");
    }

    @Test
    void crashBeforeTheDiskWasAttached_rollsBack_andRevokesTheAccess() {
        Volume v = create("v1");
        h1.crashBeforeAttach = true;
        assertThrows(Crash.class, () -> volumes.attach("v1", "vm1", null));
        assertEquals(List.of(iqn("h1")), List.copyOf(san.access(v.id())), "granted before the crash");

        h1.callsAt.clear();
        restartAndReconcile();
        assertEquals(VolumeState.READY, state("v1"));
        assertTrue(san.access(v.id()).isEmpty(), "the grant made before the crash is revoked");
        assertNull(row("v1").granted());
        assertEquals(List.of("detach@h1"), h1.callsAt.stream().filter(c -> c.startsWith("detach")).toList(),
                "what the cut attach may have left short of a disk is cleared by a detach");
        assertEquals(VolumeState.ATTACHED, volumes.attach("v1", "vm1", null).state());
    }

    @Test
    void crashAfterTheSanCreatedTheVolume_rollsForwardToReady_withoutASecondSanVolume() {
        Volume v = create("v1");
        san.crashAfter = "create";
        assertThrows(Crash.class, () -> volumes.attach("v1", "vm1", null));
        assertEquals(VolumeState.CREATING, state("v1"));

        restartAndReconcile();
        Volume after = volumes.get("v1").orElseThrow();
        assertEquals(VolumeState.READY, after.state());
        assertEquals(san.volumes.get(v.id()).sanId(), after.sanId());
        assertNotNull(after.target());
        volumes.attach("v1", "vm1", null);
        assertEquals(1, san.creates.get(), "one SAN volume");
    }

    /**
     * A first attach stores READY and its ATTACHING intent in one save: a kill after that save and before the grant
     * leaves an ATTACHING row that holds the new SAN volume's id and started from READY. Recovery asks the attach
     * service (no disk), clears, and goes back to READY with that SAN volume: no second one is made by the next attach.
     */
    @Test
    void crashBetweenTheSanCreateAndTheGrantOfAFirstAttach_rollsBackToReady_keepingTheOneSanVolume() {
        Volume v = create("v1");
        san.beforeGrant = (ref, group) -> {
            throw new Crash("before grant");
        };
        assertThrows(Crash.class, () -> volumes.attach("v1", "vm1", null));
        san.beforeGrant = (ref, group) -> { };
        VolumeRecord cut = row("v1");
        assertEquals(VolumeState.ATTACHING, cut.state());
        assertEquals(san.volumes.get(v.id()).sanId(), cut.sanId(), "the SAN id is stored with the intent");
        assertEquals("READY", store.previousState(v.id()), "the attach started from READY, not from the create's ALLOCATED");
        assertTrue(san.access(v.id()).isEmpty(), "nothing granted yet");

        restartAndReconcile();
        VolumeRecord back = row("v1");
        assertEquals(VolumeState.READY, back.state());
        assertEquals(cut.sanId(), back.sanId());
        assertNull(back.attachment());
        assertNull(back.granted());
        assertEquals(VolumeState.ATTACHED, volumes.attach("v1", "vm1", null).state());
        assertEquals(1, san.creates.get(), "one SAN volume");
    }

    @Test
    void crashBeforeTheSanCreatedTheVolume_rollsBackToAllocated() {
        create("v1");
        VolumeRecord r = row("v1");
        store.update(r, VolumeChange.of(r).state(VolumeState.CREATING).next());
        restartAndReconcile();
        assertEquals(VolumeState.ALLOCATED, state("v1"));
        assertTrue(san.volumes.isEmpty());
    }

    @Test
    void createWhoseReplyWasLost_thenDelete_deletesTheSanVolumeFoundById() {
        Volume v = create("v1");
        san.loseReplyOf = "create";
        assertThrows(StorageException.class, () -> volumes.attach("v1", "vm1", null));
        assertEquals(VolumeState.ALLOCATED, state("v1"));
        assertTrue(san.volumes.containsKey(v.id()), "the SAN made it; the reply was lost");

        volumes.delete("v1");
        assertEquals(VolumeState.DESTROYED, volumes.get("v1").orElseThrow().state());
        assertTrue(san.volumes.isEmpty(), "no SAN volume leaks");
    }

    @Test
    void crashInTheMiddleOfADetach_completesIt_andRevokes() {
        Volume v = create("v1");
        volumes.attach("v1", "vm1", null);
        h1.crashAfterDetach = true;
        assertThrows(Crash.class, () -> volumes.detach("v1"));
        assertEquals(VolumeState.DETACHING, state("v1"));
        assertEquals(List.of(iqn("h1")), List.copyOf(san.access(v.id())), "still granted when the node died");

        restartAndReconcile();
        assertEquals(VolumeState.READY, state("v1"));
        assertTrue(h1.attached.isEmpty());
        assertTrue(san.access(v.id()).isEmpty(), "access revoked");
    }

    @Test
    void crashInTheMiddleOfADelete_completesIt() {
        Volume v = create("v1");
        volumes.attach("v1", "vm1", null);
        volumes.detach("v1");
        san.crashAfter = "delete";
        assertThrows(Crash.class, () -> volumes.delete("v1"));
        assertEquals(VolumeState.DESTROYING, state("v1"));
        restartAndReconcile();
        assertEquals(VolumeState.DESTROYED, volumes.get("v1").orElseThrow().state());
        assertTrue(!san.volumes.containsKey(v.id()), "the SAN volume is deleted");
    }

    @Test
    void crashAfterTheSanGrewTheVolume_completesTheResizeWithTheSizeAskedFor() {
        create("v1");
        volumes.attach("v1", "vm1", null);
        san.crashAfter = "resize";
        assertThrows(Crash.class, () -> volumes.resize("v1", 20 * G));
        assertEquals(VolumeState.RESIZING, state("v1"));

        restartAndReconcile();
        Volume after = volumes.get("v1").orElseThrow();
        assertEquals(VolumeState.ATTACHED, after.state());
        assertEquals(20 * G, after.sizeBytes());
        assertEquals(List.of(20 * G), h1.grows, "the disk the VM sees grew too");
    }

    @Test
    void crashInTheMiddleOfAQosChange_completesItOnBothSides() {
        Volume v = createCustom("v1");
        volumes.attach("v1", "vm1", null);
        san.crashAfter = "qos";
        assertThrows(Crash.class, () -> volumes.changeQos("v1", new QosSpec(new StorageQos(0, 2000, 3000), IoLimits.NONE)));
        assertEquals(VolumeState.CHANGING_QOS, state("v1"), "the QoS change is an operation in flight like any other");

        restartAndReconcile();
        Volume after = volumes.get("v1").orElseThrow();
        assertEquals(VolumeState.ATTACHED, after.state());
        assertEquals(2000, after.plan().storage().maxIops());
        assertEquals(2000, san.volumes.get(v.id()).qos().maxIops(), "the SAN holds what the row says");
    }

    @Test
    void qosChangeRefusedByTheHypervisor_setsTheSanBack_andKeepsTheOldQos() {
        Volume v = createCustom("v1");
        volumes.attach("v1", "vm1", null);
        StorageQos before = san.volumes.get(v.id()).qos();
        h1.failNextLimits = new StorageException(Reason.BACKEND_FAILURE, "limits refused");
        IoLimits faster = new IoLimits(Limit.of(800), Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE);
        StorageException e = assertThrows(StorageException.class,
                () -> volumes.changeQos("v1", new QosSpec(new StorageQos(0, 2000, 3000), faster)));
        assertTrue(e.getMessage().contains("limits refused"), e.getMessage());
        Volume after = volumes.get("v1").orElseThrow();
        assertEquals(VolumeState.ATTACHED, after.state());
        assertEquals(before, san.volumes.get(v.id()).qos(), "the SAN was set back");
        assertEquals(before.maxIops(), after.plan().storage().maxIops(), "the row keeps the QoS in force");
        assertEquals(400, after.plan().hypervisor().readIops().rate());
    }

    @Test
    void aServiceThatCannotListItsDisks_leavesTheInterruptedAttachToTheOperator_andDetachClearsIt() {
        Volume v = create("v1");
        h1.canList = false;
        h1.crashAfterAttach = true;
        assertThrows(Crash.class, () -> volumes.attach("v1", "vm1", null));
        restartAndReconcile();
        Volume after = volumes.get("v1").orElseThrow();
        assertEquals(VolumeState.ERROR, after.state(), "never guessed");
        assertTrue(after.error().contains("cannot tell"), after.error());
        assertEquals(Reason.CONFLICT, assertThrows(StorageException.class, () -> volumes.delete("v1")).reason(),
                "no delete under a disk that may be live");
        assertEquals(VolumeState.READY, volumes.detach("v1").state());
        assertTrue(h1.attached.isEmpty());
        assertTrue(san.access(v.id()).isEmpty());
    }
}
