package org.spindle.hyper.vmware.internal;

import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spindle.hyper.vmware.internal.VSphere.Datastore;
import org.spindle.hyper.vmware.internal.VSphere.DiskFile;
import org.spindle.hyper.vmware.internal.VSphere.Host;
import org.spindle.storage.api.attach.AttachProperties;
import org.spindle.support.leftover.Leftovers;

/**
 * Spindle datastores ({@code spindle-<hex id>}) mounted on a host of the cluster that no VM of the cluster has a disk
 * on: what an attach leaves when a vCenter call it made completes after Spindle gave the attach up (vCenter finishes a
 * task whose client went away). They belong to no VM, so they are reported in {@value AttachProperties#DRIFT} with
 * {@value AttachProperties#NO_VM} for the vm id ({@link #line}); the core clears one with a detach of an attachment of
 * that vm id, which removes the datastore only if still no disk uses it ({@link #inUse}).
 *
 * <p>An attach makes the datastore a moment before its disk: a datastore is reported only once seen unused at two
 * checks in a row, with no attach of its volume running in this service ({@link Leftovers}); one by another runtime
 * is over long before the next check. A line goes at the first check that finds the datastore gone, unmounted
 * everywhere, or with a disk.
 */
final class DatastoreLeftovers {
    private static final Logger LOG = LoggerFactory.getLogger(DatastoreLeftovers.class);

    private final VSphere vsphere;
    private final String cluster;
    /** Attaches running in this service (a retry may run beside the first call), what was unused, what is reported. */
    private final Leftovers<String, String> leftovers = new Leftovers<>(Comparator.naturalOrder());

    DatastoreLeftovers(VSphere vsphere, String cluster) {
        this.vsphere = vsphere;
        this.cluster = cluster;
    }

    /** The published line of a leftover datastore: {@code <volume uuid> - leftover: datastore <name> has no disk: …}. */
    static String line(UUID volumeId, String datastore) {
        return volumeId + " " + AttachProperties.NO_VM + " leftover: datastore " + datastore + " has no disk: an attach that"
                + " was given up made it; a detach of the volume removes it";
    }

    /** An attach of {@code volumeId} starts; never waits for a check. */
    void attaching(UUID volumeId) {
        leftovers.attaching(volumeId);
    }

    /** That attach ended, however. */
    void attachEnded(UUID volumeId) {
        leftovers.attachEnded(volumeId);
    }

    /**
     * Reads the datastores and every disk of the cluster's VMs (one retrieval each, whatever the number of VMs) and
     * returns the lines to publish now, sorted by datastore.
     */
    synchronized List<String> check(List<Host> hosts) {
        leftovers.check(() -> unused(hosts), name -> {
            String line = line(VolumeLayout.volumeOf(name).orElseThrow(), name);
            LOG.warn("vSphere cluster {}: {}", cluster, line);
            return line;
        });
        return lines();
    }

    /** The Spindle datastores mounted on a host of {@code hosts} that no disk of the cluster's VMs is on, with their volume. */
    private Map<String, UUID> unused(List<Host> hosts) {
        Set<String> hostRefs = new HashSet<>();
        hosts.forEach(h -> hostRefs.add(h.ref()));
        List<Datastore> spindle = vsphere.datastores().stream().filter(ds -> VolumeLayout.volumeOf(ds.name()).isPresent()
                && ds.mounts().stream().anyMatch(m -> m.mounted() && hostRefs.contains(m.hostRef()))).toList();
        Set<String> used = new HashSet<>();
        if (!spindle.isEmpty()) {
            vsphere.diskFiles().forEach(f -> used.add(f.datastore()));
        }
        Map<String, UUID> unused = new HashMap<>();
        for (Datastore ds : spindle) {
            if (!used.contains(ds.name())) {
                unused.put(ds.name(), VolumeLayout.volumeOf(ds.name()).orElseThrow());
            }
        }
        return unused;
    }

    /** What the last check found to report. */
    List<String> lines() {
        return List.copyOf(leftovers.reported());
    }

    /**
     * Why the datastore of {@code volumeId} is no leftover now, read right before a clearing acts: an attach of the
     * volume running in this service, or a disk of a VM of the cluster on the datastore (whatever its file).
     */
    Optional<String> inUse(UUID volumeId) {
        if (leftovers.attachRunning(volumeId)) {
            return Optional.of("an attach of volume " + volumeId + " is under way here");
        }
        String ds = VolumeLayout.datastoreName(volumeId);
        return vsphere.diskFiles().stream().filter(f -> f.datastore().equals(ds)).findFirst()
                .map(f -> "VM " + f.vmName() + " (" + f.vmRef() + ") has disk " + f.fileName() + " on datastore " + ds);
    }
}
