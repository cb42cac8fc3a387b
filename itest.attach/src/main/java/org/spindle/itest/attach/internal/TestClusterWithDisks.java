package org.spindle.itest.attach.internal;

import java.util.List;

import org.spindle.storage.api.Protocols;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.attach.StaticDiskRequest;
import org.spindle.storage.api.attach.StaticDisks;

/**
 * A test hypervisor that also creates disks in the structures of its {@code structures} configuration: the
 * object registered when there are any, under {@code StaticDisks} as well. A disk's target is
 * {@code file} {@code <structure>/<volume uuid>}.
 */
final class TestClusterWithDisks extends TestCluster implements StaticDisks {
    TestClusterWithDisks(Ledger ledger, AttachSettings settings) {
        super(ledger, settings);
    }

    @Override
    public Target createDisk(StaticDiskRequest request) {
        synchronized (ledger) {
            ledger.count("createDisk");
            if (!settings().structures().contains(request.structure())) {
                throw new StorageException(Reason.NOT_FOUND, "structure", this + " has no structure "
                        + request.structure() + " (it has " + settings().structures() + ")", null);
            }
            ledger.createdDisks.add(request);
            return new Target(Protocols.FILE, List.of(), request.structure() + "/" + request.volumeId(), 0, null, null);
        }
    }

    @Override
    public void deleteDisk(Target disk) {
        synchronized (ledger) {
            ledger.count("deleteDisk");
            ledger.deletedDisks.add(disk);
        }
    }
}
