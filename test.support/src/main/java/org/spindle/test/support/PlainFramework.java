package org.spindle.test.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;

/**
 * A plain OSGi framework (no Karaf) for a module's bundle test: a fresh storage directory, the API's packages and the
 * capabilities given exported by the system bundle (the test's class path provides them), then every bundle of a
 * directory and the module's own bundle installed and started. Closing stops the framework and deletes its storage.
 */
public final class PlainFramework implements AutoCloseable {
    private final Framework framework;
    private final Path storage;
    private final Bundle bundle;

    private PlainFramework(Framework framework, Path storage, Bundle bundle) {
        this.framework = framework;
        this.storage = storage;
        this.bundle = bundle;
    }

    /**
     * Starts a framework made by {@code factory} (Felix's or Equinox's {@code newFramework}) that exports
     * {@code systemPackages} and provides {@code systemCapabilities}; runs {@code beforeInstall} on its context (services
     * the bundles expect to find); installs and starts every jar of {@code bundleDir} in name order, then {@code bundle}.
     */
    public static PlainFramework start(Function<Map<String, String>, Framework> factory, String systemPackages,
            String systemCapabilities, Consumer<BundleContext> beforeInstall, Path bundleDir, Path bundle)
            throws IOException, BundleException {
        Path storage = Files.createTempDirectory("spindle-osgi");
        Framework framework = factory.apply(Map.of(
                Constants.FRAMEWORK_STORAGE, storage.toString(),
                Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT,
                Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, systemPackages,
                Constants.FRAMEWORK_SYSTEMCAPABILITIES_EXTRA, systemCapabilities));
        framework.start();
        BundleContext ctx = framework.getBundleContext();
        beforeInstall.accept(ctx);
        List<Bundle> installed = new ArrayList<>();
        try (Stream<Path> jars = Files.list(bundleDir)) {
            for (Path p : jars.sorted().toList()) {
                installed.add(ctx.installBundle(p.toUri().toString()));
            }
        }
        Bundle own = ctx.installBundle(bundle.toUri().toString());
        installed.add(own);
        for (Bundle b : installed) {
            b.start();
        }
        return new PlainFramework(framework, storage, own);
    }

    public Framework framework() {
        return framework;
    }

    public BundleContext context() {
        return framework.getBundleContext();
    }

    /** The module's own bundle. */
    public Bundle bundle() {
        return bundle;
    }

    /**
     * The packages the bundle (or build output directory) holding {@code type} exports, each as
     * {@code name;version=x}, then {@code extra}: what the system bundle must export for bundles importing them.
     */
    public static String exportsOf(Class<?> type, String... extra) throws IOException {
        List<String> out = new ArrayList<>();
        for (String clause : clauses(manifestOf(type).getMainAttributes().getValue(Constants.EXPORT_PACKAGE))) {
            String[] parts = clause.split(";");
            String version = null;
            for (String p : parts) {
                String t = p.trim();
                if (t.startsWith("version=")) {
                    version = t.substring("version=".length()).replace("\"", "");
                }
            }
            out.add(parts[0].trim() + (version == null ? "" : ";version=" + version));
        }
        out.addAll(List.of(extra));
        return String.join(",", out);
    }

    /** The clauses of a manifest header: split at the commas outside quotes. */
    static List<String> clauses(String header) {
        List<String> out = new ArrayList<>();
        if (header == null) {
            return out;
        }
        StringBuilder b = new StringBuilder();
        boolean quoted = false;
        for (char c : header.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                out.add(b.toString());
                b.setLength(0);
            } else {
                b.append(c);
            }
        }
        if (!b.isEmpty()) {
            out.add(b.toString());
        }
        return out;
    }

    private static Manifest manifestOf(Class<?> type) throws IOException {
        Path where;
        try {
            where = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        if (Files.isDirectory(where)) {    // a module's build output in the reactor: bnd wrote its manifest there
            try (InputStream in = Files.newInputStream(where.resolve("META-INF/MANIFEST.MF"))) {
                return new Manifest(in);
            }
        }
        try (JarFile jar = new JarFile(where.toFile())) {
            return jar.getManifest();
        }
    }

    @Override
    public void close() throws Exception {
        try {
            framework.stop();
            framework.waitForStop(20_000);
        } finally {
            try (Stream<Path> files = Files.walk(storage)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
