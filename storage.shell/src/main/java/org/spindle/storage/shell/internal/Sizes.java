package org.spindle.storage.shell.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.spindle.storage.api.StorageException;

/**
 * Sizes as operators type them. A size is a whole number of bytes ({@code 4096}, {@code 4096B}) or a
 * number with a binary unit: {@code K}, {@code M}, {@code G}, {@code T} (also written {@code Ki}/{@code KiB},
 * {@code Mi}/{@code MiB}, {@code Gi}/{@code GiB}, {@code Ti}/{@code TiB}; any case) meaning 2^10, 2^20,
 * 2^30 and 2^40 bytes. A decimal fraction is allowed when the result is a whole number of bytes
 * ({@code 1.5G}). {@code KB}, {@code MB}, {@code GB}, {@code TB} are refused: they mean 10^9 to some
 * and 2^30 to others. Zero, negative, fractional-byte and out-of-range values are refused.
 */
public final class Sizes {
    /** What is allowed, for error messages and command descriptions. */
    public static final String ALLOWED = "must be a positive whole number of bytes or a number with a binary unit "
            + "K, M, G, T (= Ki/KiB, Mi/MiB, Gi/GiB, Ti/TiB: 2^10, 2^20, 2^30, 2^40), e.g. 4096, 512M, 10G, 1.5G, 1T";

    private static final Pattern SIZE = Pattern.compile("(-?[0-9]+(?:\\.[0-9]+)?)([A-Za-z]*)");
    private static final Map<String, Integer> SHIFT = Map.ofEntries(
            Map.entry("", 0), Map.entry("B", 0),
            Map.entry("K", 10), Map.entry("KI", 10), Map.entry("KIB", 10),
            Map.entry("M", 20), Map.entry("MI", 20), Map.entry("MIB", 20),
            Map.entry("G", 30), Map.entry("GI", 30), Map.entry("GIB", 30),
            Map.entry("T", 40), Map.entry("TI", 40), Map.entry("TIB", 40));
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private Sizes() {
    }

    /** Parses {@code text} as a size in bytes, naming {@code field} when it is refused. */
    public static long parse(String field, String text) {
        String was = " (was '" + text + "')";
        Matcher m = text == null ? null : SIZE.matcher(text.strip());
        if (m == null || !m.matches()) {
            throw StorageException.invalid(field, ALLOWED + was);
        }
        String unit = m.group(2).toUpperCase(Locale.ROOT);
        Integer shift = SHIFT.get(unit);
        if (shift == null) {
            String hint = unit.length() == 2 && unit.endsWith("B") && SHIFT.containsKey(unit.substring(0, 1))
                    ? "; " + m.group(2) + " is ambiguous (decimal or binary), write " + unit.charAt(0) + " or "
                    + unit.charAt(0) + "iB"
                    : "; unknown unit '" + m.group(2) + "'";
            throw StorageException.invalid(field, ALLOWED + hint + was);
        }
        BigDecimal bytes = new BigDecimal(m.group(1)).multiply(new BigDecimal(BigInteger.ONE.shiftLeft(shift)));
        if (bytes.signum() <= 0) {
            throw StorageException.invalid(field, "must be positive" + was);
        }
        if (bytes.stripTrailingZeros().scale() > 0) {
            throw StorageException.invalid(field, "must be a whole number of bytes" + was);
        }
        if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw StorageException.invalid(field, "must be at most " + Long.MAX_VALUE + " bytes (8 EiB)" + was);
        }
        return bytes.longValueExact();
    }

    /**
     * Formats {@code bytes} with the largest binary unit that keeps the number at least 1, with at most one
     * decimal, rounded down (so a size is never shown larger than it is): {@code 10 GiB}, {@code 1.5 GiB},
     * {@code 512 B}.
     */
    public static String format(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        int unit = (63 - Long.numberOfLeadingZeros(bytes)) / 10;
        BigDecimal value = new BigDecimal(bytes).divide(new BigDecimal(BigInteger.ONE.shiftLeft(10 * unit)))
                .setScale(1, RoundingMode.DOWN).stripTrailingZeros();
        return value.toPlainString() + " " + UNITS[unit];
    }
}
