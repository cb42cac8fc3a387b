package org.spindle.storage.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.junit.jupiter.api.Test;
import org.spindle.storage.api.runtime.QosAudit;
import org.spindle.storage.api.runtime.Reconciliation;
import org.spindle.storage.api.runtime.StorageRuntime;
import org.spindle.storage.api.usage.UsageService;
import org.spindle.storage.api.volume.OfferingService;
import org.spindle.storage.api.volume.VolumeService;

/** What Karaf will read from the classes and the manifest. */
class CommandMetadataTest {
    private static final Set<String> COMMANDS = Set.of("driver-list", "hypervisor-list", "pool-list", "pool-show",
            "offering-create", "offering-list", "offering-delete", "volume-create", "volume-list", "volume-show",
            "volume-attach", "volume-detach", "volume-resize", "volume-qos", "volume-delete", "volume-stats", "reconcile", "orphan-list",
            "qos-audit", "usage", "audit");
    /** Commands that print records, so take --json (reconcile runs a pass and prints its report). */
    private static final Set<String> READ_COMMANDS = Set.of("driver-list", "hypervisor-list", "pool-list",
            "pool-show", "offering-list", "volume-list", "volume-show", "volume-stats", "reconcile", "orphan-list",
            "qos-audit", "usage", "audit");

    private static List<Class<?>> commandClasses() throws Exception {
        Path dir = Path.of(DriverList.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve("org/spindle/storage/shell");
        List<Class<?>> classes = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = file.getFileName().toString().replace(".class", "");
                Class<?> c = Class.forName("org.spindle.storage.shell." + name);
                if (c.isAnnotationPresent(Command.class)) {
                    classes.add(c);
                }
            }
        }
        return classes;
    }

    private static List<Field> fields(Class<?> c) {
        List<Field> fields = new ArrayList<>();
        for (Class<?> t = c; t != Object.class; t = t.getSuperclass()) {
            fields.addAll(List.of(t.getDeclaredFields()));
        }
        return fields;
    }

    @Test
    void everyCommandIsAKarafServiceInScopeStorage() throws Exception {
        Set<String> names = new TreeSet<>();
        for (Class<?> c : commandClasses()) {
            Command command = c.getAnnotation(Command.class);
            assertEquals("storage", command.scope(), c.getName());
            assertNotNull(c.getAnnotation(Service.class), c.getName());
            assertTrue(Action.class.isAssignableFrom(c), c.getName());
            assertTrue(Modifier.isPublic(c.getModifiers()) && !Modifier.isAbstract(c.getModifiers()), c.getName());
            assertFalse(command.description().isBlank(), c.getName());
            assertTrue(names.add(command.name()), "duplicate " + command.name());
            assertEquals(READ_COMMANDS.contains(command.name()), ReadCommand.class.isAssignableFrom(c),
                    command.name() + " has --json exactly when it lists or shows");
        }
        assertEquals(new TreeSet<>(COMMANDS), names);
    }

    @Test
    void optionsAreUniqueAndReferencesAreTheApiServices() throws Exception {
        for (Class<?> c : commandClasses()) {
            Set<String> options = new HashSet<>();
            for (Field f : fields(c)) {
                Option option = f.getAnnotation(Option.class);
                if (option != null) {
                    assertTrue(option.name().startsWith("--"), option.name());
                    assertTrue(options.add(option.name()), c.getSimpleName() + " repeats " + option.name());
                }
                if (f.isAnnotationPresent(Reference.class)) {
                    assertTrue(Set.of(VolumeService.class, OfferingService.class, StorageRuntime.class, Reconciliation.class,
                            QosAudit.class, UsageService.class, org.spindle.storage.api.audit.AuditLog.class)
                            .contains(f.getType()), f.toString());
                }
            }
        }
    }

    /** CloudStack's disk offering fields, plus {@code --weight} (a priority, which CloudStack has no field for). */
    @Test
    void qosOptionsAreCloudStacksFieldsAndTheWeight() {
        Set<String> names = new TreeSet<>();
        for (Field f : fields(VolumeQos.class)) {
            Option option = f.getAnnotation(Option.class);
            if (option != null) {
                names.add(option.name());
            }
        }
        Set<String> expected = new TreeSet<>(Set.of("--min-iops", "--max-iops", "--burst-iops", "--weight"));
        for (String limit : List.of("read-iops", "write-iops", "total-iops", "read-bps", "write-bps", "total-bps")) {
            expected.addAll(List.of("--" + limit, "--" + limit + "-max", "--" + limit + "-max-length"));
        }
        assertEquals(expected, names);
    }

    @Test
    void manifestDeclaresTheCommandPackagesAndExportsNothing() throws Exception {
        try (InputStream in = Files.newInputStream(Path.of(DriverList.class.getProtectionDomain().getCodeSource()
                .getLocation().toURI()).resolve("META-INF/MANIFEST.MF"))) {
            var attributes = new Manifest(in).getMainAttributes();
            var headers = new TreeMap<String, String>();
            attributes.forEach((k, v) -> headers.put(k.toString(), v.toString()));
            assertEquals("org.spindle.storage.shell, org.spindle.storage.shell.completers",
                    headers.get("Karaf-Commands"));
            assertEquals("org.spindle.storage.shell", headers.get("Bundle-SymbolicName"));
            assertFalse(headers.containsKey("Export-Package"), headers.toString());
            String imports = headers.get("Import-Package");
            for (String pkg : List.of("org.apache.karaf.shell.api.action;", "org.apache.karaf.shell.api.action.lifecycle;",
                    "org.apache.karaf.shell.support.table;", "com.fasterxml.jackson.databind;",
                    "org.spindle.storage.api.volume;")) {
                assertTrue(imports.contains(pkg), pkg + " in " + imports);
            }
        }
    }
}
