package org.spindle.driver.solidfire.internal;

/** A configuration value that cannot work; the message starts with the key and holds no secret. */
final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String key;

    ConfigException(String key, String message) {
        super(key + ": " + message, null, false, false);
        this.key = key;
    }

    String key() {
        return key;
    }
}
