package org.spindle.storage.core.internal.volume;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.spindle.storage.api.Target;
import org.spindle.storage.api.attach.StaticDiskRequest;
import org.spindle.storage.api.attach.StaticDisks;

/** A hypervisor host that also creates disks in structures the operator made. */
class FakeStaticHypervisor extends FakeHypervisor implements StaticDisks {
    final Map<UUID, Target> disks = new ConcurrentHashMap<>();

    FakeStaticHypervisor(String host, String... vms) {
        super(host, vms);
    }

    @Override
    public Target createDisk(StaticDiskRequest request) {
        Target t = new Target("file", List.of(), request.structure() + "/" + request.volumeId() + ".img", 0, null, null);
        disks.put(request.volumeId(), t);
        return t;
    }

    @Override
    public void deleteDisk(Target disk) {
        disks.values().remove(disk);
    }
}
