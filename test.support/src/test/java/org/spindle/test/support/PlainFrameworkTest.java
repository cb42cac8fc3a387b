package org.spindle.test.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.apache.felix.framework.FrameworkFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.spindle.storage.api.runtime.RejectionReporter;

class PlainFrameworkTest {
    @TempDir
    Path dir;

    @Test
    void clausesSplitAtCommasOutsideQuotesOnly() {
        assertEquals(List.of("a;version=\"1.0\";uses:=\"b,c\"", "b;uses:=\"c\";version=\"2.1\"", "c"),
                PlainFramework.clauses("a;version=\"1.0\";uses:=\"b,c\",b;uses:=\"c\";version=\"2.1\",c"));
    }

    @Test
    void exportsOfAJarAreItsPackagesAtTheirVersionsWhateverTheAttributeOrder() throws Exception {
        String exports = PlainFramework.exportsOf(Bundle.class, "org.slf4j;version=1.7.36");
        assertTrue(exports.startsWith("org.osgi.dto;version=1.1.1,org.osgi.framework;version=1.10,"), exports);
        assertTrue(exports.contains(",org.osgi.framework.connect;version=1.0,"), exports);
        assertFalse(exports.contains("uses"), exports);
        assertTrue(exports.endsWith(",org.slf4j;version=1.7.36"), exports);
    }

    @Test
    void startsTheBundlesOfTheDirectoryAndTheOwnOne_andCloseDeletesItsStorage() throws Exception {
        Path others = Files.createDirectories(dir.resolve("others"));
        bundle(others.resolve("a.jar"), "spindle.test.a", "org.osgi.framework");
        Path own = bundle(dir.resolve("own.jar"), "spindle.test.own", "org.spindle.fake.api;version=\"[1.0,2)\"");
        AtomicBoolean hooked = new AtomicBoolean();
        Path storage;
        try (PlainFramework f = PlainFramework.start(new FrameworkFactory()::newFramework, "org.spindle.fake.api;version=1.0.0",
                "osgi.implementation;osgi.implementation=spindle.test;version:Version=1.0.0",
                (BundleContext ctx) -> hooked.set(ctx.getBundles().length == 1), others, own)) {
            assertTrue(hooked.get(), "the hook ran before anything was installed");
            assertEquals("spindle.test.own", f.bundle().getSymbolicName());
            assertEquals(Bundle.ACTIVE, f.bundle().getState(), "resolved against the system bundle's extra package");
            assertEquals(3, f.context().getBundles().length);
            assertTrue(f.context().getBundles()[1].getSymbolicName().equals("spindle.test.a"));
            storage = Path.of(f.context().getProperty("org.osgi.framework.storage"));
            assertTrue(Files.isDirectory(storage));
        }
        assertFalse(Files.exists(storage), "the storage is deleted");
    }

    @Test
    void rejectionsRegisteredBeforeTheBundlesAreWhatTheyFindAsTheCoresReporter() throws Exception {
        Path others = Files.createDirectories(dir.resolve("none"));
        Path own = bundle(dir.resolve("own.jar"), "spindle.test.own", "org.osgi.framework");
        Rejections rejections = new Rejections();
        try (PlainFramework f = PlainFramework.start(new FrameworkFactory()::newFramework, "", "", rejections::registerIn, others, own)) {
            BundleContext ctx = f.bundle().getBundleContext();
            RejectionReporter reporter = ctx.getService(ctx.getServiceReference(RejectionReporter.class));
            reporter.rejected(RejectionReporter.Kind.ATTACH_SERVICE, "pid1", "org.spindle.hyper.test", "test", "url: must be https");
            reporter.cleared("pid1");
            assertEquals(List.of("ATTACH_SERVICE org.spindle.hyper.test test: url: must be https"), rejections.lines());
        }
    }

    private static Path bundle(Path jar, String symbolicName, String imports) throws Exception {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", symbolicName);
        a.putValue("Bundle-Version", "1.0.0");
        a.putValue("Import-Package", imports);
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, m)) {
            j.flush();
        }
        return jar;
    }
}
