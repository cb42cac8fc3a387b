package org.spindle.storage.core.internal.qos;

import static org.spindle.storage.core.internal.qos.Refusals.describe;
import static org.spindle.storage.core.internal.qos.Refusals.peak;
import static org.spindle.storage.core.internal.qos.Refusals.refused;

import java.util.ArrayList;
import java.util.List;

import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.Limit;

/** Puts hypervisor limits into the form a hypervisor declared it enforces, or refuses them. */
final class HypervisorPlacement {
    /** A unit of limits. */
    enum Unit {
        IOPS("iops", "operations per second"), BPS("bps", "bytes per second");

        final String token;
        final String words;

        Unit(String token, String words) {
            this.token = token;
            this.words = words;
        }

        String read() {
            return "read-" + token;
        }

        String write() {
            return "write-" + token;
        }

        String total() {
            return "total-" + token;
        }
    }

    /** The three limits of one unit. */
    record Triple(Limit read, Limit write, Limit total) {
        static final Triple NONE = new Triple(Limit.NONE, Limit.NONE, Limit.NONE);

        static Triple of(IoLimits limits, Unit unit) {
            return unit == Unit.IOPS ? new Triple(limits.readIops(), limits.writeIops(), limits.totalIops())
                    : new Triple(limits.readBps(), limits.writeBps(), limits.totalBps());
        }

        boolean hasSplit() {
            return read.isSet() || write.isSet();
        }

        /** The set limits named, e.g. {@code read-iops 500, write-iops 300}. */
        String describe(Unit unit) {
            List<String> parts = new ArrayList<>();
            if (read.isSet()) {
                parts.add(Refusals.describe(unit.read(), read));
            }
            if (write.isSet()) {
                parts.add(Refusals.describe(unit.write(), write));
            }
            if (total.isSet()) {
                parts.add(Refusals.describe(unit.total(), total));
            }
            return String.join(", ", parts);
        }

        /** The first set field. */
        String field(Unit unit) {
            return read.isSet() ? unit.read() : write.isSet() ? unit.write() : unit.total();
        }
    }

    private HypervisorPlacement() {
    }

    /** Refuses read/write limits together with a total limit of the same unit. */
    static void checkConsistent(IoLimits limits) {
        for (Unit unit : Unit.values()) {
            Triple t = Triple.of(limits, unit);
            if (t.hasSplit() && t.total().isSet()) {
                throw refused(unit.total(), t.describe(unit) + " contradict each other: limits on reads and writes"
                        + " and one on their total cannot both be set (libvirt refuses total_* with read_*/write_*);"
                        + " set either " + unit.read() + "/" + unit.write() + " or " + unit.total());
            }
        }
    }

    /**
     * {@code change} over {@code current}: each set limit (and a set weight) replaces the current one; setting a unit's
     * read/write limits drops its current total limit and setting its total drops its current read/write
     * limits (otherwise a volume could never switch forms, 0 meaning "keep").
     */
    static IoLimits overlay(IoLimits change, IoLimits current) {
        Triple[] merged = new Triple[2];
        for (Unit unit : Unit.values()) {
            Triple c = Triple.of(change, unit);
            Triple old = Triple.of(current, unit);
            boolean dropSplit = c.total().isSet();
            boolean dropTotal = c.hasSplit();
            merged[unit.ordinal()] = new Triple(
                    c.read().isSet() ? c.read() : dropSplit ? Limit.NONE : old.read(),
                    c.write().isSet() ? c.write() : dropSplit ? Limit.NONE : old.write(),
                    c.total().isSet() ? c.total() : dropTotal ? Limit.NONE : old.total());
        }
        return limits(merged[0], merged[1]).withWeight(change.hasWeight() ? change.weight() : current.weight());
    }

    /**
     * The hypervisor's share of a plan: {@code requested} in the hypervisor's form plus the storage
     * residual the pool's driver does not enforce.
     */
    static IoLimits place(IoLimits requested, StorageSplit storage, StorageCapabilities pool, LimitCapabilities hv) {
        checkConsistent(requested);
        Triple iops = form(Unit.IOPS, Triple.of(requested, Unit.IOPS), hv);
        Triple bps = form(Unit.BPS, Triple.of(requested, Unit.BPS), hv);
        checkBursts(requested, hv);
        return limits(withResidual(iops, storage, pool, hv), bps);
    }

