package org.spindle.hyper.kvm.internal;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.spindle.storage.api.Chap;
import org.spindle.storage.api.Portal;
import org.spindle.storage.api.Secret;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.attach.AttachRequest;
import org.spindle.storage.api.attach.Attachment;
import org.spindle.storage.api.attach.VmInfo;

/**
 * One process's attaches, for {@link FirstAttachBenchmark}: run as a program in a fresh JVM
 * ({@code AttachRun <vm name> <attaches>}). It makes the tgt targets first (not timed), then the service as DS makes it
 * (the bundle's libvirt event loop, a monitored host), waits for its first probe as a registered service has had
 * one, and times each attach as the core makes it ({@code findVm}, then {@code attach} with CHAP and limits). Prints
 * {@code activation <ms>} and {@code attach <ms> <ms> …}, then detaches everything.
 */
final class AttachRun {
    private AttachRun() {
    }

    public static void main(String[] args) throws Exception {
        String vmName = args[0];
        int count = Integer.parseInt(args[1]);
        List<TgtTarget> luns = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String tag = UUID.randomUUID().toString().substring(0, 8);
            luns.add(TgtTarget.create("iqn.2010-01.com.solidfire:bench-svc-" + tag + ".1", 16L << 20, "bs" + tag, "bssecret" + tag));
        }
        long t0 = System.nanoTime();
        LibvirtEvents events = new LibvirtEvents();
        KvmHost host = new KvmHost(Configs.settings(), events, Files.createTempDirectory("spindle-bench"), new HostMonitor.Listener() {
            @Override
            public void unavailable(String reason) {
                System.err.println("unavailable: " + reason);
            }

            @Override
            public void available() {
            }
        });
        long activation = System.nanoTime() - t0;
        Thread.sleep(3000); // the first probe (connection) runs at once; a service is registered long before its first attach
        List<Attachment> attached = new ArrayList<>();
        StringBuilder times = new StringBuilder("attach");
        try {
            for (TgtTarget lun : luns) {
                Target target = new Target("iscsi", List.of(Portal.iscsi("127.0.0.1")), lun.iqn, 1, null,
                        new Chap(lun.user, Secret.of(lun.password)));
                UUID id = UUID.randomUUID();
                long t = System.nanoTime();
                VmInfo vm = host.findVm(vmName).orElseThrow();
                attached.add(host.attach(new AttachRequest(id, "bench", 16L << 20, vm, target, true, FirstAttachBenchmark.LIMITS)));
                times.append(' ').append(String.format("%.1f", (System.nanoTime() - t) / 1e6));
            }
            System.out.printf("activation %.1f%n%s%n", activation / 1e6, times);
        } finally {
            for (Attachment a : attached) {
                host.detach(a, new Target("iscsi", List.of(Portal.iscsi("127.0.0.1")), "iqn.2010-01.com.solidfire:x", 1, null, null));
            }
            host.close();
            events.close();
            luns.forEach(TgtTarget::close);
        }
    }
}
