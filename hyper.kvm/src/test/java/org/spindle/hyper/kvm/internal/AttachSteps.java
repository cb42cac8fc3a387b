package org.spindle.hyper.kvm.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.libvirt.Domain;
import org.spindle.storage.api.Chap;
import org.spindle.storage.api.Portal;
import org.spindle.storage.api.Secret;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.attach.AttachRequest;
import org.spindle.storage.api.attach.VmInfo;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.Limit;

/**
 * A profile of one attach, step by step, in a fresh JVM (run as a program: {@code main}): the steps
 * {@link KvmHost#attach} takes, each timed, for the first volume of the process and for the next. Prints one line per
 * step with the milliseconds of both, wall and this thread's CPU (class loading and XML are CPU here; libvirtd's and
 * QEMU's work is wall only). Not a test. Run: {@code java -cp target/classes:target/test-classes:<test classpath>
 * org.spindle.hyper.kvm.internal.AttachSteps}.
 */
final class AttachSteps {
    private AttachSteps() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, long[]> steps = new LinkedHashMap<>();
        cpu = THREADS.getCurrentThreadCpuTime();
        long t = System.nanoTime();
        LibvirtEvents events = new LibvirtEvents();
        t = lap(steps, "libvirt-java + JNA load, event loop", 0, t);
        try (TestVm vm = TestVm.define("spindle-test-steps", true);
             LibvirtConnection libvirt = new LibvirtConnection(Peers.URI, Duration.ofSeconds(15))) {
            List<TgtTarget> luns = new ArrayList<>();
            List<UUID> volumes = new ArrayList<>();
            Domains domains = new Domains("host1", libvirt);
            ChapSecrets secrets = new ChapSecrets(libvirt);
            t = System.nanoTime();
            libvirt.get();
            t = lap(steps, "connect", 0, t);
            for (int round = 0; round < 2; round++) {
                String tag = UUID.randomUUID().toString().substring(0, 8);
                TgtTarget lun = TgtTarget.create("iqn.2010-01.com.solidfire:steps-" + tag + ".1", 16L << 20, "st" + tag, "stsecret" + tag);
                luns.add(lun);
                UUID id = UUID.randomUUID();
                volumes.add(id);
                Chap chap = new Chap(lun.user, Secret.of(lun.password));
                IoLimits limits = new IoLimits(Limit.of(500), Limit.of(500), Limit.NONE, Limit.of(50L << 20), Limit.of(50L << 20), Limit.NONE);
                t = System.nanoTime();
                Domain d = domains.find(vm.name).orElseThrow();
                VmInfo info = domains.info(d);
                t = lap(steps, "find vm", round, t);
                d = domains.byId(info.id());
                DomainState s = DomainState.of(d);
                t = lap(steps, "domain state (2 XML reads + parse)", round, t);
                DeviceSlots.ensureScsiController(d, s);
                t = lap(steps, "scsi controller", round, t);
                String usage = ChapSecrets.usage(id, info.id());
                String dev = DeviceSlots.freeDev(DomainState.of(d), "scsi");
                String xml = DiskXml.iscsiDisk(lun.iqn, 1, Portal.iscsi("127.0.0.1"), Configs.INITIATOR, chap, usage, dev, "scsi",
                        DiskXml.alias(id), IoTune.of(limits));
                t = lap(steps, "device name + disk XML", round, t);
                Target target = new Target("iscsi", List.of(Portal.iscsi("127.0.0.1")), lun.iqn, 1, null, chap);
                secrets.define(new AttachRequest(id, "steps", 16L << 20, info, target, true, limits), info.id(), chap, usage);
                t = lap(steps, "secret define + value", round, t);
                d.attachDeviceFlags(xml, s.flags());
                t = lap(steps, "attachDeviceFlags (QEMU iSCSI login)", round, t);
                DomainState.of(d).disk(DiskXml.alias(id)).orElseThrow();
                t = lap(steps, "read back", round, t);
            }
            for (UUID id : volumes) {
                Domain d = domains.byId(vm.uuid());
                new DiskDetach(Duration.ofSeconds(10)).detach(d, id, "cleanup");
                secrets.undefine(id, vm.uuid());
            }
            luns.forEach(TgtTarget::close);
        } finally {
            events.close();
        }
        System.out.printf("%-40s %8s %8s %10s %10s%n", "step (ms)", "first", "next", "first cpu", "next cpu");
        steps.forEach((k, v) -> System.out.printf("%-40s %8.1f %8.1f %10.1f %10.1f%n", k, v[0] / 1e6, v[1] / 1e6, v[2] / 1e6,
                v[3] / 1e6));
    }

    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();
    private static long cpu;

    private static long lap(Map<String, long[]> steps, String name, int round, long since) {
        long now = System.nanoTime();
        long c = THREADS.getCurrentThreadCpuTime();
        long[] v = steps.computeIfAbsent(name, k -> new long[4]);
        v[round] = now - since;
        v[2 + round] = c - cpu;
        cpu = THREADS.getCurrentThreadCpuTime();
        return System.nanoTime();
    }
}
