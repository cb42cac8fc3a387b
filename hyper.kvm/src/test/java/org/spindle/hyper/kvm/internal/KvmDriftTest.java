package org.spindle.hyper.kvm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

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
import org.spindle.storage.api.qos.IoLimits;

/**
 * Changes behind Spindle's back on the local libvirtd, noticed by a monitored host (libvirt's domain events and the
 * periodic check): a VM undefined with virsh, a disk detached with virsh. Each is reported as drift naming the volume,
 * the VM and what happened; {@code attachments()} shows what is really there; Spindle's own detach is no drift.
 * Stopped VMs (configuration-only attaches): no iSCSI login is needed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KvmDriftTest {
    static final long MIB = 1024 * 1024;
    static final String IQN = "iqn.2010-01.com.solidfire:spindle-test-drift.1";

    DriftHost drift;
    KvmHost host;
    BlockingQueue<List<DriftWatch.Drift>> reports;
    final List<TestVm> vms = new ArrayList<>();
    final List<Attachment> attached = new ArrayList<>();

    @BeforeAll
    void setUp() throws Exception {
        drift = new DriftHost(2, "spindle-kvm-drift");
        host = drift.host;
        reports = drift.reports;
    }

    @AfterEach
    void cleanUp() {
        for (Attachment a : attached) {
            host.detach(a, target().withoutChap()); // idempotent: also removes the secret of a VM that is gone
        }
        attached.clear();
        vms.forEach(TestVm::close);
        vms.clear();
    }

    @AfterAll
    void tearDown() {
        if (drift != null) {
            drift.close();
        }
    }

    @Test
    void aVmUndefinedBehindSpindlesBackIsReported() throws Exception {
        TestVm vm = vm("spindle-test-drift-undef");
        Attachment a = attach(vm);
        assertTrue(host.attachments().contains(a), "attachments() lists it: " + host.attachments());
        Cmd.virsh("undefine", vm.uuid());

        DriftWatch.Drift d = awaitDrift(a.volumeId());
        assertEquals(vm.uuid(), d.vmId());
        assertTrue(d.what().contains("no longer defined"), d.what());
        assertTrue(host.attachments().stream().noneMatch(x -> x.volumeId().equals(a.volumeId())));
        assertTrue(host.findAttachment(a.volumeId()).isEmpty());
    }

    @Test
    void aDiskDetachedWithVirshIsReportedAndSpindlesOwnDetachIsNot() throws Exception {
        TestVm vm = vm("spindle-test-drift-disk");
        Attachment outside = attach(vm);
        Attachment ours = attach(vm);
        Cmd.virsh("detach-device-alias", vm.uuid(), DiskXml.alias(outside.volumeId()), "--config");

        DriftWatch.Drift d = awaitDrift(outside.volumeId());
        assertTrue(d.what().contains("detached outside Spindle") && d.what().contains(outside.device()), d.what());
        assertEquals(List.of(ours), host.attachments().stream().filter(x -> x.vmId().equals(vm.uuid())).toList());

        host.detach(ours, target().withoutChap());
        attached.remove(ours);
        host.detach(outside, target().withoutChap()); // the core's detach clears it
        attached.remove(outside);
        List<DriftWatch.Drift> last = reports.poll(1, TimeUnit.SECONDS);
        while (reports.peek() != null) {
            last = reports.poll();
        }
        // only this test's VM: the host watches every domain of the libvirtd, which other runs may share
        assertEquals(List.of(), host.drift().stream().filter(x -> x.vmId().equals(vm.uuid())).toList(), "no drift once detached through Spindle");
        assertTrue(last == null || last.stream().noneMatch(x -> x.vmId().equals(vm.uuid())), "the last report has nothing of this VM: " + last);
    }

    TestVm vm(String name) {
        TestVm vm = TestVm.define(name, false);
        vms.add(vm);
        return vm;
    }

    Attachment attach(TestVm vm) {
        UUID id = UUID.randomUUID();
        Attachment a = host.attach(new AttachRequest(id, "drift-" + id.toString().substring(0, 8), 16 * MIB,
                host.findVm(vm.uuid()).orElseThrow(), target(), true, IoLimits.NONE));
        attached.add(a);
        return a;
    }

    DriftWatch.Drift awaitDrift(UUID volumeId) throws InterruptedException {
        DriftWatch.Drift d = drift.awaitDrift(volumeId).orElse(null);
        assertNotNull(d, "no drift reported for volume " + volumeId + "; known: " + host.drift());
        assertEquals(d, host.drift().stream().filter(x -> x.volumeId().equals(volumeId)).findFirst().orElse(null));
        return d;
    }

    static Target target() {
        return new Target("iscsi", List.of(Portal.iscsi("127.0.0.1")), IQN, 1, null, new Chap("driftuser", Secret.of("drift-secret-1")));
    }
}
