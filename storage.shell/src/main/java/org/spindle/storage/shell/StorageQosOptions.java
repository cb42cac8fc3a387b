package org.spindle.storage.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Option;
import org.spindle.storage.shell.internal.QosText;

/** The storage-side QoS options: what the SAN guarantees and caps. */
abstract class StorageQosOptions implements Action {
    @Option(name = "--min-iops", description = "IOPS the SAN guarantees")
    String minIops;
    @Option(name = "--max-iops", description = "Sustained IOPS the SAN allows")
    String maxIops;
    @Option(name = "--burst-iops", description = "Peak IOPS the SAN allows for short bursts")
    String burstIops;

    final QosText storageText() {
        return QosText.storageOnly(minIops, maxIops, burstIops);
    }
}
