package org.spindle.storage.api.volume;

import java.util.regex.Pattern;

import org.spindle.storage.api.StorageException;

/** The rule for names of volumes, offerings, pools and tags. */
public final class Names {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private Names() {
    }

    /** Returns {@code value} if it is a valid name, else throws naming {@code field}. */
    public static String check(String field, String value) {
        if (value == null || !NAME.matcher(value).matches()) {
            throw StorageException.invalid(field, "must be 1-64 characters of letters, digits, '.', '_' or '-', starting with a letter or digit (was "
                    + (value == null ? "empty" : "'" + value + "'") + ")");
        }
        return value;
    }
}
