package org.spindle.storage.api;


/**
 * A network address a target is reached at: a host name, an IPv4 address or an IPv6 address (without
 * brackets), and a TCP port. {@link #toString()} gives {@code host:port}, with brackets around an IPv6
 * address ({@code [fd00::5]:3260}); {@link #parse} reads the same form back.
 *
 * @param host host name or address, without brackets
 * @param port TCP port, 1–65535
 */
public record Portal(String host, int port) {
    /** The iSCSI port every SAN and initiator uses unless told otherwise. */
    public static final int ISCSI_PORT = 3260;

    public Portal {
        if (host == null || host.isBlank() || host.length() > 255) {
            throw StorageException.invalid("portal.host", "must be a host name or an IP address of at most 255 characters");
        }
        for (char c : host.toCharArray()) {
            if (Character.isWhitespace(c) || Character.isISOControl(c) || c == '[' || c == ']' || c == '/') {
                throw StorageException.invalid("portal.host", "must be a host name or an IP address without brackets, spaces or '/' (was "
                        + shown(host) + ")");
            }
        }
        if (port < 1 || port > 65535) {
            throw StorageException.invalid("portal.port", "must be between 1 and 65535 (was " + port + ")");
        }
    }

    /** An iSCSI portal on the standard port. */
    public static Portal iscsi(String host) {
        return new Portal(host, ISCSI_PORT);
    }

    /**
     * Reads {@code host}, {@code host:port}, {@code [v6]} or {@code [v6]:port}; a bare IPv6 address (more
     * than one ':') is taken as a host. A missing port is {@code defaultPort}.
     */
    public static Portal parse(String value, int defaultPort) {
        if (value == null || value.isBlank()) {
            throw StorageException.invalid("portal", "must be host, host:port or [ipv6]:port (was empty)");
        }
        String v = value.trim();
        if (v.startsWith("[")) {
            int close = v.indexOf(']');
            if (close < 0) {
                throw StorageException.invalid("portal", "an IPv6 address in brackets needs its ']' (was " + shown(value) + ")");
            }
            String rest = v.substring(close + 1);
            if (rest.isEmpty()) {
                return new Portal(v.substring(1, close), defaultPort);
            }
            if (!rest.startsWith(":")) {
                throw StorageException.invalid("portal", "expected ':port' after ']' (was " + shown(value) + ")");
            }
            return new Portal(v.substring(1, close), port(rest.substring(1), value));
        }
        int first = v.indexOf(':');
        if (first < 0 || first != v.lastIndexOf(':')) {
            return new Portal(v, defaultPort);
        }
        return new Portal(v.substring(0, first), port(v.substring(first + 1), value));
    }

    private static int port(String digits, String value) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw StorageException.invalid("portal.port", "must be a number between 1 and 65535 (was " + shown(value) + ")");
        }
    }

    /**
     * A refused value as an error may quote it: in quotes, control characters escaped (a line feed as backslash, u, 000a), at most
     * 80 characters, so that a hostile value can neither forge a log line nor flood one.
     */
    private static String shown(String value) {
        StringBuilder b = new StringBuilder("'");
        for (int i = 0; i < value.length() && i < 80; i++) {
            char c = value.charAt(i);
            b.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        b.append('\'');
        return value.length() > 80 ? b + "… (" + value.length() + " characters)" : b.toString();
    }

    /** Whether the host is an IPv6 address. */
    public boolean isIpv6() {
        return host.indexOf(':') >= 0;
    }

    @Override
    public String toString() {
        return (isIpv6() ? "[" + host + "]" : host) + ":" + port;
    }
}
