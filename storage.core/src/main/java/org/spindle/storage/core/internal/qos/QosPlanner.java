package org.spindle.storage.core.internal.qos;

import static org.spindle.storage.core.internal.qos.Refusals.peak;
import static org.spindle.storage.core.internal.qos.Refusals.refused;

import java.util.Objects;

import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.qos.AppliedQos;
import org.spindle.storage.api.qos.EffectiveQos;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.Limit;
import org.spindle.storage.api.qos.QosPlan;
import org.spindle.storage.api.qos.QosSpec;
import org.spindle.storage.api.qos.StorageQos;
import org.spindle.storage.api.volume.Offering;

/**
 * Turns what a volume asks for into what the SAN and the hypervisor enforce, refusing (with
 * {@link StorageException.Reason#QOS_REFUSED}) QoS that nobody would enforce or that contradicts itself.
 * Nothing is ever dropped: a storage cap the pool's driver cannot enforce becomes a hypervisor total IOPS
 * limit, and when neither side can enforce a value the plan is refused.
 *
 * <p>Data flow: {@link #requested} at volume creation gives the {@link QosSpec} stored with the volume;
 * {@link #planStorage} gives what the driver is asked to enforce; {@link #plan} at attach recomputes the
 * same division from the stored spec and the pool's capabilities, so the caps the driver left over reach
 * the hypervisor without being stored twice, and applies the defaults of the hypervisor's type to a volume
 * that asks for no hypervisor limit. Stateless and thread-safe.
 */
public final class QosPlanner {

    /**
     * The QoS a new volume asks for: the offering's, with the user's {@code custom} IOPS within the
     * offering's bounds, and the offering's hypervisor limits (defaults of the hypervisor type are applied
     * at attach, by {@link #plan(QosSpec, StorageCapabilities, HypervisorSide)}, once the hypervisor is known).
     */
    public QosSpec requested(Offering offering, StorageQos custom) {
        Objects.requireNonNull(custom, "custom");
        StorageQos storage = offering.qos().storage();
        if (!custom.isEmpty()) {
            if (!offering.customIops()) {
                throw refused("custom-iops", "offering " + offering.name() + " does not allow custom IOPS (asked "
                        + Refusals.describe(custom) + "); leave them unset or choose an offering with custom IOPS");
            }
            storage = custom(offering.name(), storage, custom);
        }
        IoLimits limits = offering.qos().limits();
        HypervisorPlacement.checkConsistent(limits);
        return new QosSpec(storage, limits);
    }

    /**
     * Refuses hypervisor limits that contradict themselves (read/write beside a total of the same unit), for
     * values that come from configuration rather than from an offering.
     */
    public static void checkLimits(IoLimits limits) {
        HypervisorPlacement.checkConsistent(limits);
    }

    /** What the pool's SAN enforces for a volume; refuses guarantees it cannot give and values out of its ranges. */
    public StorageQos planStorage(QosSpec requested, StorageCapabilities pool) {
        return StorageSplit.of(requested.storage(), pool).san();
    }

    /** {@link #plan(QosSpec, StorageCapabilities, HypervisorSide)} for a hypervisor without defaults. */
    public QosPlan plan(QosSpec requested, StorageCapabilities pool, LimitCapabilities hypervisor) {
        return plan(requested, pool, HypervisorSide.of(hypervisor));
    }

