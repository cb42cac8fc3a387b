package org.spindle.driver.solidfire.internal;

import java.lang.reflect.Proxy;
import java.net.URI;
import java.security.SecureRandom;
import java.util.Map;

import org.spindle.solidfire.simulator.ElementSimulator;
import org.spindle.storage.api.driver.SanVolumeRequest;
import org.spindle.storage.api.driver.StorageDriver;

/**
 * The SolidFire driver for the benchmarks, made as its activation makes it ({@link DriverAssembly}) against a simulator, and
 * the driver's own naming of accounts and volume attributes, so that a bulk fill of the simulator holds exactly what the
 * driver would have made. A class of the driver's private package, on the benchmarks' plain class path only.
 */
public final class BenchClusters {
    /** The account prefix of the driver's default configuration ({@code account.prefix}). */
    private static final String PREFIX = "spindle";

    private BenchClusters() {
    }

    /** The driver of pool {@code pool} in {@code zone}, reaching {@code sim} as an operator configures it (TLS pinned). */
    public static StorageDriver driver(ElementSimulator sim, String pool, String zone, String tags) {
        Map<String, Object> values = Map.of("mvip", URI.create(sim.url()).getAuthority(), "username", sim.adminUser(),
                "_password", sim.adminPassword(), "tls_fingerprint_sha256", sim.certificateSha256(), "storage_pool", pool,
                "storage_zone", zone, "storage_tags", new String[] {tags}, "target_lun", Math.max(0, sim.lun()),
                "account_prefix", PREFIX);
        try {
            ClusterSettings s = ClusterSettings.from(config(values));
            return DriverAssembly.driver(s, new ClusterSession(s, DriverAssembly.client(s), facts -> { }));
        } catch (ConfigException e) {
            throw new IllegalStateException("the bench's SolidFire configuration: " + e.getMessage(), e);
        }
    }

    /** The Element account name the driver gives a tenant. */
    public static String accountName(String tenant) {
        return new Accounts(PREFIX, new SecureRandom()).accountName(tenant);
    }

    /** The Element volume name the driver gives a Spindle volume. */
    public static String sanName(String name) {
        return VolumeNaming.sanName(name);
    }

    /** The attributes the driver writes on the SAN volume of {@code request} (its Spindle id and name). */
    public static Map<String, String> attributes(SanVolumeRequest request) {
        return VolumeNaming.attributes(request);
    }

    /** A {@link SolidFireConfig} with {@code values} by method name, every other member at its default. */
    private static SolidFireConfig config(Map<String, Object> values) {
        return (SolidFireConfig) Proxy.newProxyInstance(SolidFireConfig.class.getClassLoader(), new Class<?>[] {SolidFireConfig.class},
                (proxy, m, args) -> {
                    if (m.getDeclaringClass() == Object.class) {
                        return switch (m.getName()) {
                            case "toString" -> "SolidFireConfig" + values.keySet();
                            case "hashCode" -> System.identityHashCode(proxy);
                            case "equals" -> proxy == args[0];
                            default -> throw new UnsupportedOperationException(m.getName());
                        };
                    }
                    if (m.getName().equals("annotationType")) {
                        return SolidFireConfig.class;
                    }
                    Object v = values.get(m.getName());
                    return v != null ? v : m.getDefaultValue();
                });
    }
}
