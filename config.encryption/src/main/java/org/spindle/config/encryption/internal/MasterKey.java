package org.spindle.config.encryption.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * The master key that encrypted configuration values are made and read with. Found, in this order, in the
 * environment variable {@value #ENVIRONMENT} or in the file named by the property {@value #FILE_PROPERTY} (a framework
 * or system property; its first line). At least {@value #MIN_LENGTH} characters: a random key, not a word
 * ({@code bin/spindle encrypt --new-key} makes one). Its {@code toString} never shows it.
 */
final class MasterKey {
    static final String ENVIRONMENT = "SPINDLE_CONFIG_KEY";
    static final String FILE_PROPERTY = "spindle.config.keyfile";
    static final int MIN_LENGTH = 16;

    private final char[] chars;

    private MasterKey(char[] chars) {
        this.chars = chars;
    }

    /**
     * The key from {@code environment} or from the file that {@code properties} names.
     *
     * @throws IllegalStateException naming where it looked and what is wrong (never the key)
     */
    static MasterKey find(UnaryOperator<String> environment, UnaryOperator<String> properties) {
        String fromEnvironment = environment.apply(ENVIRONMENT);
        if (fromEnvironment != null && !fromEnvironment.isEmpty()) {
            return of(fromEnvironment.strip(), "environment variable " + ENVIRONMENT);
        }
        String file = properties.apply(FILE_PROPERTY);
        if (file == null || file.isBlank()) {
            throw new IllegalStateException("no master key: set the environment variable " + ENVIRONMENT + ", or the property "
                    + FILE_PROPERTY + " (etc/system.properties) to a file holding it");
        }
        try {
            String text = Files.readString(Path.of(file.strip()), StandardCharsets.UTF_8);
            int end = text.indexOf('\n');
            return of((end < 0 ? text : text.substring(0, end)).strip(), FILE_PROPERTY + " file " + file.strip());
        } catch (IOException e) {
            throw new IllegalStateException("no master key: " + FILE_PROPERTY + " names " + file.strip() + ", which cannot be read ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    static MasterKey of(String key, String where) {
        if (key.length() < MIN_LENGTH) {
            throw new IllegalStateException("the master key in " + where + " is too short: at least " + MIN_LENGTH + " characters");
        }
        return new MasterKey(key.toCharArray());
    }

    char[] chars() {
        return Arrays.copyOf(chars, chars.length);
    }

    @Override
    public String toString() {
        return "MasterKey[hidden]";
    }
}
