package org.spindle.storage.shell.completers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.spindle.storage.api.runtime.AttachServiceInfo;
import org.spindle.storage.api.runtime.PoolInfo;
import org.spindle.storage.api.runtime.ServiceStatus;
import org.spindle.storage.api.PoolCapacity;
import org.spindle.storage.shell.FakeStorageRuntime;

class CompletersTest {
    private static AttachServiceInfo service(String name, List<String> hosts, ServiceStatus status) {
        return new AttachServiceInfo("1", "b", name, "kvm", hosts, null, "z", List.of("iscsi"), List.of(), List.of(),
                List.of(), status, null);
    }

    @Test
    void hostsAndServiceNamesOfBoundAttachServicesSortedOnce() {
        FakeStorageRuntime runtime = new FakeStorageRuntime();
        runtime.attachServices.addAll(List.of(service("kvm-2", List.of("kvm-2"), ServiceStatus.BOUND),
                service("kvm-1", List.of("kvm-1"), ServiceStatus.BOUND),
                service("pool-a", List.of("xen-2", "xen-1", "kvm-2"), ServiceStatus.BOUND),
                service(null, List.of(), ServiceStatus.BOUND),
                service("bad-host", List.of("bad-host"), ServiceStatus.REJECTED)));
        HostCompleter completer = new HostCompleter();
        completer.runtime = runtime;

        assertEquals(List.of("kvm-1", "kvm-2", "pool-a", "xen-1", "xen-2"), completer.candidates());
    }

    @Test
    void pools() {
        FakeStorageRuntime runtime = new FakeStorageRuntime();
        runtime.pools.add(new PoolInfo("b", "z", List.of(), "iscsi", true, "solidfire", true, PoolCapacity.UNKNOWN, 0));
        runtime.pools.add(new PoolInfo("a", "z", List.of(), "iscsi", true, "solidfire", true, PoolCapacity.UNKNOWN, 0));
        PoolCompleter completer = new PoolCompleter();
        completer.runtime = runtime;

        assertEquals(List.of("a", "b"), completer.candidates());
    }
}
