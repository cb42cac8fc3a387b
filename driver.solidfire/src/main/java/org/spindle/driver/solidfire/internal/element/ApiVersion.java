package org.spindle.driver.solidfire.internal.element;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An Element API version such as {@code 8.0} or {@code 12.3}, as it appears in {@code /json-rpc/<version>}. */
public record ApiVersion(int major, int minor) implements Comparable<ApiVersion> {
    /** Where the SDKs ask {@code GetAPI} for the current version. */
    public static final ApiVersion PROBE = new ApiVersion(7, 0);
    /** Minimum the driver supports: volume access groups (5.0) and GetAPI (7.0). */
    public static final ApiVersion MINIMUM = new ApiVersion(7, 0);
    /** ListVolumes (and a min IOPS floor of 50) arrived in 8.0. */
    public static final ApiVersion V8 = new ApiVersion(8, 0);

    private static final Pattern FORMAT = Pattern.compile("(\\d{1,2})\\.(\\d{1,2})");

    public ApiVersion {
        if (major < 1 || minor < 0) {
            throw new IllegalArgumentException("not an API version: " + major + "." + minor);
        }
    }

    /** Parses {@code major.minor}; throws IllegalArgumentException otherwise. */
    public static ApiVersion parse(String text) {
        Matcher m = FORMAT.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("must be major.minor, e.g. 8.0 or 12.3 (was '" + text + "')");
        }
        return new ApiVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    public boolean atLeast(ApiVersion other) {
        return compareTo(other) >= 0;
    }

    @Override
    public int compareTo(ApiVersion o) {
        return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