    private static Triple form(Unit unit, Triple t, LimitCapabilities hv) {
        if (!t.hasSplit() && !t.total().isSet()) {
            return Triple.NONE;
        }
        String set = t.describe(unit) + " cannot be enforced: the hypervisor ";
        String declares = " (it declares " + hv.describe() + ")";
        boolean unitCapable = unit == Unit.IOPS ? hv.iops() : hv.bps();
        if (!unitCapable) {
            throw refused(t.field(unit), set + "does not limit " + unit.words + " (it declares " + hv.describe() + ", not '" + unit.token
                    + "')" + (unit == Unit.IOPS ? "; cap the volume on the storage side (max-iops) instead, or give it a weight where the "
                    + "hypervisor declares one" : "; leave the bytes-per-second limits unset on this hypervisor"));
        }
        if (!hv.splits() && !hv.totals()) {
            throw refused(t.field(unit), set + "declares neither 'read-write' nor 'total'" + declares);
        }
        if (t.total().isSet()) {
            if (!hv.totals()) {
                throw refused(unit.total(), set + "limits reads and writes only separately" + declares
                        + ", not 'total'; set " + unit.read() + " and " + unit.write() + " instead");
            }
            return new Triple(Limit.NONE, Limit.NONE, t.total());
        }
        if (hv.splits()) {
            return t;
        }
        if (!t.read().isSet() || !t.write().isSet()) {
            String side = t.read().isSet() ? "read" : "write";
            String other = t.read().isSet() ? "writes" : "reads";
            throw refused(t.field(unit), set + "limits only reads plus writes together" + declares
                    + ", not 'read-write', and a " + side + "-only limit cannot be expressed as a total without also"
                    + " limiting " + other + "; set both " + unit.read() + " and " + unit.write() + " (their sum becomes "
                    + unit.total() + ") or " + unit.total());
        }
        return new Triple(Limit.NONE, Limit.NONE, fold(t.read(), t.write()));
    }

    /**
     * Read plus write as one total: rates add, peaks add (a side without a burst peaks at its rate), the
     * burst length is the longer of both.
     */
    static Limit fold(Limit read, Limit write) {
        long rate = read.rate() + write.rate();
        long burst = read.burst() > 0 || write.burst() > 0 ? peak(read) + peak(write) : 0;
        return new Limit(rate, burst, Math.max(read.burstSeconds(), write.burstSeconds()));
    }

    private static void checkBursts(IoLimits requested, LimitCapabilities hv) {
        for (Unit unit : Unit.values()) {
            Triple t = Triple.of(requested, unit);
            check(unit.read(), t.read(), hv);
            check(unit.write(), t.write(), hv);
            check(unit.total(), t.total(), hv);
        }
    }

    private static void check(String name, Limit limit, LimitCapabilities hv) {
        if (limit.burst() > 0 && !hv.bursts()) {
            throw refused(name + "-max", name + "-max " + limit.burst() + " cannot be enforced: the hypervisor does not"
                    + " allow bursts (it declares " + hv.describe() + "), not 'burst'; leave " + name + "-max unset");
        }
        if (limit.burstSeconds() > 0 && !hv.burstLengths()) {
            throw refused(name + "-max-length", name + "-max-length " + limit.burstSeconds() + " s cannot be enforced:"
                    + " the hypervisor does not bound burst lengths (it declares " + hv.describe()
                    + "), not 'burst-length'; leave " + name + "-max-length unset");
        }
    }

    private static Triple withResidual(Triple iops, StorageSplit storage, StorageCapabilities pool,
                                       LimitCapabilities hv) {
        Limit residual = storage.residual();
        if (!residual.isSet()) {
            return iops;
        }
        String field = storage.residualField();
        String what = storage.residualText() + " is not enforced by the pool's driver (it declares " + pool.describe()
                + ") and ";
        String declares = " (it declares " + hv.describe() + ")";
        if (!hv.iops()) {
            throw refused(field, what + "the hypervisor does not limit IOPS either" + declares + "; nobody would enforce it");
        }
        if (residual.burst() > 0 && !hv.bursts()) {
            throw refused("burst-iops", what + "the hypervisor does not allow bursts" + declares + ", not 'burst'");
        }
        if (iops.hasSplit()) {
            if (iops.read().isSet() && iops.write().isSet()
                    && iops.read().rate() + iops.write().rate() <= residual.rate()
                    && peak(iops.read()) + peak(iops.write()) <= peak(residual)) {
                return iops; // read + write already cap the total below it
            }
            throw refused(field, what + "the hypervisor would have to enforce it as total-iops, which cannot be combined"
                    + " with " + iops.describe(Unit.IOPS) + "; set both read-iops and write-iops with a sum within "
                    + describe("max-iops", residual) + " or choose a pool whose driver enforces max-iops");
        }
        if (!hv.totals()) {
            throw refused(field, what + "the hypervisor does not limit reads plus writes together" + declares
                    + ", not 'total'; splitting it into read-iops and write-iops would either halve what a one-sided"
                    + " workload may use or double the cap");
        }
        return new Triple(Limit.NONE, Limit.NONE, stricter(iops.total(), residual));
    }

    /** Both limits at once: the lower rate and the lower peak. */
    static Limit stricter(Limit a, Limit b) {
        if (!a.isSet()) {
            return b;
        }
        long rate = Math.min(a.rate(), b.rate());
        long peak = Math.min(peak(a), peak(b));
        long burst = peak > rate ? peak : 0;
        long seconds = burst > 0 ? Math.max(a.burstSeconds(), b.burstSeconds()) : 0;
        return new Limit(rate, burst, seconds);
    }

    private static IoLimits limits(Triple iops, Triple bps) {
        return new IoLimits(iops.read(), iops.write(), iops.total(), bps.read(), bps.write(), bps.total());
    }
}