    /**
     * The full plan at attach: the storage side as {@link #planStorage} gives it, the hypervisor side in the
     * form the attach service declared (including storage caps the driver does not enforce, as total IOPS),
     * and the effective QoS. A volume that asks for no hypervisor limit gets the defaults of the service's
     * hypervisor type. A weight goes to the hypervisor only if the service declares {@code weight}; it is
     * refused otherwise, and never counts in the effective QoS.
     */
    public QosPlan plan(QosSpec requested, StorageCapabilities pool, HypervisorSide hypervisor) {
        boolean defaulted = requested.limits().isEmpty() && !hypervisor.defaults().isEmpty();
        IoLimits asked = defaulted ? hypervisor.defaults() : requested.limits();
        StorageSplit storage = StorageSplit.of(requested.storage(), pool);
        IoLimits limits;
        try {
            limits = HypervisorPlacement.place(asked, storage, pool, hypervisor.limits());
        } catch (StorageException e) {
            if (e.reason() != StorageException.Reason.QOS_REFUSED || hypervisor.service() == null) {
                throw e;
            }
            // name the attach service and its type: the same offering may attach elsewhere
            throw new StorageException(e.reason(), e.field(), hypervisor.label() + (hypervisor.type() != null ? " (" + hypervisor.type() + ")" : "")
                    + ": " + e.getMessage(), e);
        }
        if (asked.hasWeight()) {
            if (!hypervisor.limits().weights()) {
                throw refused("weight", "weight " + asked.weight() + (defaulted ? " (the default of hypervisor type "
                        + hypervisor.type() + ")" : "") + " cannot be enforced: " + hypervisor.label()
                        + " does not give disks a priority (it declares " + hypervisor.limits().describe()
                        + "), not 'weight'; leave weight unset or attach through a service that declares it");
            }
            limits = limits.withWeight(asked.weight());
        }
        StorageQos san = storage.san();
        long ceiling = ceiling(limits.readIops(), limits.writeIops(), limits.totalIops(), false);
        if (san.minIops() > 0 && ceiling > 0 && ceiling < san.minIops()) {
            throw refused("min-iops", "min-iops " + san.minIops() + " is above the hypervisor's IOPS limit " + ceiling
                    + " (" + HypervisorPlacement.Triple.of(limits, HypervisorPlacement.Unit.IOPS)
                    .describe(HypervisorPlacement.Unit.IOPS) + "): the VM could never use the guaranteed " + san.minIops()
                    + " IOPS; lower min-iops or raise the IOPS limits");
        }
        return new QosPlan(san, limits, effective(san, limits));
    }

    /**
     * {@code plan} with its effective QoS computed from what the sides reported they apply: the lower of both
     * sides' applied caps and the SAN's applied guarantee; a side that enforces nothing (no SAN volume yet, no
     * disk) contributes nothing. A volume nothing was read back for yet (allocated, or stored by an older core)
     * has the effective QoS its plan forecasts.
     */
    public static QosPlan withEffective(QosPlan plan, AppliedQos applied) {
        EffectiveQos e = applied.readAt() == null ? effective(plan.storage(), plan.hypervisor())
                : effective(applied.storage(), applied.hypervisor());
        return e.equals(plan.effective()) ? plan : new QosPlan(plan.storage(), plan.hypervisor(), e);
    }

    /** The effective QoS of a volume not attached yet: the storage side only. */
    public EffectiveQos effectiveBeforeAttach(StorageQos storage) {
        return effective(storage, IoLimits.NONE);
    }

    /**
     * A runtime QoS change: each set storage value of {@code change} replaces the current one, each set
     * hypervisor limit replaces the current one as a whole; setting a unit's read/write limits drops its
     * current total and vice versa. The result must keep min ≤ max ≤ burst and must not mix forms.
     */
    public QosSpec merge(QosSpec current, QosSpec change) {
        StorageQos storage = overlay(change.storage(), "new", current.storage(), "current");
        IoLimits limits = HypervisorPlacement.overlay(change.limits(), current.limits());
        HypervisorPlacement.checkConsistent(limits);
        return new QosSpec(storage, limits);
    }

    /**
     * A runtime QoS change under the rules creation applies: storage values may change only where the volume's
     * offering allows custom IOPS, and only within its bounds; then {@link #merge}. {@code offering} is
     * {@code null} when it was deleted since: then only the hypervisor side may change.
     */
    public QosSpec change(Offering offering, String offeringName, QosSpec current, QosSpec change) {
        // only values that differ from the current ones are a change (a client may send the whole spec back)
        StorageQos asked = changed(change.storage(), current.storage());
        change = new QosSpec(asked, change.limits());
        if (!asked.isEmpty()) {
            if (offering == null) {
                throw refused("custom-iops", "offering " + offeringName + " of the volume no longer exists, so its bounds for custom IOPS "
                        + "are unknown (asked " + Refusals.describe(change.storage()) + "); change only the hypervisor limits");
            }
            if (!offering.customIops()) {
                throw refused("custom-iops", "offering " + offering.name() + " does not allow custom IOPS (asked "
                        + Refusals.describe(change.storage()) + "); change only the hypervisor limits, or move the volume to an "
                        + "offering with custom IOPS");
            }
        }
        if (!change.storage().isEmpty()) {
            bounds(offering.name(), offering.qos().storage(), change.storage());
        }
        return merge(current, change);
    }

    /**
     * The values of {@code change} that are set and differ from {@code current}; the others unset. Any two values set
     * here are set to the same values in {@code change}, which already keeps min ≤ max ≤ burst: so does this; whether
     * the change fits the current values is {@link #merge}'s check.
     */
    private static StorageQos changed(StorageQos change, StorageQos current) {
        long min = change.minIops() > 0 && change.minIops() != current.minIops() ? change.minIops() : 0;
        long max = change.maxIops() > 0 && change.maxIops() != current.maxIops() ? change.maxIops() : 0;
        long burst = change.burstIops() > 0 && change.burstIops() != current.burstIops() ? change.burstIops() : 0;
        return new StorageQos(min, max, burst);
    }

