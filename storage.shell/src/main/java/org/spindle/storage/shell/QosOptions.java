package org.spindle.storage.shell;

import org.apache.karaf.shell.api.action.Option;
import org.spindle.storage.shell.internal.QosText;
import org.spindle.storage.shell.internal.QosText.LimitText;

/**
 * Storage-side and hypervisor-side QoS options, named as CloudStack's disk offering fields. Each hypervisor
 * limit has a sustained rate, a {@code -max} burst rate and a {@code -max-length} burst length in seconds;
 * {@code *-bps} values take size units ({@code 100M} = 100 MiB/s). {@code --weight} is the disk's share when
 * disks compete, which hypervisors that declare {@code weight} enforce.
 */
abstract class QosOptions extends StorageQosOptions {
    private static final String IOPS = "operations per second";
    private static final String BPS = "bytes per second, with units K, M, G, T (binary), e.g. 100M";
    private static final String MAX = "burst rate (at least the rate)";
    private static final String LENGTH = "burst length in seconds (needs the burst rate)";

    @Option(name = "--read-iops", description = "Hypervisor read limit, " + IOPS)
    String readIops;
    @Option(name = "--read-iops-max", description = "Hypervisor read " + MAX + ", " + IOPS)
    String readIopsMax;
    @Option(name = "--read-iops-max-length", description = "Hypervisor read " + LENGTH)
    String readIopsMaxLength;
    @Option(name = "--write-iops", description = "Hypervisor write limit, " + IOPS)
    String writeIops;
    @Option(name = "--write-iops-max", description = "Hypervisor write " + MAX + ", " + IOPS)
    String writeIopsMax;
    @Option(name = "--write-iops-max-length", description = "Hypervisor write " + LENGTH)
    String writeIopsMaxLength;
    @Option(name = "--total-iops", description = "Hypervisor total (read + write) limit, " + IOPS)
    String totalIops;
    @Option(name = "--total-iops-max", description = "Hypervisor total " + MAX + ", " + IOPS)
    String totalIopsMax;
    @Option(name = "--total-iops-max-length", description = "Hypervisor total " + LENGTH)
    String totalIopsMaxLength;
    @Option(name = "--read-bps", description = "Hypervisor read limit, " + BPS)
    String readBps;
    @Option(name = "--read-bps-max", description = "Hypervisor read " + MAX + ", " + BPS)
    String readBpsMax;
    @Option(name = "--read-bps-max-length", description = "Hypervisor read throughput " + LENGTH)
    String readBpsMaxLength;
    @Option(name = "--write-bps", description = "Hypervisor write limit, " + BPS)
    String writeBps;
    @Option(name = "--write-bps-max", description = "Hypervisor write " + MAX + ", " + BPS)
    String writeBpsMax;
    @Option(name = "--write-bps-max-length", description = "Hypervisor write throughput " + LENGTH)
    String writeBpsMaxLength;
    @Option(name = "--total-bps", description = "Hypervisor total (read + write) limit, " + BPS)
    String totalBps;
    @Option(name = "--total-bps-max", description = "Hypervisor total " + MAX + ", " + BPS)
    String totalBpsMax;
    @Option(name = "--total-bps-max-length", description = "Hypervisor total throughput " + LENGTH)
    String totalBpsMaxLength;
    @Option(name = "--weight", description = "Hypervisor I/O priority of the disk when disks compete, 1 (lowest) to "
            + "1000 (highest): a priority, not a cap; refused at attach unless the hypervisor enforces weights")
    String weight;

    final QosText qosText() {
        return new QosText(minIops, maxIops, burstIops,
                new LimitText(readIops, readIopsMax, readIopsMaxLength),
                new LimitText(writeIops, writeIopsMax, writeIopsMaxLength),
                new LimitText(totalIops, totalIopsMax, totalIopsMaxLength),
                new LimitText(readBps, readBpsMax, readBpsMaxLength),
                new LimitText(writeBps, writeBpsMax, writeBpsMaxLength),
                new LimitText(totalBps, totalBpsMax, totalBpsMaxLength),
                weight);
    }
}
