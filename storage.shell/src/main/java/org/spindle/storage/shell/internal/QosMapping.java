package org.spindle.storage.shell.internal;

import java.util.function.BiFunction;

import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.Limit;
import org.spindle.storage.api.qos.QosSpec;
import org.spindle.storage.api.qos.StorageQos;

/**
 * The one place where QoS options become a {@link QosSpec}; {@code offering-create}, {@code volume-create}
 * and {@code volume-qos} all go through it. IOPS and burst lengths (seconds) are positive whole numbers,
 * {@code *-bps} values are sizes per second ({@code 100M} = 100 MiB/s, see {@link Sizes}), the weight is 1 to
 * {@value IoLimits#MAX_WEIGHT}. Errors name the
 * option without its dashes ({@code read-iops-max}), as the API's own validation does.
 * <p>
 * Two steps: {@link #parse} checks the syntax of every option given, {@link Parsed#over} combines them with
 * a base and validates the combination ({@code new Limit("read-iops", …)}, {@code new StorageQos(…)}).
 */
public final class QosMapping {
    private QosMapping() {
    }

    /** Parses every option given; refuses the first malformed one, naming it. */
    public static Parsed parse(QosText t) {
        return new Parsed(
                opt("min-iops", t.minIops(), QosMapping::count),
                opt("max-iops", t.maxIops(), QosMapping::count),
                opt("burst-iops", t.burstIops(), QosMapping::count),
                ParsedLimit.of("read-iops", t.readIops(), QosMapping::count),
                ParsedLimit.of("write-iops", t.writeIops(), QosMapping::count),
                ParsedLimit.of("total-iops", t.totalIops(), QosMapping::count),
                ParsedLimit.of("read-bps", t.readBps(), Sizes::parse),
                ParsedLimit.of("write-bps", t.writeBps(), Sizes::parse),
                ParsedLimit.of("total-bps", t.totalBps(), Sizes::parse),
                opt("weight", t.weight(), QosMapping::weight));
    }

    /** {@code parse(text).over(base)}. */
    public static QosSpec toSpec(QosText text, QosSpec base) {
        return parse(text).over(base);
    }

    /** Only the storage side (custom IOPS at volume creation). */
    public static StorageQos toStorageQos(QosText text) {
        return parse(text).storageOver(StorageQos.NONE);
    }

    /** Parses a positive whole number (IOPS, seconds), naming {@code field} when it is refused. */
    public static long count(String field, String text) {
        try {
            long value = Long.parseLong(text.strip());
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw StorageException.invalid(field, "must be a positive whole number (was '" + text + "')");
    }

    /** Parses a weight, 1 to {@value IoLimits#MAX_WEIGHT}, naming {@code field} when it is refused. */
    public static long weight(String field, String text) {
        long value = count(field, text);
        if (value > IoLimits.MAX_WEIGHT) {
            throw StorageException.invalid(field, "must be 1 (lowest) to " + IoLimits.MAX_WEIGHT + " (highest) (was '"
                    + text + "')");
        }
        return value;
    }

    private static Long opt(String field, String text, BiFunction<String, String, Long> parser) {
        return text == null ? null : parser.apply(field, text);
    }

    private static long or(Long value, long base) {
        return value != null ? value : base;
    }

    /** Parsed options; {@code null} where an option was not given. */
    public record Parsed(Long minIops, Long maxIops, Long burstIops, ParsedLimit readIops, ParsedLimit writeIops,
                         ParsedLimit totalIops, ParsedLimit readBps, ParsedLimit writeBps, ParsedLimit totalBps,
                         Long weight) {
        /**
         * The spec in effect once these options are applied: each option not given keeps {@code base}'s value
         * ({@link QosSpec#NONE} for a new offering, the volume's current QoS for a runtime change), so the
         * combination is validated as it will be in effect.
         */
        public QosSpec over(QosSpec base) {
            IoLimits b = base.limits();
            return new QosSpec(storageOver(base.storage()), new IoLimits(
                    readIops.over("read-iops", b.readIops()),
                    writeIops.over("write-iops", b.writeIops()),
                    totalIops.over("total-iops", b.totalIops()),
                    readBps.over("read-bps", b.readBps()),
                    writeBps.over("write-bps", b.writeBps()),
                    totalBps.over("total-bps", b.totalBps()),
                    (int) or(weight, b.weight())));
        }

        StorageQos storageOver(StorageQos base) {
            return new StorageQos(or(minIops, base.minIops()), or(maxIops, base.maxIops()),
                    or(burstIops, base.burstIops()));
        }
    }

    /** One parsed hypervisor limit. */
    public record ParsedLimit(Long rate, Long max, Long maxLength) {
        static ParsedLimit of(String name, QosText.LimitText text, BiFunction<String, String, Long> parser) {
            return new ParsedLimit(opt(name, text.rate(), parser), opt(name + "-max", text.max(), parser),
                    opt(name + "-max-length", text.maxLength(), QosMapping::count));
        }

        Limit over(String name, Limit base) {
            return new Limit(name, or(rate, base.rate()), or(max, base.burst()), or(maxLength, base.burstSeconds()));
        }
    }
}
