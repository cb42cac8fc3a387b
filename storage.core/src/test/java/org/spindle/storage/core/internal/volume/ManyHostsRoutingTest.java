package org.spindle.storage.core.internal.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;
import org.spindle.storage.api.attach.VmInfo;
import org.spindle.storage.api.volume.Volume;

/**
 * Issue 15: with 50 hosts in a zone, an attach by VM id without a host asks every host once, then only the host it
 * found the VM on; a VM that moved is found again; a name is always looked up everywhere, so a name two hosts carry
 * is refused, never guessed.
 */
class ManyHostsRoutingTest extends LifecycleFixture {
    private final List<FakeHypervisor> hosts = new ArrayList<>();

    @BeforeEach
    void fiftyHosts() {
        for (int i = 0; i < 50; i++) {
            FakeHypervisor h = new FakeHypervisor("k" + i, "vm-" + i);
            hosts.add(h);
            attachers.add(100 + i, "test.attach", h, attachProps("k" + i, "iscsi", ALL_LIMITS));
        }
    }

    private int lookups() {
        int n = h1.findVmCalls.getAndSet(0);
        for (FakeHypervisor h : hosts) {
            n += h.findVmCalls.getAndSet(0);
        }
        return n;
    }

    @Test
    void anAttachByVmId_asksEveryHostOnce_thenOnlyTheOneItFoundTheVmOn() {
        create("a");
        create("b");
        create("c");
        String id = FakeHypervisor.id("vm-37");
        Volume a = volumes.attach("a", id, null);
        assertEquals("k37", a.attachment().service());
        assertEquals(51, lookups(), "the first time: every service of the zone (50 hosts and h1)");
        Volume b = volumes.attach("b", id, null);
        assertEquals("k37", b.attachment().service());
        assertEquals(1, lookups(), "then only the service it was found on");

        volumes.detach("a");
        volumes.detach("b");
        VmInfo moved = hosts.get(37).vms.remove(id);
        hosts.get(12).vms.put(id, new VmInfo(id, moved.name(), "k12", true));
        assertEquals("k12", volumes.attach("c", id, null).attachment().service(), "a VM gone from where it was is searched again");
        assertEquals(1 + 51, lookups());
    }

    @Test
    void aName_isLookedUpEverywhere_andAmbiguityIsRefused() {
        create("a");
        create("b");
        volumes.attach("a", "vm-5", null);
        assertEquals(51, lookups());
        hosts.get(9).vms.put("uuid-other", new VmInfo("uuid-other", "vm-5", "k9", true));
        StorageException e = assertThrows(StorageException.class, () -> volumes.attach("b", "vm-5", null));
        assertEquals(Reason.CONFLICT, e.reason(), "a name two hosts carry is never resolved from memory");
        assertEquals(51, lookups());
    }
}