    private static StorageQos custom(String offering, StorageQos bounds, StorageQos custom) {
        bounds(offering, bounds, custom);
        return overlay(custom, "custom", bounds, "offering " + offering + "'s");
    }

    /** Refuses custom values outside the offering's bounds: its min-iops is the lowest, its max and burst the highest. */
    private static void bounds(String offering, StorageQos bounds, StorageQos custom) {
        String of = "offering " + offering + " ";
        if (custom.minIops() > 0 && bounds.minIops() > 0 && custom.minIops() < bounds.minIops()) {
            throw refused("min-iops", "custom min-iops " + custom.minIops() + " is below the lowest " + of
                    + "allows, min-iops " + bounds.minIops());
        }
        if (custom.maxIops() > 0 && bounds.maxIops() > 0 && custom.maxIops() > bounds.maxIops()) {
            throw refused("max-iops", "custom max-iops " + custom.maxIops() + " is above the highest " + of
                    + "allows, max-iops " + bounds.maxIops());
        }
        if (custom.burstIops() > 0 && bounds.burstIops() > 0 && custom.burstIops() > bounds.burstIops()) {
            throw refused("burst-iops", "custom burst-iops " + custom.burstIops() + " is above the highest " + of
                    + "allows, burst-iops " + bounds.burstIops());
        }
    }

    /** {@code top}'s set values over {@code base}'s, refusing a result that breaks min ≤ max ≤ burst. */
    private static StorageQos overlay(StorageQos top, String topLabel, StorageQos base, String baseLabel) {
        Value min = Value.of("min-iops", top.minIops(), topLabel, base.minIops(), baseLabel);
        Value max = Value.of("max-iops", top.maxIops(), topLabel, base.maxIops(), baseLabel);
        Value burst = Value.of("burst-iops", top.burstIops(), topLabel, base.burstIops(), baseLabel);
        order(min, max);
        order(max, burst);
        order(min, burst);
        return new StorageQos(min.value, max.value, burst.value);
    }

    /** One storage value and where it came from. */
    private record Value(String name, long value, String label, boolean fromTop) {
        static Value of(String name, long top, String topLabel, long base, String baseLabel) {
            return top > 0 ? new Value(name, top, topLabel, true) : new Value(name, base, baseLabel, false);
        }
    }

    private static void order(Value low, Value high) {
        if (low.value > 0 && high.value > 0 && low.value > high.value) {
            throw refused(low.fromTop ? low.name : high.name, low.label + " " + low.name + " " + low.value
                    + " is above " + high.label + " " + high.name + " " + high.value
                    + "; min-iops <= max-iops <= burst-iops must hold");
        }
    }

    /**
     * guaranteed = the SAN's min; max = the lowest sustained cap of both sides (a SAN burst without max
     * caps too); burst = the lowest peak when either side sets a burst, never below max; bytes = the
     * hypervisor's total or read + write. A read-only or write-only limit caps nothing in total.
     */
    static EffectiveQos effective(StorageQos san, IoLimits hv) {
        long sanMax = san.maxIops() > 0 ? san.maxIops() : san.burstIops();
        long sanPeak = san.burstIops() > 0 ? san.burstIops() : san.maxIops();
        long hvMax = ceiling(hv.readIops(), hv.writeIops(), hv.totalIops(), false);
        long hvPeak = ceiling(hv.readIops(), hv.writeIops(), hv.totalIops(), true);
        long maxIops = lowest(sanMax, hvMax);
        boolean burst = san.burstIops() > 0 || hvPeak > hvMax;
        long burstIops = burst ? Math.max(lowest(sanPeak, hvPeak), maxIops) : 0;
        long bytes = ceiling(hv.readBps(), hv.writeBps(), hv.totalBps(), false);
        return new EffectiveQos(san.minIops(), maxIops, burstIops, bytes);
    }

    private static long ceiling(Limit read, Limit write, Limit total, boolean peak) {
        if (total.isSet()) {
            return peak ? peak(total) : total.rate();
        }
        if (read.isSet() && write.isSet()) {
            return peak ? peak(read) + peak(write) : read.rate() + write.rate();
        }
        return 0;
    }

    /** The lower of two caps where 0 means none. */
    private static long lowest(long a, long b) {
        return a == 0 ? b : b == 0 ? a : Math.min(a, b);
    }
}
