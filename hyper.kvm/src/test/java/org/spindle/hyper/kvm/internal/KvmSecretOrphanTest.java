package org.spindle.hyper.kvm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.spindle.storage.api.Chap;
import org.spindle.storage.api.Portal;
import org.spindle.storage.api.Secret;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.attach.AttachRequest;
import org.spindle.storage.api.attach.Attachment;
import org.spindle.storage.api.attach.VmInfo;
import org.spindle.storage.api.qos.IoLimits;

/**
 * A CHAP secret left without a disk (an attach interrupted between defining the secret and attaching the disk), on the
 * local libvirtd with stopped VMs (configuration-only attaches: no iSCSI login): a monitored host reports it as drift
 * naming the volume and the VM, and a disk attached with its secret is not reported; a detach with an empty device
 * (what the core sends for an attach that never reported one) removes it, whether the VM is still there or gone, and
 * the drift clears.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KvmSecretOrphanTest {
    static final long MIB = 1024 * 1024;

    DriftHost drift;
    KvmHost host;
    LibvirtConnection crashing;
    final List<TestVm> vms = new ArrayList<>();
    final List<Attachment> toDetach = new ArrayList<>();

    @BeforeAll
    void setUp() throws Exception {
        drift = new DriftHost(1, "spindle-kvm-orphans");
        host = drift.host;
        crashing = new LibvirtConnection(Peers.URI, Duration.ofSeconds(15));
    }

    @AfterEach
    void cleanUp() {
        for (Attachment a : toDetach) {
            host.detach(a, target().withoutChap());
        }
        toDetach.clear();
        vms.forEach(TestVm::close);
        vms.clear();
    }

    @AfterAll
    void tearDown() {
        if (crashing != null) {
            crashing.close();
        }
        if (drift != null) {
            drift.close();
        }
    }

    @Test
    void aSecretWithoutDiskIsDriftUntilADetachWithoutDeviceRemovesIt() throws Exception {
        TestVm vm = vm("spindle-test-orphan-secret");
        VmInfo info = host.findVm(vm.uuid()).orElseThrow();
        Attachment whole = host.attach(request(UUID.randomUUID(), info)); // secret and disk: no drift
        toDetach.add(whole);
        UUID id = UUID.randomUUID();
        Attachment interrupted = new Attachment(id, vm.uuid(), vm.name, "host1", "", null, true);
        toDetach.add(interrupted);
        secretOnly(id, info);

        DriftWatch.Drift d = awaitDrift(id);
        assertEquals(vm.uuid(), d.vmId());
        assertTrue(d.what().contains("libvirt secret " + ChapSecrets.uuid(id, vm.uuid()) + " has no disk in vm " + vm.name), d.what());
        assertTrue(d.line().startsWith(id + " " + vm.uuid() + " "), d.line());
        assertTrue(host.drift().stream().noneMatch(x -> x.volumeId().equals(whole.volumeId())),
                "the secret of a disk that is there is no drift: " + host.drift());

        host.detach(interrupted, target().withoutChap());
        assertFalse(secretExists(id, vm.uuid()), "the detach without device removed the secret");
        assertTrue(host.drift().stream().noneMatch(x -> x.volumeId().equals(id)), "cleared at once: " + host.drift());
        assertTrue(secretExists(whole.volumeId(), vm.uuid()), "the other volume's secret stays");
        Thread.sleep(2500); // two more checks
        assertTrue(host.drift().stream().noneMatch(x -> x.vmId().equals(vm.uuid())), "nothing of this vm: " + host.drift());
    }

    @Test
    void theSecretOfAVmThatIsGoneIsDriftAndADetachRemovesIt() throws Exception {
        TestVm vm = vm("spindle-test-orphan-gone");
        VmInfo info = host.findVm(vm.uuid()).orElseThrow();
        UUID id = UUID.randomUUID();
        secretOnly(id, info);
        Cmd.virsh("undefine", vm.uuid());

        DriftWatch.Drift d = awaitDrift(id);
        assertTrue(d.what().contains("has no disk (vm is gone)"), d.what());
        host.detach(new Attachment(id, vm.uuid(), vm.name, "host1", "", null, false), target().withoutChap());
        assertFalse(secretExists(id, vm.uuid()), "removed although the vm is gone and the attachment says unmanaged");
    }

    @Test
    void whileOneOfTwoOverlappingAttachesOfAVolumeRunsItsSecretIsNoDrift() throws Exception {
        TestVm vm = vm("spindle-test-orphan-overlap");
        VmInfo info = host.findVm(vm.uuid()).orElseThrow();
        UUID id = UUID.randomUUID();
        toDetach.add(new Attachment(id, vm.uuid(), vm.name, "host1", "", null, true));
        DriftWatch watch = new DriftWatch("host1", crashing, d -> {
        });
        watch.attaching(id);
        watch.attaching(id); // a retry of the same attach, beside the first call
        secretOnly(id, info); // defined, its disk not yet
        watch.attachEnded(id); // the first call ends; the second still works on the disk
        for (int i = 0; i < 3; i++) {
            watch.check();
        }
        assertTrue(watch.current().stream().noneMatch(x -> x.volumeId().equals(id)),
                "an attach of the volume still runs: its secret is no leftover: " + watch.current());
        watch.attachEnded(id);
        watch.check();
        watch.check();
        assertTrue(watch.current().stream().anyMatch(x -> x.volumeId().equals(id)),
                "both attaches ended and the secret has no disk: drift: " + watch.current());
    }

    @Test
    void onlySpindlesOwnSecretsAreTaken() {
        String vmId = UUID.randomUUID().toString();
        UUID volume = UUID.randomUUID();
        String ours = ChapSecrets.uuid(volume, vmId).toString();
        assertEquals(Optional.of(new SecretOrphans.Orphan(UUID.fromString(ours), volume, vmId, "")),
                SecretOrphans.owner(ours, ChapSecrets.usage(volume, vmId)));
        assertTrue(SecretOrphans.owner(ours, ChapSecrets.legacyUsage(volume, vmId)).isPresent(), "an older build's usage");
        assertTrue(SecretOrphans.owner(UUID.randomUUID().toString(), ChapSecrets.usage(volume, vmId)).isEmpty(),
                "named like ours but with another UUID: somebody else's");
        assertTrue(SecretOrphans.owner(ours, "spindle-" + vmId).isEmpty());
        assertTrue(SecretOrphans.owner(ours, null).isEmpty(), "a secret without usage");
    }

    /** What an attach killed after defining the secret leaves: the secret, no disk. */
    void secretOnly(UUID id, VmInfo vm) throws Exception {
        new ChapSecrets(crashing).define(request(id, vm), vm.id(), target().chap(), ChapSecrets.usage(id, vm.id()));
        assertTrue(secretExists(id, vm.id()));
    }

    static boolean secretExists(UUID volumeId, String vmId) {
        return Cmd.virsh("secret-list").contains(ChapSecrets.uuid(volumeId, vmId).toString());
    }

    AttachRequest request(UUID id, VmInfo vm) {
        return new AttachRequest(id, "orphan-" + id.toString().substring(0, 8), 16 * MIB, vm, target(), true, IoLimits.NONE);
    }

    TestVm vm(String name) {
        TestVm vm = TestVm.define(name, false);
        vms.add(vm);
        return vm;
    }

    DriftWatch.Drift awaitDrift(UUID volumeId) throws InterruptedException {
        return drift.awaitDrift(volumeId).orElseGet(() -> fail("no drift reported for volume " + volumeId + "; known: " + host.drift()));
    }

    static Target target() {
        return new Target("iscsi", List.of(Portal.iscsi("127.0.0.1")), "iqn.2010-01.com.solidfire:spindle-test-orphan.1", 1, null,
                new Chap("orphanuser", Secret.of("orphan-secret-1")));
    }
}
