package org.spindle.hyper.kvm.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.Limit;

/**
 * libvirt's {@code <iotune>} / {@code virDomainSetBlockIoTune} parameters for one disk, made from the
 * hypervisor side of a QoS plan. All 18 parameters are always present (0 = no limit), so that setting them
 * also clears what a previous plan set. Total and read/write of the same unit never both carry a value.
 */
record IoTune(Map<String, Long> parameters) {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(IoTune.class);

    /** The six base limits, in libvirt's order; {@code *_max} and {@code *_max_length} follow from them. */
    static final List<String> BASES = List.of("total_bytes_sec", "read_bytes_sec", "write_bytes_sec",
            "total_iops_sec", "read_iops_sec", "write_iops_sec");

    IoTune {
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /** The parameters for {@code limits}; refuses total together with read/write of the same unit. */
    static IoTune of(IoLimits limits) {
        if (limits.totalBps().isSet() && (limits.readBps().isSet() || limits.writeBps().isSet())) {
            throw new StorageException(StorageException.Reason.QOS_REFUSED, "limits",
                    "KVM cannot limit total bytes/s together with read or write bytes/s on one disk", null);
        }
        if (limits.totalIops().isSet() && (limits.readIops().isSet() || limits.writeIops().isSet())) {
            throw new StorageException(StorageException.Reason.QOS_REFUSED, "limits",
                    "KVM cannot limit total IOPS together with read or write IOPS on one disk", null);
        }
        Map<String, Long> p = new LinkedHashMap<>();
        Limit[] byBase = {limits.totalBps(), limits.readBps(), limits.writeBps(),
                limits.totalIops(), limits.readIops(), limits.writeIops()};
        for (int i = 0; i < BASES.size(); i++) {
            p.put(BASES.get(i), byBase[i].rate());
        }
        for (int i = 0; i < BASES.size(); i++) {
            p.put(BASES.get(i) + "_max", byBase[i].burst());
        }
        for (int i = 0; i < BASES.size(); i++) {
            // QEMU refuses a burst of length 0; 1 s is its own default for a burst without a length
            Limit l = byBase[i];
            p.put(BASES.get(i) + "_max_length", l.burst() > 0 ? Math.max(1, l.burstSeconds()) : 0);
        }
        return new IoTune(p);
    }

    /** The shell's names of the six base limits, in {@link #BASES}' order (for messages). */
    private static final List<String> TOKENS = List.of("total-bps", "read-bps", "write-bps", "total-iops", "read-iops",
            "write-iops");

    /**
     * The limits libvirt reports for a disk ({@code virDomainGetBlockIoTune}'s parameters), in the form
     * {@link #of} takes: rate from {@code *_sec}, burst from {@code *_sec_max}, burst length from
     * {@code *_sec_max_length} (only with a burst: QEMU reports its default length of 1 s for every limit). A
     * burst without a length was applied as QEMU's 1 s and reads back so. Parameters that Spindle never sets
     * ({@code size_iops_sec}, {@code group_name}) are left out; no weight (a network disk has none).
     *
     * <p>A burst QEMU refuses (below its rate, or without one) is reported as no burst, with a warning: libvirt takes
     * such values into a stopped domain's configuration ({@code virsh blkdeviotune --config --total-bytes-sec} zeroes
     * the read and write rates and keeps their bursts), where they limit nothing and stop the VM from starting. Read
     * as missing, they differ from any plan with a burst there, and applying the plan again replaces them.
     */
    static IoLimits limits(Map<String, Long> reported) {
        Limit[] byBase = new Limit[BASES.size()];
        for (int i = 0; i < BASES.size(); i++) {
            String base = BASES.get(i);
            long rate = reported.getOrDefault(base, 0L);
            long burst = reported.getOrDefault(base + "_max", 0L);
            if (burst > 0 && burst < rate || burst > 0 && rate == 0) {
                LOG.warn("libvirt holds {}_max {} with {} {}, which QEMU refuses: reported as no burst", base, burst, base, rate);
                burst = 0;
            }
            long length = burst > 0 ? reported.getOrDefault(base + "_max_length", 0L) : 0;
            byBase[i] = new Limit(TOKENS.get(i), rate, burst, length);
        }
        return new IoLimits(byBase[4], byBase[5], byBase[3], byBase[1], byBase[2], byBase[0]);
    }

    boolean isEmpty() {
        return parameters.values().stream().allMatch(v -> v == 0);
    }

    /** The {@code <iotune>} element with the parameters that carry a value, or "" when none does. */
    String xml() {
        if (isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("<iotune>");
        parameters.forEach((name, value) -> {
            if (value > 0) {
                b.append('<').append(name).append('>').append(value).append("</").append(name).append('>');
            }
        });
        return b.append("</iotune>").toString();
    }

    /**
     * The differences between these parameters and what libvirt reports ({@code actual}), empty when they agree.
     * A burst length that was not asked for may read back as QEMU's default of 1 second.
     */
    List<String> differences(Map<String, Long> actual) {
        List<String> diffs = new ArrayList<>();
        parameters.forEach((name, expected) -> {
            long got = actual.getOrDefault(name, 0L);
            boolean defaultLength = name.endsWith("_max_length") && expected == 0 && got <= 1;
            if (got != expected && !defaultLength) {
                diffs.add(name + " is " + got + ", expected " + expected);
            }
        });
        return diffs;
    }
}
