package org.spindle.itest;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;

/**
 * Ports for a distribution to listen on, chosen below the kernel's ephemeral range. A port the kernel handed out for
 * {@code bind(0)} and was closed again is free for the next {@code bind(0)} anywhere on the machine: a simulator started
 * by the other half of the ITs in the seconds before Karaf binds its ssh port could take it, and {@code bin/client} then
 * spoke to that simulator ("Session is being closed", for two minutes, in a CI run). Nothing binds below
 * {@code ip_local_port_range} unless asked to, so a random port there that binds now stays free; ports this instance
 * gave out are never given twice.
 */
final class FreePorts {
    private static final int LOWEST = 20_000;

    private final SecureRandom random = new SecureRandom();
    private final Set<Integer> given = new HashSet<>();
    private final int below = ephemeralLow();

    /** A port nothing listens on now (on any address), outside the ephemeral range. */
    int next() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = LOWEST + random.nextInt(below - LOWEST);
            if (!given.contains(port) && bindable(port)) {
                given.add(port);
                return port;
            }
        }
        throw new IllegalStateException("no free port in " + LOWEST + ".." + (below - 1) + " after 200 tries");
    }

    private static boolean bindable(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The first port of {@code /proc/sys/net/ipv4/ip_local_port_range} (Linux's default 32768 when unreadable). */
    private static int ephemeralLow() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            int low = Integer.parseInt(range.split("\\s+")[0]);
            return low > LOWEST + 1_000 ? low : 32_768;
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }
}
